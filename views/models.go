// Package views renders the wizard's HTML with templ. Components take view
// models filled by the handlers; one component per concern, and each page's
// content is one component whether it is sent alone (an htmx swap) or
// wrapped in the Layout (a full page).
package views

import (
	"strconv"
	"strings"

	"github.com/wizard/wizard"
)

// Assets names the URLs of the static files every full page loads.
type Assets struct {
	CSS     string
	Scripts []string
}

// Frame is what every response of the wizard needs besides its content.
type Frame struct {
	Assets Assets
	// Partial is true when only the content is sent, for an htmx swap.
	Partial bool
}

// StepView is one step of a wizard as shown to one user.
type StepView struct {
	Frame
	Form *wizard.Form
	// Action is the URL the step's form posts to.
	Action string
	// BackURL leads to the previous step of the journey; "" on the first.
	BackURL string
	// HomeURL lists the wizards.
	HomeURL string
	// Expired shows the notice that an earlier session ended for inactivity.
	Expired bool
}

// Title is the document title: the step and the wizard, prefixed "Error: "
// when the form has errors.
func (v StepView) Title() string {
	t := v.Form.Title + " – " + v.Form.Wizard.Title
	if len(v.Form.Errors) > 0 {
		t = "Error: " + t
	}
	return t
}

// Progress is the "Step N of M" text.
func (v StepView) Progress() string {
	return "Step " + strconv.Itoa(v.Form.Number) + " of " + strconv.Itoa(v.Form.Total)
}

// DoneView is the page after a wizard's last step.
type DoneView struct {
	Frame
	Wizard  *wizard.Wizard
	Message string
	HomeURL string
}

// WizardLink is one entry of the list of wizards.
type WizardLink struct {
	Title string
	Intro string
	URL   string
}

// HomeView lists the wizards.
type HomeView struct {
	Frame
	Wizards []WizardLink
}

// ErrorView is a friendly error page: a fixed message per status, never an
// internal error text.
type ErrorView struct {
	Frame
	Status  int
	Heading string
	Message string
	HomeURL string
}

// fieldID is the HTML id of a field's input (of its first option for a
// group of options), the target of error summary links.
func fieldID(name string) string { return "f-" + name }

// optionID is the HTML id of a field's i-th option input.
func optionID(name string, i int) string {
	if i == 0 {
		return fieldID(name)
	}
	return fieldID(name) + "-" + strconv.Itoa(i+1)
}

// describedBy joins the ids of a field's hint and error, for aria-describedby.
func describedBy(f *wizard.FormField) string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, fieldID(f.Name)+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, fieldID(f.Name)+"-error")
	}
	return strings.Join(ids, " ")
}

// inputType is the HTML input type of a single-line field.
func inputType(k wizard.Kind) string {
	switch k {
	case wizard.Email:
		return "email"
	case wizard.Date:
		return "date"
	}
	return "text"
}

// inputMode helps on-screen keyboards; numbers use text inputs with a
// decimal keyboard rather than type=number, which mangles what people type.
func inputMode(k wizard.Kind) string {
	if k == wizard.Number {
		return "decimal"
	}
	return ""
}

func optionType(k wizard.Kind) string {
	if k == wizard.Checkboxes {
		return "checkbox"
	}
	return "radio"
}

// grouped reports whether a field is a group of inputs shown in a fieldset.
func grouped(k wizard.Kind) bool {
	return k == wizard.Radio || k == wizard.Checkboxes || k == wizard.YesNo
}
