package views

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/a-h/templ"

	"github.com/wizard/wizard"
)

// Components are the parts of the pages a program draws itself. Each is a
// templ component taking the same view model as ours, so the server's
// htmx contract (the #step swap target, HX-Push-Url, partial or full
// page), the error summary, the focus handling of static/app.js and the
// pages without JavaScript keep working. The zero value draws every page
// our way.
type Components struct {
	// Layout wraps every full page (partials for htmx swaps go without
	// it, as with ours): the document with its head, the site's header,
	// navigation and footer, and its own stylesheets. It renders the
	// page's content as its children inside <main id="main">, and must
	// include Head in its <head>, and TimeoutWarning and BodyEnd in its
	// <body> (see Layout, which is ours). Nil means Layout.
	Layout func(Page) templ.Component
	// Steps draw steps whose wizard.Step.View names them, in place of
	// StepBody: the heading, help, form and fields (see StepBody for the
	// pieces to build one from). The #step section around it, with its
	// back link, notices, error summary and progress, stays ours.
	Steps map[string]func(StepView) templ.Component
	// Inputs draw the inputs of custom fields (wizard.Custom), under the
	// name of their wizard.FieldType, in place of our input: one input
	// per part, each named and filled from the field's Parts, the first
	// with id InputID(f, 0) (the error summary links to it) and each
	// described by Described(f). Label, hint and error stay ours; a field
	// of several parts is a fieldset whose legend is the label.
	Inputs map[string]func(*wizard.FormField) templ.Component
}

// Check reports the components that the wizards need and that c does not
// have: a step's View, a custom field type's input.
func (c *Components) Check(ws []*wizard.Wizard) error {
	var missing []string
	for _, w := range ws {
		for _, st := range w.Steps {
			if st.View != "" && (c == nil || c.Steps[st.View] == nil) {
				missing = append(missing, fmt.Sprintf("wizard %q, step %q: no step component %q", w.Name, st.Name, st.View))
			}
			for _, f := range st.Fields {
				if f.Kind == wizard.Custom && f.Type != nil && (c == nil || c.Inputs[f.Type.Name] == nil) {
					missing = append(missing, fmt.Sprintf("wizard %q, step %q, field %q: no input component for field type %q", w.Name, st.Name, f.Name, f.Type.Name))
				}
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("components missing: %v", missing)
}

type componentsKey struct{}

// WithComponents returns ctx carrying c, for the fields of the page
// rendered with it to find their inputs' components.
func WithComponents(ctx context.Context, c *Components) context.Context {
	return context.WithValue(ctx, componentsKey{}, c)
}

// customInput is the component drawing a custom field's inputs, from the
// Components in ctx; a missing one is an error (Components.Check finds it
// before any page is drawn).
func customInput(ctx context.Context, f *wizard.FormField) templ.Component {
	if c, _ := ctx.Value(componentsKey{}).(*Components); c != nil {
		if in := c.Inputs[f.Type]; in != nil {
			return in(f)
		}
	}
	return templ.ComponentFunc(func(context.Context, io.Writer) error {
		return fmt.Errorf("field %q: no input component for field type %q", f.Name, f.Type)
	})
}

// InputID is the HTML id of a field's i-th input (of a custom field's
// i-th part), which labels and the error summary link to.
func InputID(f *wizard.FormField, i int) string { return optionID(f.Name, i) }

// Described is the value of a field's inputs' aria-describedby: the ids
// of its hint and error, or "".
func Described(f *wizard.FormField) string { return describedBy(f) }
