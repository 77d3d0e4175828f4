package wizard

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrMalformed marks input no form of ours could have sent: several values
// for a single-valued field, or text that is not UTF-8.
var ErrMalformed = errors.New("malformed input")

// FieldError is a message for people about one field's answer.
type FieldError struct {
	Field   string
	Message string
}

// Validate checks the input for a step against its rules and returns the
// values to save: trimmed, only the step's own fields, and without fields
// whose ShowWhen condition is not met. Options are resolved against the
// earlier answers a. Errors come in field order, at most one per field. The
// error is ErrMalformed (wrapped) for input a browser would not send.
func Validate(s *Step, a Answers, input Values) (Values, []FieldError, error) {
	clean := make(Values, len(s.Fields))
	for _, f := range s.Fields {
		vs := input[f.Name]
		if err := malformed(f, vs); err != nil {
			return nil, nil, err
		}
		clean[f.Name] = trimAll(f, vs)
	}
	var errs []FieldError
	for _, f := range s.Fields {
		if !applies(s, f, clean) {
			delete(clean, f.Name)
			continue
		}
		if msg := check(f, clean[f.Name], a); msg != "" {
			errs = append(errs, FieldError{Field: f.Name, Message: msg})
		}
	}
	return clean, errs, nil
}

// malformed returns an error wrapping ErrMalformed if vs cannot be the
// values of f as any browser sends them: several values for a
// single-valued field, or invalid UTF-8.
func malformed(f *Field, vs []string) error {
	if len(vs) > 1 && !f.Kind.Multiple() {
		return fmt.Errorf("field %q: %d values: %w", f.Name, len(vs), ErrMalformed)
	}
	for _, v := range vs {
		if !utf8.ValidString(v) {
			return fmt.Errorf("field %q: invalid UTF-8: %w", f.Name, ErrMalformed)
		}
	}
	return nil
}

// applies reports whether a field is in play given the step's values: it has
// no ShowWhen, or the field it depends on applies and has the option chosen.
func applies(s *Step, f *Field, values Values) bool {
	for n := 0; f.ShowWhen != nil; n++ {
		c := f.ShowWhen
		if n > len(s.Fields) || !contains(values[c.Field], c.Value) {
			return false // a cycle (Check forbids them) or the option is not chosen
		}
		if f = s.Field(c.Field); f == nil {
			return false
		}
	}
	return true
}

// trimAll trims each value and drops empty and repeated ones, so that an
// empty text field and an unticked checkbox both mean "no value". Values
// already so (saved answers, revalidated on every request) come back as
// they are, without a copy.
func trimAll(f *Field, vs []string) []string {
	if trimmed(f, vs) {
		return vs
	}
	var out []string
	for _, v := range vs {
		if v = trim(f, v); v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// trimmed reports whether trimAll would return vs unchanged.
func trimmed(f *Field, vs []string) bool {
	for i, v := range vs {
		if v == "" || trim(f, v) != v || contains(vs[:i], v) {
			return false
		}
	}
	return true
}

// trim trims one value. Line breaks in a textarea become "\n" whatever the
// browser sent, so that they count as one character.
func trim(f *Field, v string) string {
	if f.Kind != TextArea {
		return strings.TrimSpace(v)
	}
	if strings.Contains(v, "\r\n") {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	return strings.TrimRight(strings.TrimLeft(v, "\r\n"), " \t\r\n")
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// check applies the field's rules to its cleaned values, with options
// computed from the answers a, and returns the first failing rule's
// message, or "".
func check(f *Field, vs []string, a Answers) string {
	noun := f.Noun
	if noun == "" {
		noun = "an answer"
	}
	if len(vs) == 0 {
		if !f.Required {
			return ""
		}
		if f.Kind.choice() {
			return "Select " + noun
		}
		return "Enter " + noun
	}
	if f.Kind.choice() {
		opts := f.options(a)
		for _, v := range vs {
			if !hasOption(opts, v) {
				return "Select " + noun + " from the list"
			}
		}
		return ""
	}
	v := vs[0]
	n := utf8.RuneCountInString(v)
	if max := f.maxLen(); n > max {
		return fmt.Sprintf("%s must be %d characters or fewer (you have %d)", capitalize(noun), max, n)
	}
	if f.MinLen > 0 && n < f.MinLen {
		return fmt.Sprintf("%s must be %d characters or more", capitalize(noun), f.MinLen)
	}
	if f.Kind != TextArea && strings.ContainsAny(v, "\r\n") {
		return fmt.Sprintf("%s must be on one line", capitalize(noun))
	}
	switch f.Kind {
	case Email:
		if !plausibleEmail(v) {
			return "Enter " + noun + " in the correct format, like name@example.com"
		}
	case Number:
		x, err := strconv.ParseFloat(v, 64)
		if !plainNumber(v) || err != nil || math.IsInf(x, 0) {
			return capitalize(noun) + " must be a number, like 42"
		}
		if f.Min != nil && x < *f.Min {
			return fmt.Sprintf("%s must be %s or more", capitalize(noun), formatNumber(*f.Min))
		}
		if f.Max != nil && x > *f.Max {
			return fmt.Sprintf("%s must be %s or less", capitalize(noun), formatNumber(*f.Max))
		}
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return capitalize(noun) + " must be a real date, like 2026-03-27"
		}
	}
	if f.Pattern != nil {
		re := f.fullPattern
		if re == nil { // a field that did not go through Check
			re = anchored(f.Pattern)
		}
		if !re.MatchString(v) {
			if f.PatternMessage != "" {
				return f.PatternMessage
			}
			return "Enter " + noun + " in the correct format"
		}
	}
	return ""
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// plausibleEmail accepts what people type as an address: one @ with text on
// both sides, a dot in the domain, no spaces. Deliverability is not ours to
// judge.
func plausibleEmail(v string) bool {
	local, domain, ok := strings.Cut(v, "@")
	return ok && local != "" && !strings.Contains(domain, "@") &&
		strings.Contains(strings.Trim(domain, "."), ".") &&
		!strings.ContainsAny(v, " \t<>,;\"")
}

// plainNumber reports whether v is written the way people write numbers:
// an optional sign, digits and an optional decimal part ("42", "-3.5",
// ".5"). ParseFloat alone would also take "1_000", "0x1p3" and "Inf".
func plainNumber(v string) bool {
	if v != "" && (v[0] == '+' || v[0] == '-') {
		v = v[1:]
	}
	int, frac, _ := strings.Cut(v, ".")
	return (int != "" || frac != "") && allDigits(int) && allDigits(frac)
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
