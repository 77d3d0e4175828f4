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
	// Exits are the ways a journey may end without a submission, each a
	// page of its own (see Exit).
	Exits []*Exit
}

// Exit ends a journey early: a page with its title and body that offers
// no review and no submit, e.g. "You cannot buy this licence". A step's
// Routes or Next lead to it by name; exit and step names are unique
// together. Title and Body may name earlier answers as {step.field}.
type Exit struct {
	Name  string
	Title string
	Body  string
}

// Route sends a journey on from a step when its condition holds: to a
// later step (Goto) or out through an exit (Exit), one of the two.
type Route struct {
	// When is the condition; nil always holds.
	When *Condition
	Goto string
	Exit string
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
	// Routes choose the step that follows, as data Check can verify: the
	// first route whose condition holds decides; when none does, the step
	// declared after this one follows (or the journey ends after the last
	// step). Routes only go forward.
	Routes []Route
	// Next, when set instead of Routes, is Go code that names the step or
	// exit that follows given the answers so far, or returns "" to end
	// the journey.
	Next func(Answers) string
	// Checks check the step's answers together, once each field has
	// passed its own rules (see Check).
	Checks []Check
	// Repeat, when set, makes the step collect a list of items, each one
	// set of its fields (see Repeat).
	Repeat *Repeat
	// View, when set, names the component that draws the step instead of
	// the standard one: the program registers it under this name (see
	// views.Components), and the server refuses a wizard whose view is
	// not registered.
	View string
}

// Goto returns a Next function that always leads to the named step.
func Goto(step string) func(Answers) string {
	return func(Answers) string { return step }
}

// reservedWizard reports whether a wizard name is taken by the server's
// own pages (its address would be theirs).
func reservedWizard(name string) bool {
	switch name {
	case "static", "healthz", "metrics", "keepalive":
		return true
	}
	return false
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
func ValidName(s string) bool {
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

// Exit returns the exit with the given name, or nil.
func (w *Wizard) Exit(name string) *Exit {
	for _, e := range w.Exits {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// next returns the step that follows s given the answers, or the exit the
// journey ends in, or neither at the end.
func (w *Wizard) next(s *Step, a Answers) (*Step, *Exit) {
	if s.Next != nil {
		name := s.Next(a)
		if t := w.Step(name); t != nil {
			return t, nil
		}
		return nil, w.Exit(name)
	}
	sc := scope{s: s, values: a[s.Name], a: a}
	if len(s.Routes) > 0 {
		sc.shown = &shown{}
	}
	for _, r := range s.Routes {
		if r.When.holds(sc) {
			if r.Exit != "" {
				return nil, w.Exit(r.Exit)
			}
			return w.Step(r.Goto), nil
		}
	}
	for i, t := range w.Steps {
		if t == s && i+1 < len(w.Steps) {
			return w.Steps[i+1], nil
		}
	}
	return nil, nil
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
