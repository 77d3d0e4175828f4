package wizard

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
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
// earlier answers a. Errors come in field order, at most one per field; a
// value holding a control character or a bidirectional override fails its
// field (see refused), so no such value is ever saved. The error is
// ErrMalformed (wrapped) for input a browser would not send.
func Validate(s *Step, a Answers, input Values) (Values, []FieldError, error) {
	clean := make(Values, len(s.Fields))
	var parsed map[string]string // custom fields' messages from their Parse
	for _, f := range s.Fields {
		if f.Kind == Custom && f.Type != nil {
			msg, err := readCustom(f, input, clean, a)
			if err != nil {
				return nil, nil, err
			}
			if msg != "" {
				if parsed == nil {
					parsed = map[string]string{}
				}
				parsed[f.Name] = msg
			}
			continue
		}
		vs := input[f.Name]
		if err := malformed(f, vs); err != nil {
			return nil, nil, err
		}
		clean[f.Name] = trimAll(f, vs)
	}
	var errs []FieldError
	for _, f := range s.Fields {
		if !applies(s, f, clean, a, 0) {
			delete(clean, f.Name)
			if f.Kind == Custom && f.Type != nil {
				for i := range f.Type.Parts {
					delete(clean, f.Type.partName(f.Name, i))
				}
			}
			continue
		}
		msg, ok := parsed[f.Name]
		if !ok {
			msg = check(f, clean[f.Name], a)
		}
		if msg != "" {
			errs = append(errs, FieldError{Field: f.Name, Message: msg})
		}
	}
	return clean, errs, nil
}

