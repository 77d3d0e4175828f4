package wizard

import (
	"fmt"
	"regexp"
)

// Kind is the type of input a field asks for.
type Kind int

// The kinds of field a step can hold.
const (
	Text Kind = iota
	Email
	Number
	Date
	TextArea
	Select
	Radio
	Checkboxes
	YesNo
)

var kindNames = [...]string{"text", "email", "number", "date", "textarea", "select", "radio", "checkboxes", "yesno"}

// String returns the kind's lowercase name, e.g. "checkboxes".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// choice reports whether answers must come from the field's options.
func (k Kind) choice() bool {
	return k == Select || k == Radio || k == Checkboxes || k == YesNo
}

// Multiple reports whether the field takes several values (checkboxes).
func (k Kind) Multiple() bool { return k == Checkboxes }

// DefaultMaxLen is the longest value, in characters, a field accepts when
// its MaxLen is zero.
const DefaultMaxLen = 1000

// Option is one choice of a select, radio or checkboxes field. Label may name
// earlier answers as {step.field}.
type Option struct {
	Value string
	Label string
}

// Condition makes a field apply only when another field of the same step has
// the given option chosen (the "other, please specify" pattern).
type Condition struct {
	Field string
	Value string
}

// Field is one question of a step. Its texts may name earlier answers as
// {step.field}. The zero values of the rules mean "no rule", except MaxLen,
// where zero means DefaultMaxLen.
type Field struct {
	// Name is the form key, unique within the step.
	Name  string
	Kind  Kind
	Label string
	Hint  string
	// Noun names the answer in error messages, e.g. "your name" gives
	// "Enter your name". Defaults to "an answer".
	Noun string

	Required bool
	MinLen   int
	MaxLen   int
	// Min and Max bound a Number field's value when set.
	Min, Max *float64
	// Pattern must match the whole value; PatternMessage explains it to people.
	Pattern        *regexp.Regexp
	PatternMessage string
	// fullPattern is Pattern anchored at both ends, prepared by Check.
	fullPattern *regexp.Regexp

	// Options lists the choices of a Select, Radio or Checkboxes field.
	// OptionsFunc, when set, computes them from earlier answers instead.
	Options     []Option
	OptionsFunc func(Answers) []Option

	// ShowWhen, when set, makes the field apply only while another field of
	// the same step has a given option chosen. Otherwise its value is dropped.
	ShowWhen *Condition

	// Autocomplete is the HTML autocomplete token, e.g. "name" or "email".
	Autocomplete string
}

// Float returns a pointer to v, for Field.Min and Field.Max.
func Float(v float64) *float64 { return &v }

func (f *Field) check() error {
	if !validName(f.Name) {
		return fmt.Errorf("field name %q: use lowercase letters, digits, '-' and '_'", f.Name)
	}
	if f.Kind < Text || f.Kind > YesNo {
		return fmt.Errorf("field %q: unknown kind %d", f.Name, int(f.Kind))
	}
	if f.Kind.choice() && f.Kind != YesNo && len(f.Options) == 0 && f.OptionsFunc == nil {
		return fmt.Errorf("field %q: a %s field needs options", f.Name, f.Kind)
	}
	for _, o := range f.Options {
		if _, bad := refused(f.Kind, o.Value); bad {
			return fmt.Errorf("field %q: option %q holds a control character, so no answer can choose it", f.Name, o.Value)
		}
	}
	if f.MaxLen < 0 || f.MinLen < 0 {
		return fmt.Errorf("field %q: negative length bound %d..%d", f.Name, f.MinLen, f.MaxLen)
	}
	if f.MinLen > f.maxLen() {
		return fmt.Errorf("field %q: no answer can be %d..%d characters long", f.Name, f.MinLen, f.maxLen())
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		return fmt.Errorf("field %q: minimum %v is above maximum %v", f.Name, *f.Min, *f.Max)
	}
	if f.Pattern != nil {
		f.fullPattern = anchored(f.Pattern)
	}
	return nil
}

// anchored returns re made to match whole values only. Checking a match's
// span is not enough: Go's leftmost-first matching may stop at a shorter
// alternative ("a|ab" finds "a" in "ab").
func anchored(re *regexp.Regexp) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + re.String() + `)$`) // cannot fail: re compiled
}

// maxLen is the field's effective maximum length.
func (f *Field) maxLen() int {
	if f.MaxLen > 0 {
		return f.MaxLen
	}
	return DefaultMaxLen
}

// options returns the field's choices for the given answers.
func (f *Field) options(a Answers) []Option {
	switch {
	case f.Kind == YesNo:
		return []Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}
	case f.OptionsFunc != nil:
		return f.OptionsFunc(a)
	}
	return f.Options
}
