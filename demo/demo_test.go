package demo_test

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
)

// TestFilesMatchGoAPI checks that the demo's definition files give the
// very engine values the same wizards written in Go give, so that a
// wizard serves the same way, at the same speed, whichever way it was
// written.
func TestFilesMatchGoAPI(t *testing.T) {
	for _, tt := range []struct {
		file *wizard.Wizard
		code *wizard.Wizard
	}{{demo.Classic(), goClassic()}, {demo.Register(), goRegister()}} {
		if err := tt.code.Check(); err != nil {
			t.Fatalf("Go definition: %v", err)
		}
		if !reflect.DeepEqual(tt.file, tt.code) {
			for i := range min(len(tt.file.Steps), len(tt.code.Steps)) {
				if !reflect.DeepEqual(tt.file.Steps[i], tt.code.Steps[i]) {
					t.Errorf("%s: step %q differs:\nfile: %+v\ncode: %+v", tt.code.Name, tt.code.Steps[i].Name, tt.file.Steps[i], tt.code.Steps[i])
				}
			}
			t.Errorf("%s: the definition file and the Go definition differ", tt.code.Name)
		}
	}
}

func TestWizardsAreFreshCopies(t *testing.T) {
	a, b := demo.Wizards(), demo.Wizards()
	if len(a) != 2 || a[0].Name != "classic" || a[1].Name != "register" {
		t.Fatalf("got %d wizards, want classic and register in that order", len(a))
	}
	a[0].Title = "changed"
	if b[0].Title == "changed" {
		t.Error("two calls share a wizard")
	}
}

// goClassic is the classic wizard written with the Go API: libmicrohttpd's sessions example: a name, then a job asked by
// that name, then "Ready to submit?" (the review page, which lists both
// answers with a way to change them) and a "Thank you." page.
func goClassic() *wizard.Wizard {
	return &wizard.Wizard{
		Name:        "classic",
		Title:       "The classic",
		Intro:       "libmicrohttpd's sessions example: three small forms, each built from the one before.",
		Done:        "Thank you.",
		ReviewTitle: "Ready to submit?",
		RefPrefix:   "CLA",
		Steps: []*wizard.Step{
			{
				Name:  "name",
				Title: "What is your name?",
				Fields: []*wizard.Field{{
					Name: "v1", Label: "Your name", Noun: "your name",
					Required: true, MaxLen: 200, Autocomplete: "name",
				}},
			},
			{
				Name:  "job",
				Title: "{name.v1}, what is your job?",
				Fields: []*wizard.Field{{
					Name: "v2", Label: "Your job", Noun: "your job",
					Required: true, MaxLen: 200, Autocomplete: "organization-title",
				}},
			},
		},
	}
}

