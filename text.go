package wizard

import "strings"

// Expand replaces each {step.field} in s by that earlier answer (values of a
// checkboxes field joined with ", "); an unanswered reference becomes "".
// Braces that do not enclose a step.field reference are kept as written.
// The result is plain text: views escape it like any other text.
func Expand(s string, a Answers) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			break
		}
		ref := s[open+1 : open+end]
		step, field, ok := strings.Cut(ref, ".")
		if !ok || !validName(step) || !validName(field) {
			b.WriteString(s[:open+1])
			s = s[open+1:]
			continue
		}
		b.WriteString(s[:open])
		b.WriteString(strings.Join(a[step][field], ", "))
		s = s[open+end+1:]
	}
	b.WriteString(s)
	return b.String()
}
