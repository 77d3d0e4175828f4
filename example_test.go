package wizard_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/wizard/wizard"
)

// A wizard is plain data: steps of fields with their rules, and routes
// that choose the next step. NewCatalog checks it; a Journey says which
// steps a user's answers lead through.
func ExampleWizard() {
	w := &wizard.Wizard{
		Name:  "pets",
		Title: "Pet licence",
		Steps: []*wizard.Step{
			{Name: "owner", Title: "About you", Fields: []*wizard.Field{
				{Name: "name", Label: "Full name", Noun: "your full name", Required: true},
			}},
			{Name: "pet", Title: "{owner.name}, tell us about your pet", Fields: []*wizard.Field{
				{Name: "age", Kind: wizard.Number, Label: "Age in years", Noun: "your pet's age", Required: true},
			}, Routes: []wizard.Route{{When: wizard.When("age", wizard.Lt, "1"), Exit: "young"}}},
			{Name: "confirm", Title: "One last thing"},
		},
		Exits: []*wizard.Exit{{Name: "young", Title: "Come back when your pet is one"}},
	}
	if _, err := wizard.NewCatalog(w); err != nil {
		fmt.Println(err)
		return
	}
	j := w.Journey(nil)
	_, errs, _ := j.Validate(w.Steps[0], wizard.Values{"name": {"  "}})
	fmt.Println(errs[0].Message)

	a := wizard.Answers{"owner": {"name": {"Ann"}}, "pet": {"age": {"0.5"}}}
	j = w.Journey(a)
	fmt.Println(j.Form(w.Steps[1], a["pet"], nil).Title)
	fmt.Println(j.Exited().Title)
	// Output:
	// Enter your full name
	// Ann, tell us about your pet
	// Come back when your pet is one
}

// A field type of the program's own: a UK postcode, typed in any case and
// spacing, saved in capitals with one space. Views draw its input with the
// component registered under its name (views.Components.Inputs).
func ExampleFieldType() {
	postcode := &wizard.FieldType{
		Name: "postcode",
		Parse: func(vs []string) (string, string) {
			v := strings.ToUpper(strings.ReplaceAll(vs[0], " ", ""))
			if len(v) < 5 || len(v) > 7 {
				return "", "Enter a real postcode, like SW1A 1AA"
			}
			return v[:len(v)-3] + " " + v[len(v)-3:], ""
		},
	}
	st := &wizard.Step{Name: "address", Title: "Where do you live?", Fields: []*wizard.Field{
		{Name: "postcode", Label: "Postcode", Kind: wizard.Custom, Type: postcode, Required: true},
	}}
	w := &wizard.Wizard{Name: "move", Title: "Moving house", Steps: []*wizard.Step{st}}
	if err := w.Check(); err != nil {
		fmt.Println(err)
		return
	}
	values, _, _ := wizard.Validate(st, nil, wizard.Values{"postcode": {"sw1a1aa"}})
	fmt.Println(values["postcode"])
	_, errs, _ := wizard.Validate(st, nil, wizard.Values{"postcode": {"nowhere at all"}})
	fmt.Println(errs[0].Message)
	// Output:
	// [SW1A 1AA]
	// Enter a real postcode, like SW1A 1AA
}

// A check over a step's fields, given the request's context: here an end
// date after a start date, and a lookup that a database would answer.
func ExampleCheck() {
	registered := map[string]bool{"ann@example.com": true}
	st := &wizard.Step{Name: "booking", Title: "Your booking", Fields: []*wizard.Field{
		{Name: "email", Label: "Email", Kind: wizard.Email, Required: true},
		{Name: "start", Label: "From", Kind: wizard.Date, Required: true},
		{Name: "end", Label: "To", Kind: wizard.Date, Required: true},
	}, Checks: []wizard.Check{
		{Name: "dates", Field: "end", Func: func(_ context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
			if v.Get("end") <= v.Get("start") {
				return []wizard.FieldError{{Message: "The end date must be after the start date"}}, nil
			}
			return nil, nil
		}},
		{Name: "email-free", Field: "email", Func: func(ctx context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
			if err := ctx.Err(); err != nil {
				return nil, err // a real lookup gives up when the deadline passes
			}
			if registered[v.Get("email")] {
				return []wizard.FieldError{{Message: "That email address is already registered"}}, nil
			}
			return nil, nil
		}},
	}}
	w := &wizard.Wizard{Name: "book", Title: "Book a room", Steps: []*wizard.Step{st}}
	if err := w.Check(); err != nil {
		fmt.Println(err)
		return
	}
	values, _, _ := w.Journey(nil).Validate(st, wizard.Values{"email": {"ann@example.com"}, "start": {"2027-05-02"}, "end": {"2027-05-01"}})
	errs, err := w.Journey(nil).Check(context.Background(), st, values)
	for _, e := range errs {
		fmt.Printf("%s: %s\n", e.Field, e.Message)
	}
	fmt.Println(err)
	// Output:
	// email: That email address is already registered
	// end: The end date must be after the start date
	// <nil>
}
