package wizard

import (
	"errors"
	"fmt"
)

// Wizard is a multi-step form: a name (its URL segment), a title shown to
// users, and its steps in declaration order. The first step starts every
// journey.
type Wizard struct {
	Name  string
	Title string
	// Intro is shown on the list of wizards.
	Intro string
	// Done is the message of the page shown after the last step; it may
	// name answers as {step.field}. "Thank you." if empty.
	Done string
	// ReviewTitle heads the page that lists the answers before they are
	// submitted; "Check your answers" if empty.
	ReviewTitle string
	// RefPrefix starts the short reference of each submission, e.g. "REG";
	// the name's first three letters in capitals if empty.
	RefPrefix string
	Steps     []*Step
}

// Step is one page of a wizard. Title, Help and the texts of its fields may
// name earlier answers as {step.field}; see Expand.
type Step struct {
	// Name is the step's URL segment, unique within its wizard.
	Name   string
	Title  string
	Help   string
	Fields []*Field
	// Submit is the label of the button that saves the step; "Continue" if empty.
	Submit string
	// Next names the step that follows this one given the answers so far, or
	// returns "" to end the journey. If Next is nil, the step declared after
	// this one follows (or the journey ends after the last step).
	Next func(Answers) string
}

// Goto returns a Next function that always leads to the named step.
func Goto(step string) func(Answers) string {
	return func(Answers) string { return step }
}

// reserved reports whether a step name is taken by the server's own pages
// under a wizard.
func reserved(name string) bool {
	switch name {
	case "done", "review", "submit", "restart", "keepalive":
		return true
	}
	return false
}

// validName reports whether a wizard, step or field name is usable in URLs,
// form keys and {step.field} references: lowercase letters, digits, '-' and
// '_', starting with a letter or digit.
func validName(s string) bool {
	if s == "" || s[0] == '-' || s[0] == '_' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Check reports the first mistake in a wizard definition: bad or duplicate
// names, reserved step names, unknown option references. Servers call it
// once at start-up so that a broken definition fails loudly, not on a user.
func (w *Wizard) Check() error {
	if !validName(w.Name) {
		return fmt.Errorf("wizard name %q: use lowercase letters, digits, '-' and '_'", w.Name)
	}
	if len(w.Steps) == 0 {
		return fmt.Errorf("wizard %q: no steps", w.Name)
	}
	steps := map[string]bool{}
	for _, s := range w.Steps {
		if err := s.check(); err != nil {
			return fmt.Errorf("wizard %q: %w", w.Name, err)
		}
		if steps[s.Name] {
			return fmt.Errorf("wizard %q: duplicate step %q", w.Name, s.Name)
		}
		steps[s.Name] = true
	}
	return nil
}

func (s *Step) check() error {
	if !validName(s.Name) {
		return fmt.Errorf("step name %q: use lowercase letters, digits, '-' and '_'", s.Name)
	}
	if reserved(s.Name) {
		return fmt.Errorf("step name %q is reserved", s.Name)
	}
	fields := map[string]*Field{}
	for _, f := range s.Fields {
		if err := f.check(); err != nil {
			return fmt.Errorf("step %q: %w", s.Name, err)
		}
		if fields[f.Name] != nil {
			return fmt.Errorf("step %q: duplicate field %q", s.Name, f.Name)
		}
		fields[f.Name] = f
	}
	for _, f := range s.Fields {
		if f.ShowWhen == nil {
			continue
		}
		parent := fields[f.ShowWhen.Field]
		if parent == nil || parent == f {
			return fmt.Errorf("step %q: field %q shows when unknown field %q", s.Name, f.Name, f.ShowWhen.Field)
		}
		if !parent.Kind.choice() {
			return fmt.Errorf("step %q: field %q shows when %q, which has no options", s.Name, f.Name, parent.Name)
		}
		if parent.OptionsFunc == nil && !hasOption(parent.options(nil), f.ShowWhen.Value) {
			return fmt.Errorf("step %q: field %q shows when %q is %q, which is not one of its options",
				s.Name, f.Name, parent.Name, f.ShowWhen.Value)
		}
		for p, n := parent, 0; p.ShowWhen != nil; p, n = fields[p.ShowWhen.Field], n+1 {
			if p == f || n > len(s.Fields) {
				return fmt.Errorf("step %q: field %q shows when a field that depends on it", s.Name, f.Name)
			}
			if fields[p.ShowWhen.Field] == nil {
				break
			}
		}
	}
	return nil
}

// Step returns the step with the given name, or nil.
func (w *Wizard) Step(name string) *Step {
	for _, s := range w.Steps {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Field returns the field with the given name, or nil.
func (s *Step) Field(name string) *Field {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// next returns the step that follows s given the answers, or nil at the end.
func (w *Wizard) next(s *Step, a Answers) *Step {
	if s.Next != nil {
		return w.Step(s.Next(a))
	}
	for i, t := range w.Steps {
		if t == s && i+1 < len(w.Steps) {
			return w.Steps[i+1]
		}
	}
	return nil
}

// ErrDuplicate is returned by NewCatalog when two wizards share a name.
var ErrDuplicate = errors.New("duplicate wizard name")

// Catalog is the set of wizards a server offers, in display order.
type Catalog struct {
	list   []*Wizard
	byName map[string]*Wizard
}

// NewCatalog checks every wizard and indexes them by name.
func NewCatalog(ws ...*Wizard) (*Catalog, error) {
	c := &Catalog{byName: map[string]*Wizard{}}
	for _, w := range ws {
		if err := w.Check(); err != nil {
			return nil, err
		}
		if c.byName[w.Name] != nil {
			return nil, fmt.Errorf("wizard %q: %w", w.Name, ErrDuplicate)
		}
		c.byName[w.Name] = w
		c.list = append(c.list, w)
	}
	return c, nil
}

// Get returns the named wizard, or nil.
func (c *Catalog) Get(name string) *Wizard { return c.byName[name] }

// All returns the wizards in display order.
func (c *Catalog) All() []*Wizard { return c.list }
