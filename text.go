package wizard

import (
	"iter"
	"strings"
)

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
		lit, ref, rest, ok := cutRef(s)
		b.WriteString(lit)
		if !ok {
			break
		}
		b.WriteString(strings.Join(a[ref.step][ref.field], ", "))
		s = rest
	}
	return b.String()
}

// ref is a {step.field} reference in a text.
type ref struct{ step, field string }

// references yields the {step.field} references of s in order.
func references(s string) iter.Seq[ref] {
	return func(yield func(ref) bool) {
		for {
			_, r, rest, ok := cutRef(s)
			if !ok || !yield(r) {
				return
			}
			s = rest
		}
	}
}

// cutRef finds the first {step.field} reference in s: lit is the text
// before it (braces that enclose no reference included), rest the text
// after it. Without a reference, lit is s and ok is false.
func cutRef(s string) (lit string, r ref, rest string, ok bool) {
	for from := 0; ; {
		open := strings.IndexByte(s[from:], '{')
		if open < 0 {
			return s, ref{}, "", false
		}
		open += from
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return s, ref{}, "", false
		}
		step, field, found := strings.Cut(s[open+1:open+end], ".")
		if found && ValidName(step) && ValidName(field) {
			return s[:open], ref{step, field}, s[open+end+1:], true
		}
		from = open + 1
	}
}
