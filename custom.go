package wizard

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// FieldType is a kind of field of the program's own, such as a postcode
// or a date asked as day, month and year (the GOV.UK pattern): how the
// field's answer is read from its inputs and checked. A field of the type
// has Kind Custom and Type set; the page draws its inputs with the
// component registered under the type's Name (see views.Components), and a
// definition file names the type as the field's kind.
//
// The answer saved is one string, which reviews, submissions and
// conditions see like a text field's answer. The field's Required rule and
// messages apply as to any field; the typed values are refused, as every
// answer is, when they hold control characters or are longer than
// DefaultMaxLen.
type FieldType struct {
	// Name names the type: lowercase letters, digits, '-' and '_'.
	Name string
	// Parts name the field's inputs when it has several: a field "dob"
	// with the parts day, month and year posts dob-day, dob-month and
	// dob-year. None means one input, named after the field.
	Parts []string
	// Parse reads the answer from the inputs' trimmed values, one per
	// part (or the single input's), of which at least one is not empty.
	// It returns the answer to save, or a message for people saying what
	// to correct ("Enter a real postcode"). Parse must accept what it
	// returns: Parse(Split(answer)) gives answer back, since saved
	// answers are checked again on every request.
	Parse func(values []string) (answer string, message string)
	// Split gives a saved answer back as the inputs' values, one per part;
	// nil when the type has one input, whose value is the answer.
	Split func(answer string) []string
	// Labels label the parts' inputs for people ("Day", "Month",
	// "Year"), in the order of Parts; a part without one is labelled with
	// its name, capitalized.
	Labels []string
}

// partName is the form key of a custom field's i-th part.
func (t *FieldType) partName(field string, i int) string {
	if len(t.Parts) == 0 {
		return field
	}
	return field + "-" + t.Parts[i]
}

// parts returns the number of inputs of the type.
func (t *FieldType) parts() int { return max(1, len(t.Parts)) }

// split returns a saved answer's values for the inputs.
func (t *FieldType) split(answer string) []string {
	if t.Split == nil {
		return []string{answer}
	}
	vs := t.Split(answer)
	out := make([]string, t.parts())
	copy(out, vs)
	return out
}

// customInput reads a custom field's inputs from input: the posted parts,
// or, when none of them was posted, the answer under the field's own name
// (a saved answer checked again), split into its parts. posted says the
// parts came from the form. The values are trimmed; all empty means no
// answer.
func customInput(f *Field, input Values) (values []string, posted bool, err error) {
	t := f.Type
	values = make([]string, t.parts())
	if len(t.Parts) > 0 {
		for i := range t.Parts {
			vs, ok := input[t.partName(f.Name, i)]
			if !ok {
				continue
			}
			posted = true
			if len(vs) > 1 {
				return nil, false, fmt.Errorf("field %q: %d values for part %q: %w", f.Name, len(vs), t.Parts[i], ErrMalformed)
			}
			if len(vs) == 1 {
				values[i] = vs[0]
			}
		}
	}
	if !posted {
		vs := input[f.Name]
		if err := malformed(f, vs); err != nil {
			return nil, false, err
		}
		if len(vs) == 1 {
			values = t.split(vs[0])
		}
	}
	for i, v := range values {
		if !utf8.ValidString(v) {
			return nil, false, fmt.Errorf("field %q: invalid UTF-8: %w", f.Name, ErrMalformed)
		}
		values[i] = strings.TrimSpace(v)
	}
	return values, posted, nil
}

// empty reports whether every value is "".
func empty(vs []string) bool {
	for _, v := range vs {
		if v != "" {
			return false
		}
	}
	return true
}

// parseCustom checks a custom field's values (not all empty) and parses
// them: the answer, or the message for people.
func parseCustom(f *Field, values []string, a Answers) (answer, message string) {
	noun := nounOf(f, a)
	for _, v := range values {
		if n := utf8.RuneCountInString(v); n > DefaultMaxLen {
			return "", fmt.Sprintf("%s must be %d characters or fewer (you have %d)", capitalize(noun), DefaultMaxLen, n)
		}
		if _, bad := refused(Custom, v); bad {
			return "", capitalize(noun) + " must not contain invisible or control characters"
		}
	}
	answer, message = f.Type.Parse(values)
	if message == "" {
		if _, bad := refused(Custom, answer); bad {
			// The program's Parse made an answer we would never save.
			return "", capitalize(noun) + " must not contain invisible or control characters"
		}
	}
	return answer, message
}

// checkCustom checks a saved answer of a custom field: Parse must give it
// back from its parts. It returns the message for people, or "".
func checkCustom(f *Field, vs []string, a Answers) string {
	answer, msg := parseCustom(f, f.Type.split(vs[0]), a)
	if msg != "" {
		return msg
	}
	if answer != vs[0] {
		return or(Expand(f.FormatMessage, a), "Enter "+nounOf(f, a)+" again")
	}
	return ""
}

// FormPart is one input of a custom field as shown: its form key (the
// field's name, or name-part), its part's name ("" for a single input)
// and its value.
type FormPart struct {
	Part  string
	Name  string
	Value string
	// Label labels the part's input (see FieldType.Labels); "" for a
	// single input, which the field's label labels.
	Label string
}

// formParts builds a custom field's inputs from values: the parts as typed
// (after an error) or the saved answer split.
func formParts(f *Field, values Values) []FormPart {
	t := f.Type
	parts := make([]FormPart, t.parts())
	var typed []string
	for i := range parts {
		parts[i].Name = t.partName(f.Name, i)
		if len(t.Parts) > 0 {
			parts[i].Part = t.Parts[i]
			parts[i].Label = capitalize(t.Parts[i])
			if i < len(t.Labels) && t.Labels[i] != "" {
				parts[i].Label = t.Labels[i]
			}
		}
	}
	switch vs, saved := values[f.Name]; {
	case len(t.Parts) == 0 || (saved && len(vs) == 1):
		if len(vs) == 1 {
			typed = t.split(vs[0])
		}
	default:
		typed = make([]string, len(parts))
		for i := range parts {
			typed[i] = values.Get(parts[i].Name)
		}
	}
	for i := range parts {
		if i < len(typed) {
			parts[i].Value = typed[i]
		}
	}
	return parts
}
