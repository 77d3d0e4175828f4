// Package demo defines the wizards the demo server offers: the classic
// example of libmicrohttpd's sessions tutorial, and a conference
// registration with branching.
package demo

import (
	"regexp"

	"github.com/wizard/wizard"
)

// Wizards returns fresh copies of every demo wizard, in display order.
func Wizards() []*wizard.Wizard {
	return []*wizard.Wizard{Classic(), Register()}
}

// Classic is libmicrohttpd's sessions example: a name, then a job asked by
// that name, then "Ready to submit?" (the review page, which lists both
// answers with a way to change them) and a "Thank you." page.
func Classic() *wizard.Wizard {
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

// Ticket types of the register wizard.
const (
	Student = "student"
	Regular = "regular"
	Speaker = "speaker"
)

// Register is a conference registration: attendee details, a ticket type
// that decides the next step (students give their university, speakers
// their talk, regular attendees neither), then dietary and access needs.
func Register() *wizard.Wizard {
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
						{Value: Student, Label: "Student"},
						{Value: Regular, Label: "Regular"},
						{Value: Speaker, Label: "Speaker"},
					},
				}},
				Next: func(a wizard.Answers) string {
					switch a.Get("ticket", "type") {
					case Student:
						return "student"
					case Speaker:
						return "talk"
					}
					return "needs"
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
				Next: wizard.Goto("needs"),
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
