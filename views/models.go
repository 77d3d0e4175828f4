// Package views renders the wizard's HTML with templ. Components take view
// models filled by the handlers; one component per concern, and each page's
// content is one component whether it is sent alone (an htmx swap) or
// wrapped in the Layout (a full page).
//
// A program draws parts of the pages itself through Components: its own
// Layout (built around Head, TimeoutWarning and BodyEnd), its own
// component for a step (built from StepHeading, StepForm and Field, or
// anything that keeps their ids and form), and the inputs of its own
// field types. Our stylesheet (static/app.css) stays usable under a
// layout of yours: its classes are what these components use.
package views

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/wizard/wizard"
)

// Assets names the URLs of the static files every full page loads.
type Assets struct {
	CSS     string
	Icon    string
	Scripts []string
}

// Frame is what every response of the wizard needs besides its content.
type Frame struct {
	Assets Assets
	// Partial is true when only the content is sent, for an htmx swap.
	Partial bool
	// Session is set when the user has a session that can expire.
	Session *Session
	// HomeURL is the URL of the list of wizards, which the header links
	// to; "" means "/".
	HomeURL string
	// SiteName is the site's name (Config.SiteName of the server); ""
	// means "Wizards".
	SiteName string
	// WizardTitle is the title of the wizard whose page this is; "" on
	// pages of no wizard (the list of wizards, some error pages).
	WizardTitle string
	// Layout wraps full pages; nil means Layout (see Components.Layout).
	Layout func(Page) templ.Component
}

// Site is the name our header shows: the wizard's title on its pages,
// the site's name elsewhere. A layout of your own may show both
// (WizardTitle and SiteName).
func (f Frame) Site() string {
	switch {
	case f.WizardTitle != "":
		return f.WizardTitle
	case f.SiteName != "":
		return f.SiteName
	}
	return "Wizards"
}

// Page is what a layout draws around a page's content: the frame and the
// document's title.
type Page struct {
	Frame
	Title string
}

// Home is the URL the header's site name links to.
func (f Frame) Home() string {
	if f.HomeURL == "" {
		return "/"
	}
	return f.HomeURL
}

// Session tells the page's script when the session expires for inactivity
// and where to extend it.
type Session struct {
	IdleSeconds  int
	KeepAliveURL string
}

// WarnSeconds is how long before expiry the warning appears: two minutes,
// scaled down to a quarter of the timeout for short timeouts.
func (s *Session) WarnSeconds() int { return min(120, s.IdleSeconds/4) }

// StepView is one step of a wizard as shown to one user.
type StepView struct {
	Frame
	Form *wizard.Form
	// Action is the URL the step's form posts to.
	Action string
	// BackURL leads to the previous step of the journey; "" on the first.
	BackURL string
	// RestartURL leads to the "start again" confirmation.
	RestartURL string
	// Expired shows the notice that an earlier session ended for inactivity.
	Expired bool
	// Unreadable shows, instead, the notice that the saved answers could
	// not be read and were deleted, so the user starts again.
	Unreadable bool
	// Unsaved, when set, says why the answers on the form (kept as typed)
	// could not be saved just now: the service is busy, the store is
	// unreachable, or a check could not be made. It is shown where the
	// error summary would be.
	Unsaved *Problem
	// Body, when set, draws the step in place of StepBody: the program's
	// own component for it (see Components.Steps).
	Body templ.Component
	// Item is set on the form of one item of a repeating step.
	Item *ItemForm
	// Notice says what just changed, for everyone and for the live
	// region.
	Notice string
}

// Problem is a short explanation for people: a heading and a sentence.
type Problem struct {
	Heading string
	Message string
}

// Title is the document title: the step and the wizard, prefixed "Error: "
// when the form has errors.
func (v StepView) Title() string {
	return documentTitle(v.Form.Title, v.Form.Wizard, len(v.Form.Errors) > 0)
}

// documentTitle names a page of a wizard: its heading and the wizard,
// prefixed "Error: " when the page shows errors.
func documentTitle(heading string, wz *wizard.Wizard, errs bool) string {
	t := heading + " – " + wz.Title
	if errs {
		t = "Error: " + t
	}
	return t
}

// Progress is the "Step N of M" text.
func (v StepView) Progress() string { return progressText(v.Form) }

// progressText is the "Step N of M" text of a step's form.
func progressText(f *wizard.Form) string {
	return "Step " + strconv.Itoa(f.Number) + " of " + strconv.Itoa(f.Total)
}

// ReviewView lists a wizard's answers before they are submitted.
type ReviewView struct {
	Frame
	Wizard *wizard.Wizard
	Title  string
	Items  []ReviewItem
	// SubmitURL is where the form posts; SubmissionID goes with it so that
	// a repeated post is recognised.
	SubmitURL    string
	SubmissionID string
	RestartURL   string
}

// ReviewItem is one answered question with the URL that changes it, or
// an item of a repeating step with the URLs that change and remove it.
type ReviewItem struct {
	wizard.ReviewItem
	ChangeURL string
	RemoveURL string
}