// readCustom reads a custom field's inputs into clean: its answer when
// Parse accepts them, nothing when they are empty, and otherwise the
// values as typed (under the parts' form keys), to be shown again with the
// message it returns.
func readCustom(f *Field, input, clean Values, a Answers) (string, error) {
	vs, posted, err := customInput(f, input)
	if err != nil {
		return "", err
	}
	if empty(vs) {
		clean[f.Name] = nil // no answer, as for any field
		return "", nil
	}
	answer, msg := parseCustom(f, vs, a)
	switch {
	case msg == "":
		clean[f.Name] = []string{answer}
	case posted:
		for i, v := range vs {
			clean[f.Type.partName(f.Name, i)] = []string{v}
		}
	case len(f.Type.Parts) == 0:
		clean[f.Name] = vs
	default:
		clean[f.Name] = input[f.Name]
	}
	return msg, nil
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

// applies reports whether a field is in play: it has no ShowWhen, or its
// condition holds on the step's values and the saved answers a. depth
// counts the conditions being evaluated through which this one is asked.
func applies(s *Step, f *Field, values Values, a Answers, depth int) bool {
	if f.ShowWhen == nil {
		return true
	}
	var sh shown
	return f.ShowWhen.holds(scope{s: s, values: values, a: a, depth: depth, shown: &sh})
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
	seen := distinct{size: len(vs)}
	for _, v := range vs {
		if v = trim(f, v); v != "" && !seen.repeat(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// trimmed reports whether trimAll would return vs unchanged.
func trimmed(f *Field, vs []string) bool {
	seen := distinct{size: len(vs)}
	for i, v := range vs {
		if v == "" || trim(f, v) != v || seen.repeat(vs[:i], v) {
			return false
		}
	}
	return true
}

// scanLimit is how many distinct values are searched by a scan before
// distinct builds a set: a form has a handful of checkboxes, but a client
// may post thousands of values, and a scan for each would take quadratic
// time (25 ms for 4,500 values; see BenchmarkValidateManyCheckboxValues).
const scanLimit = 16

// distinct finds repeats among values met one by one, at most size of
// them. It allocates only past scanLimit values.
type distinct struct {
	size int
	set  map[string]struct{}
}

// repeat reports whether v is among prior, the distinct values met so far
// in order, which the caller extends with v when it is not.
func (d *distinct) repeat(prior []string, v string) bool {
	if d.set == nil {
		if len(prior) < scanLimit {
			return contains(prior, v)
		}
		d.set = make(map[string]struct{}, max(d.size, len(prior)+1))
		for _, p := range prior {
			d.set[p] = struct{}{}
		}
	}
	if _, ok := d.set[v]; ok {
		return true
	}
	d.set[v] = struct{}{}
	return false
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
	noun := nounOf(f, a)
	if len(vs) == 0 {
		if !f.Required {
			return ""
		}
		if msg := Expand(f.RequiredMessage, a); msg != "" {
			return msg
		}
		if f.Kind.choice() {
			return "Select " + noun
		}
		return "Enter " + noun
	}
	if f.Kind == Custom && f.Type != nil {
		return checkCustom(f, vs, a)
	}
	if f.Kind.choice() {
		opts := f.options(a)
		for _, v := range vs {
			if _, bad := refused(f.Kind, v); bad || !hasOption(opts, v) {
				return or(Expand(f.FormatMessage, a), "Select "+noun+" from the list")
			}
		}
		return ""
	}
	v := vs[0]
	n := utf8.RuneCountInString(v)
	if max := f.maxLen(); n > max {
		return or(Expand(f.MaxLenMessage, a), fmt.Sprintf("%s must be %d characters or fewer (you have %d)", capitalize(noun), max, n))
	}
	if f.MinLen > 0 && n < f.MinLen {
		return or(Expand(f.MinLenMessage, a), fmt.Sprintf("%s must be %d characters or more", capitalize(noun), f.MinLen))
	}
	if r, bad := refused(f.Kind, v); bad {
		switch r {
		case '\n', '\r':
			if f.Kind != TextArea {
				return capitalize(noun) + " must be on one line"
			}
		case '\t':
			return capitalize(noun) + " must not contain tabs"
		}
		return capitalize(noun) + " must not contain invisible or control characters"
	}
	switch f.Kind {
	case Email:
		if !plausibleEmail(v) {
			return or(Expand(f.FormatMessage, a), "Enter "+noun+" in the correct format, like name@example.com")
		}
	case Number:
		x, err := strconv.ParseFloat(v, 64)
		if !plainNumber(v) || err != nil || math.IsInf(x, 0) {
			return or(Expand(f.FormatMessage, a), capitalize(noun)+" must be a number, like 42")
		}
		if f.Min != nil && x < *f.Min {
			return or(Expand(f.MinMessage, a), fmt.Sprintf("%s must be %s or more", capitalize(noun), formatNumber(*f.Min)))
		}
		if f.Max != nil && x > *f.Max {
			return or(Expand(f.MaxMessage, a), fmt.Sprintf("%s must be %s or less", capitalize(noun), formatNumber(*f.Max)))
		}
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return or(Expand(f.FormatMessage, a), capitalize(noun)+" must be a real date, like 2026-03-27")
		}
	}
	if f.Pattern != nil {
		re := f.fullPattern
		if re == nil { // a field that did not go through Check
			re = anchored(f.Pattern)
		}
		if !re.MatchString(v) {
			return or(Expand(f.PatternMessage, a), "Enter "+noun+" in the correct format")
		}
	}
	return ""
}

// nounOf names a field's answer in messages: its Noun with the answers
// filled in, or "an answer".
func nounOf(f *Field, a Answers) string { return or(Expand(f.Noun, a), "an answer") }

// refused returns the first character of v that no answer to a field of
// kind k may hold, and whether there is one. No answer holds a control
// character (C0, DEL, C1) or a bidirectional override or isolate (U+202A to
// U+202E, U+2066 to U+2069): echoed into a heading, a title or a
// submission, they hide, garble or reorder what was written. Only a
// textarea holds tabs and line feeds; trim has made its CRLFs "\n", so a CR
// left there is a lone one, which no browser sends.
func refused(k Kind, v string) (rune, bool) {
	for _, r := range v {
		switch {
		case r >= ' ' && r < 0x7f: // the usual case, first
		case r == '\t' || r == '\n':
			if k != TextArea {
				return r, true
			}
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return r, true
		}
	}
	return 0, false
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

// or returns message, or def when message is empty.
func or(message, def string) string {
	if message != "" {
		return message
	}
	return def
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
