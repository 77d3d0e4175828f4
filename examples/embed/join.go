package main

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/wizard/wizard"
)

// minimumAge is how old a member must be on the day their membership
// starts.
const minimumAge = 16

// joinWizard is the club's own wizard, defined in Go: a username the
// register must not hold yet (a check that asks members), then a date of
// birth and a start date asked as day, month and year, on a step drawn by
// the site's own component (DatesStep), with a check across the two.
func joinWizard(members Members) *wizard.Wizard {
	return &wizard.Wizard{
		Name:      "join",
		Title:     "Join the walking club",
		Intro:     "Become a member: choose a username and tell us when to start.",
		Done:      "Welcome to the club, {account.username}. We have sent a confirmation to {account.email}.",
		RefPrefix: "JOIN",
		Steps: []*wizard.Step{
			{
				Name:  "account",
				Title: "Choose your username",
				Help:  "Other members see it on walk sign-up sheets.",
				Fields: []*wizard.Field{
					{
						Name: "username", Label: "Username", Noun: "a username", Required: true,
						Hint:    "3 to 20 lowercase letters, digits or dashes.",
						MinLen:  3,
						MaxLen:  20,
						Pattern: regexp.MustCompile(`[a-z0-9-]+`), PatternMessage: "Use only lowercase letters, digits and dashes",
						Autocomplete: "username",
					},
					{
						Name: "email", Kind: wizard.Email, Label: "Email address", Noun: "your email address",
						Required: true, MaxLen: 254, Autocomplete: "email",
					},
				},
				Checks: []wizard.Check{{Name: "username-free", Field: "username", Func: usernameFree(members)}},
			},
			{
				Name:  "dates",
				Title: "Your dates",
				View:  "dates",
				Fields: []*wizard.Field{
					{
						Name: "dob", Kind: wizard.Custom, Type: dateType(), Label: "Date of birth",
						Noun: "your date of birth", Required: true, Hint: "For example, 27 3 1990",
						Autocomplete: "bday",
					},
					{
						Name: "start", Kind: wizard.Custom, Type: dateType(), Label: "When should your membership start?",
						Noun: "the start date", Required: true, Hint: "For example, 1 6 2027",
					},
				},
				Checks: []wizard.Check{{Name: "old-enough", Field: "start", Func: oldEnough}},
			},
		},
	}
}

// usernameFree is the check that the register does not hold the username
// yet. When the register cannot answer, the check fails with its error,
// and the user is asked to try again with their answers kept.
func usernameFree(members Members) wizard.CheckFunc {
	return func(ctx context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
		taken, err := members.Taken(ctx, v.Get("username"))
		if err != nil {
			return nil, fmt.Errorf("username-free: %w", err)
		}
		if taken {
			return []wizard.FieldError{{Field: "username", Message: "That username is taken: choose another"}}, nil
		}
		return nil, nil
	}
}

// oldEnough checks the two dates together: the member is minimumAge or
// over on the day the membership starts. Both dates have passed their own
// Parse, so they are real dates.
func oldEnough(_ context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
	dob, err1 := time.Parse(time.DateOnly, v.Get("dob"))
	start, err2 := time.Parse(time.DateOnly, v.Get("start"))
	if err1 != nil || err2 != nil {
		return nil, nil // not answered: the Required rule has said so
	}
	if start.Before(dob.AddDate(minimumAge, 0, 0)) {
		return []wizard.FieldError{{Field: "start", Message: fmt.Sprintf("You must be %d or over when your membership starts", minimumAge)}}, nil
	}
	return nil, nil
}
