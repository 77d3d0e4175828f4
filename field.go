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
	// Custom is a field of the program's own type (Field.Type): a
	// postcode, a date asked as day, month and year.
	Custom
)

var kindNames = [...]string{"text", "email", "number", "date", "textarea", "select", "radio", "checkboxes", "yes_no", "custom"}

// String returns the kind's name as definition files spell it, e.g.
// "checkboxes" or "yes_no".
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
	// RequiredMessage, MinLenMessage, MaxLenMessage, MinMessage and
	// MaxMessage replace the default message of their rule, and
	// FormatMessage that of an answer that is not an email address, a
	// number, a date or one of the options. Empty keeps the default.
	RequiredMessage, MinLenMessage, MaxLenMessage string
	MinMessage, MaxMessage, FormatMessage         string
	// fullPattern is Pattern anchored at both ends, prepared by Check.
	fullPattern *regexp.Regexp

	// Options lists the choices of a Select, Radio or Checkboxes field.
	// OptionsFunc, when set, computes them from earlier answers instead.
	Options     []Option
	OptionsFunc func(Answers) []Option

	// ShowWhen, when set, makes the field apply only while the condition
	// holds, on the fields of the same step (the "Other: please say what"
	// pattern) or on earlier answers. Otherwise its value is dropped.
	ShowWhen *Condition

	// Autocomplete is the HTML autocomplete token, e.g. "name" or "email".
	Autocomplete string

	// Type is the field's own type when Kind is Custom (and only then):
	// how its answer is read and checked. See FieldType.
	Type *FieldType
}

// Float returns a pointer to v, for Field.Min and Field.Max.
func Float(v float64) *float64 { return &v }

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
