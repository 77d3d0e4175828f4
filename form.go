package wizard

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
		if fd.ShowWhen == nil {
			f.Fields = append(f.Fields, ff)
		}
	}
	for _, fd := range s.Fields {
		c := fd.ShowWhen
		if c == nil {
			continue
		}
		parent := byName[c.Field]
		for i := range parent.Options {
			if parent.Options[i].Value == c.Value {
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