// Key names the row in test ids: the field, or the item's number.
func (it ReviewItem) Key() string {
	if it.Field == "" {
		return strconv.Itoa(it.Item)
	}
	return it.Field
}

// DoneView is the page after a submission: its reference and a summary.
type DoneView struct {
	Frame
	Wizard    *wizard.Wizard
	Message   string
	Reference string
	Items     []wizard.ReviewItem
	// Again is true when the user submitted a second time: nothing new was
	// stored, the first submission stands.
	Again   bool
	HomeURL string
}

// ExitView is the page of a journey that ends in an exit, e.g. "You cannot
// buy this licence": no review, no submit, a way back to change the
// answer that led here, and a way to start again.
type ExitView struct {
	Frame
	Wizard *wizard.Wizard
	// Name is the exit's name; Title and Body its texts with the answers
	// filled in. Blank lines separate the body's paragraphs.
	Name  string
	Title string
	Body  string
	// BackURL leads to the last step of the journey.
	BackURL    string
	RestartURL string
}

// Paragraphs returns the body's paragraphs: the text between blank lines
// (lines of spaces count as blank), trimmed, empty ones left out.
func (v ExitView) Paragraphs() []string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, strings.Join(para, "\n"))
			para = para[:0]
		}
	}
	for line := range strings.Lines(strings.ReplaceAll(v.Body, "\r\n", "\n")) {
		if line = strings.TrimSpace(line); line == "" {
			flush()
			continue
		}
		para = append(para, line)
	}
	flush()
	return out
}

// RestartView asks before deleting a wizard's answers.
type RestartView struct {
	Frame
	Wizard    *wizard.Wizard
	ActionURL string
	CancelURL string
}

// SubmitFailedView says the submission could not be stored and that the
// answers are kept.
type SubmitFailedView struct {
	Frame
	Wizard    *wizard.Wizard
	ReviewURL string
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

// answerText shows a reviewed answer: values on separate lines, or
// "Not given" when the question was left empty.
func answerText(a []string) []string {
	if len(a) == 0 {
		return []string{"Not given"}
	}
	return a
}

// ErrorView is a friendly error page: a fixed message per status, never an
// internal error text.
type ErrorView struct {
	Frame
	Status  int
	Heading string
	Message string
	HomeURL string
	// BackURL and BackText, when set, lead back to where the user was
	// (say, the list of a repeating step).
	BackURL  string
	BackText string
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

// idleText says how long a session survives without activity, for people:
// a number and its unit ("30", " minutes"), which the idle note writes
// without joining them (strconv.Itoa allocates nothing below 100).
func idleText(seconds int) (number, unit string) {
	switch {
	case seconds >= 120 && seconds%60 == 0:
		return strconv.Itoa(seconds / 60), " minutes"
	case seconds == 60:
		return "1", " minute"
	case seconds == 1:
		return "1", " second"
	}
	return strconv.Itoa(seconds), " seconds"
}

// addField is the form key of a summary's question: whether to add
// another item.
const addField = "add"

// SummaryView is the page of a repeating step (see Summary).
type SummaryView struct {
	Frame
	// Form gives the step, its title and its place on the journey.
	Form  *wizard.Form
	Items []SummaryItem
	// Count says how many items there are, for people ("2 guests").
	Count string
	// Question asks whether to add another (or whether there are any);
	// "" at the maximum, when MaxText says so instead.
	Question string
	MaxText  string
	// Error is the message about the answer to Question, if any.
	Error string
	// Notice says what just changed ("Guest 2 added"), for everyone and
	// for the live region.
	Notice     string
	Action     string
	BackURL    string
	RestartURL string
	Unsaved    *Problem
}

// AddField is the summary's question as a yes/no field, drawn as every
// field is.
func (v SummaryView) AddField() *wizard.FormField {
	return &wizard.FormField{Name: addField, Kind: wizard.YesNo, Label: v.Question, Error: v.Error,
		Options: []wizard.FormOption{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}}
}

// SummaryItem is one item of a repeating step as its summary lists it.
type SummaryItem struct {
	wizard.ItemSummary
	ChangeURL string
	RemoveURL string
}

// Heading is the summary's heading: the step's title while there are
// no items, then how many were added.
func (v SummaryView) Heading() string {
	if len(v.Items) == 0 {
		return v.Form.Title
	}
	return "You have added " + v.Count
}

// DocumentTitle is the summary's document title, prefixed "Error: " when
// its question has an error.
func (v SummaryView) DocumentTitle() string {
	return documentTitle(v.Heading(), v.Form.Wizard, v.Error != "")
}

// ItemForm is the item a step's form adds or changes, on a repeating
// step: its number from 1, its label ("Guest 2") and its ID, which the
// form carries so that a post changes the item it was drawn for.
type ItemForm struct {
	Number int
	Label  string
	ID     string
}

// RemoveView asks before removing an item of a repeating step.
type RemoveView struct {
	Frame
	Wizard *wizard.Wizard
	// Label names the item ("Guest 2"); Lines are its answers.
	Label     string
	Lines     []string
	ItemID    string
	Action    string
	CancelURL string
}
