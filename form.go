package wizard

import "strings"

// Form is a step made concrete for one user: its texts expanded from their
// answers, its fields filled with values, its errors attached, and its place
// on the journey. Views render a Form; they need nothing else of the engine.
type Form struct {
	Wizard *Wizard
	Step   *Step
	Title  string
	Help   string
	Submit string
	// Fields are the step's fields in order, except conditional ones, which
	// hang off the option that reveals them.
	Fields []*FormField
	// Errors are in field order; Label names the field for an error summary.
	Errors []FormError
	// Number is the step's 1-based position on the journey, of Total steps.
	Number, Total int
	// Prev is the step before this one on the journey, or nil on the first.
	Prev *Step
}

// FormField is a field as shown to one user.
type FormField struct {
	Name         string
	Kind         Kind
	Label        string
	Hint         string
	Required     bool
	MaxLen       int
	Autocomplete string
	Values       []string
	Error        string
	Options      []FormOption
}

// Value returns the field's first value, or "".
func (f *FormField) Value() string {
	if len(f.Values) > 0 {
		return f.Values[0]
	}
	return ""
}

// FormOption is one choice of a field as shown to one user.
type FormOption struct {
	Value   string
	Label   string
	Checked bool
	// Reveals holds the fields that apply only while this option is chosen.
	Reveals []*FormField
}

// FormError is one entry of an error summary.
type FormError struct {
	Field   string
	Label   string
	Message string
}

// Form builds the step's form for a user on journey j, showing values (the
// saved answers, or what was just submitted) and errs (from Validate).
func (j *Journey) Form(s *Step, values Values, errs []FieldError) *Form {
	a := j.answers
	f := &Form{
		Wizard: j.wizard,
		Step:   s,
		Title:  Expand(s.Title, a),
		Help:   Expand(s.Help, a),
		Submit: s.Submit,
		Number: j.Index(s.Name) + 1,
		Total:  j.Len(),
		Prev:   j.Prev(s.Name),
	}
	if f.Submit == "" {
		f.Submit = "Continue"
	}
	msgs := map[string]string{}
	for _, e := range errs {
		msgs[e.Field] = e.Message
	}
	byName := map[string]*FormField{}
	for _, fd := range s.Fields {
		ff := &FormField{
			Name:         fd.Name,
			Kind:         fd.Kind,
			Label:        Expand(fd.Label, a),
			Hint:         Expand(fd.Hint, a),
			Required:     fd.Required,
			MaxLen:       fd.maxLen(),
			Autocomplete: fd.Autocomplete,
			Values:       values[fd.Name],
			Error:        msgs[fd.Name],
		}
		for _, o := range fd.options(a) {
			ff.Options = append(ff.Options, FormOption{
				Value:   o.Value,
				Label:   Expand(o.Label, a),
				Checked: contains(ff.Values, o.Value),
			})
		}
		byName[fd.Name] = ff
		switch how, _ := revealed(s, fd); {
		case how == always:
			f.Fields = append(f.Fields, ff)
		case how == decided:
			if applies(s, fd, values, a, 0) {
				f.Fields = append(f.Fields, ff)
			}
		}
	}
	for _, fd := range s.Fields {
		how, option := revealed(s, fd)
		if how != underOption {
			continue
		}
		parent := byName[fd.ShowWhen.Field]
		for i := range parent.Options {
			if parent.Options[i].Value == option {
				parent.Options[i].Reveals = append(parent.Options[i].Reveals, byName[fd.Name])
			}
		}
	}
	for _, e := range errs {
		if ff := byName[e.Field]; ff != nil {
			f.Errors = append(f.Errors, FormError{Field: e.Field, Label: ff.Label, Message: e.Message})
		}
	}
	return f
}

// reveal is how a form shows a field.
type reveal int

const (
	// always: in its place, whether or not it applies yet (its condition
	// is on this step's answers, but more than one option decides it).
	always reveal = iota
	// decided: in its place if its condition, on earlier answers only,
	// holds; not at all otherwise.
	decided
	// underOption: under the option of a field of the same step whose
	// choice reveals it ("Other: please say what").
	underOption
)

// revealed says how the form shows field f of step s, and under which
// option of the field its condition names when underOption.
func revealed(s *Step, f *Field) (reveal, string) {
	c := f.ShowWhen
	if c == nil {
		return always, ""
	}
	if len(sameStepRefs(c, s)) == 0 {
		return decided, ""
	}
	if !strings.Contains(c.Field, ".") {
		parent := s.Field(c.Field)
		if parent != nil && parent != f && parent.Kind.choice() {
			switch {
			case c.Test == Eq && !parent.Kind.Multiple(), c.Test == Contains && parent.Kind.Multiple():
				return underOption, c.Value
			case c.Test == In && len(c.Values) == 1 && !parent.Kind.Multiple():
				return underOption, c.Values[0]
			}
		}
	}
	return always, ""
}