// goRegister is the register wizard written with the Go API: a conference registration: attendee details, a ticket type
// that decides the next step (students give their university, speakers
// their talk and then the guests they bring, regular attendees neither),
// then dietary and access needs.
func goRegister() *wizard.Wizard {
	return &wizard.Wizard{
		Name:      "register",
		Title:     "Conference registration",
		Intro:     "Register for the conference: your details, your ticket, and what you need to enjoy the day.",
		Done:      "Thank you, {details.name}. You are registered; we will write to {details.email}.",
		RefPrefix: "REG",
		Steps: []*wizard.Step{
			{
				Name:  "details",
				Title: "Your details",
				Help:  "We use these to send your ticket.",
				Fields: []*wizard.Field{
					{Name: "name", Label: "Full name", Noun: "your full name", Required: true, MaxLen: 200, Autocomplete: "name"},
					{Name: "email", Kind: wizard.Email, Label: "Email address", Noun: "your email address",
						Hint: "For your ticket and nothing else.", Required: true, MaxLen: 254, Autocomplete: "email"},
				},
			},
			{
				Name:  "ticket",
				Title: "{details.name}, which ticket do you need?",
				Fields: []*wizard.Field{{
					Name: "type", Kind: wizard.Radio, Label: "Ticket type", Noun: "a ticket type", Required: true,
					Options: []wizard.Option{
						{Value: demo.Student, Label: "Student"},
						{Value: demo.Regular, Label: "Regular"},
						{Value: demo.Speaker, Label: "Speaker"},
					},
				}},
				Routes: []wizard.Route{
					{When: wizard.When("type", wizard.Eq, demo.Student), Goto: "student"},
					{When: wizard.When("type", wizard.Eq, demo.Speaker), Goto: "talk"},
					{Goto: "needs"},
				},
			},
			{
				Name:  "student",
				Title: "Where do you study, {details.name}?",
				Fields: []*wizard.Field{
					{Name: "university", Label: "University", Noun: "your university", Required: true, MaxLen: 200},
					{Name: "student_id", Label: "Student ID", Noun: "your student ID", Required: true,
						Hint:    "As printed on your student card, 4 to 20 letters, digits or dashes.",
						Pattern: regexp.MustCompile(`[A-Za-z0-9-]{4,20}`), PatternMessage: "Enter your student ID as 4 to 20 letters, digits or dashes"},
				},
				Routes: []wizard.Route{{Goto: "needs"}},
			},
			{
				Name:  "talk",
				Title: "Tell us about your talk, {details.name}",
				Fields: []*wizard.Field{
					{Name: "title", Label: "Talk title", Noun: "the title of your talk", Required: true, MaxLen: 120},
					{Name: "abstract", Kind: wizard.TextArea, Label: "Abstract", Noun: "an abstract",
						Hint: "A paragraph or two, at least 50 characters.", Required: true, MinLen: 50, MaxLen: 2000},
				},
			},
			{
				Name:   "guests",
				Title:  "Your guests",
				Help:   "Speakers may bring up to five guests to the speakers' dinner.",
				Repeat: &wizard.Repeat{Min: 0, Max: 5, Noun: "guest"},
				Fields: []*wizard.Field{
					{Name: "name", Label: "Guest's full name", Noun: "your guest's full name", Required: true, MaxLen: 200, Autocomplete: "off"},
					{Name: "dietary", Kind: wizard.Select, Label: "Dietary needs", Noun: "your guest's dietary needs",
						Options: []wizard.Option{
							{Value: "vegetarian", Label: "Vegetarian"},
							{Value: "vegan", Label: "Vegan"},
							{Value: "gluten-free", Label: "Gluten free"},
							{Value: "halal", Label: "Halal"},
						}},
				},
			},
			{
				Name:  "needs",
				Title: "Anything we should know, {details.name}?",
				Help:  "Tick all that apply. Leave blank if none.",
				Fields: []*wizard.Field{
					{Name: "dietary", Kind: wizard.Checkboxes, Label: "Dietary needs", Noun: "a dietary need",
						Options: []wizard.Option{
							{Value: "vegetarian", Label: "Vegetarian"},
							{Value: "vegan", Label: "Vegan"},
							{Value: "gluten-free", Label: "Gluten free"},
							{Value: "halal", Label: "Halal"},
							{Value: "kosher", Label: "Kosher"},
							{Value: "other", Label: "Other"},
						}},
					{Name: "dietary_other", Label: "Your other dietary need", Noun: "your other dietary need",
						Required: true, MaxLen: 200, ShowWhen: &wizard.Condition{Field: "dietary", Test: wizard.Contains, Value: "other"}},
					{Name: "access", Kind: wizard.Checkboxes, Label: "Accessibility needs", Noun: "an accessibility need",
						Options: []wizard.Option{
							{Value: "step-free", Label: "Step-free access"},
							{Value: "hearing-loop", Label: "Hearing loop"},
							{Value: "sign-language", Label: "Sign language interpreter"},
							{Value: "quiet-room", Label: "Quiet room"},
							{Value: "other", Label: "Other"},
						}},
					{Name: "access_other", Label: "Your other accessibility need", Noun: "your other accessibility need",
						Required: true, MaxLen: 200, ShowWhen: &wizard.Condition{Field: "access", Test: wizard.Contains, Value: "other"}},
				},
				Submit: "Register",
			},
		},
	}
}

// TestRegisterBranches follows each ticket type's journey: only speakers
// are asked about their talk and then their guests.
func TestRegisterBranches(t *testing.T) {
	w := demo.Register()
	for _, tt := range []struct {
		ticket string
		steps  []string
	}{
		{demo.Student, []string{"details", "ticket", "student", "needs"}},
		{demo.Regular, []string{"details", "ticket", "needs"}},
		{demo.Speaker, []string{"details", "ticket", "talk", "guests", "needs"}},
	} {
		j := w.Journey(wizard.Answers{"ticket": {"type": {tt.ticket}}})
		var got []string
		for _, s := range j.Steps() {
			got = append(got, s.Name)
		}
		if !reflect.DeepEqual(got, tt.steps) {
			t.Errorf("%s: steps %v, want %v", tt.ticket, got, tt.steps)
		}
	}
	if r := w.Step("guests").Repeat; r == nil || r.Min != 0 || r.Max != 5 || r.Noun != "guest" {
		t.Errorf("guests repeat: %+v", r)
	}
}
