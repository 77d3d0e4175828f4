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
	// Type names a custom field's type (Kind Custom), whose component
	// draws its inputs, Parts: one per part of the type (or one for a
	// type of one input), named and filled in.
	Type  string
	Parts []FormPart
	// ShowWhen is set on a field shown in its place whose condition is on
	// answers of this step: the page's script shows the field while it
	// holds, as the user answers. Without a script the field shows, and
	// Validate drops its value when the condition does not hold. Nil when
	// the field always applies.
	ShowWhen *ScriptCondition
}

// ScriptCondition is a field's condition as the page's script evaluates
// it on the form as the user fills it in, so it must be data (no code):
// a leaf on a field of the step names its form key (Field), the test (its
// definition-file name, e.g. "in"; never "not answered", written as not
// "answered") and its operands, and the field's kind when it is "number"
// or "date" (then "eq" compares numbers and "lt" orders them). Exactly one
// of Field, All, Any and Not is set. Leaves on earlier answers are decided
// on the server, and the decided parts folded away: a ScriptCondition
// always depends on the form. A leaf on a field that has a condition of
// its own holds only while that one does, as on the server: a field that
// does not apply has no answer.
type ScriptCondition struct {
	Field  string             `json:"field,omitempty"`
	Test   string             `json:"test,omitempty"`
	Value  string             `json:"value,omitempty"`
	Values []string           `json:"values,omitempty"`
	Kind   string             `json:"kind,omitempty"`
	All    []*ScriptCondition `json:"all,omitempty"`
	Any    []*ScriptCondition `json:"any,omitempty"`
	Not    *ScriptCondition   `json:"not,omitempty"`
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
		Submit: Expand(s.Submit, a),
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
		if fd.Kind == Custom && fd.Type != nil {
			ff.Type = fd.Type.Name
			ff.Parts = formParts(fd, values)
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
			// On this step's answers, once earlier ones are known: for
			// the script, or decided already (then shown or not).
			sc, holds := scriptCondition(fd.ShowWhen, s, a, 0)
			if ff.ShowWhen = sc; sc != nil || holds {
				f.Fields = append(f.Fields, ff)
			}
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

// scriptCondition describes condition c of a field of step s for the
// page's script, deciding its leaves on earlier answers against a. When
// what is left does not depend on the form, it returns nil and whether c
// holds. depth bounds the recursion as in holds.
func scriptCondition(c *Condition, s *Step, a Answers, depth int) (*ScriptCondition, bool) {
	if c == nil {
		return nil, true
	}
	if depth > maxDepth {
		return nil, false
	}
	depth++
	switch {
	case c.Not != nil:
		sc, holds := scriptCondition(c.Not, s, a, depth)
		if sc == nil {
			return nil, !holds
		}
		return &ScriptCondition{Not: sc}, false
	case c.All != nil:
		return scriptCombination(c.All, true, s, a, depth)
	case c.Any != nil:
		return scriptCombination(c.Any, false, s, a, depth)
	}
	f, here := c.fieldOn(s)
	if !here {
		return nil, c.holds(scope{s: s, a: a, depth: depth})
	}
	if f == nil {
		return nil, c.Test == NotAnswered
	}
	var sc *ScriptCondition
	if c.Test == NotAnswered {
		sc = &ScriptCondition{Field: f.Name, Test: Answered.String()}
	} else {
		sc = &ScriptCondition{Field: f.Name, Test: c.Test.String(), Value: c.Value, Values: c.Values}
	}
	if f.Kind == Number || f.Kind == Date {
		sc.Kind = f.Kind.String()
	}
	if f.ShowWhen != nil {
		// A field that does not apply has no answer.
		switch applies, holds := scriptCondition(f.ShowWhen, s, a, depth); {
		case applies != nil:
			sc = &ScriptCondition{All: []*ScriptCondition{applies, sc}}
		case !holds:
			return nil, c.Test == NotAnswered
		}
	}
	if c.Test == NotAnswered {
		return &ScriptCondition{Not: sc}, false
	}
	return sc, false
}

// scriptCombination describes all (or else any) of cs for the script: a
// decided condition that decides the combination decides it, the other
// decided ones are left out, and a combination of one is that one.
func scriptCombination(cs []*Condition, all bool, s *Step, a Answers, depth int) (*ScriptCondition, bool) {
	var left []*ScriptCondition
	for _, d := range cs {
		sc, holds := scriptCondition(d, s, a, depth)
		if sc == nil {
			if holds != all {
				return nil, holds
			}
			continue
		}
		left = append(left, sc)
	}
	switch {
	case len(left) == 0:
		return nil, all
	case len(left) == 1:
		return left[0], false
	case all:
		return &ScriptCondition{All: left}, false
	}
	return &ScriptCondition{Any: left}, false
}

// fieldOn returns the field of step s a leaf names, and whether it names
// one of s at all (here=false for a field of an earlier step). The field
// is nil when s has none of that name.
func (c *Condition) fieldOn(s *Step) (f *Field, here bool) {
	if c.step != nil {
		return c.field, c.step == s
	}
	stepName, name, cross := strings.Cut(c.Field, ".")
	switch {
	case !cross:
		return s.Field(stepName), true
	case stepName == s.Name:
		return s.Field(name), true
	}
	return nil, false
}
