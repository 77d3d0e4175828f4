package definition_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
)

// A program lends its files a field type, a check and a step view; a
// file that names anything else is refused with the name's position.
func ExampleRegistry() {
	postcode := &wizard.FieldType{
		Name:  "postcode",
		Parse: func(vs []string) (string, string) { return strings.ToUpper(vs[0]), "" },
	}
	taken := map[string]bool{"ann@example.com": true} // a database, say
	emailFree := func(ctx context.Context, values wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
		if taken[values.Get("email")] {
			return []wizard.FieldError{{Message: "This email address is already registered"}}, nil
		}
		return nil, nil
	}
	reg := &definition.Registry{
		Types:  []*wizard.FieldType{postcode},
		Checks: map[string]wizard.CheckFunc{"email-free": emailFree},
		Views:  []string{"address-card"},
	}

	w, err := reg.Parse("forms/apply.yaml", []byte(`version: 1
title: Apply
steps:
  - name: you
    title: About you
    view: address-card
    fields:
      - {name: postcode, kind: postcode, label: Postcode}
      - {name: email, kind: email, label: Email, checks: [email-free]}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := w.Step("you")
	fmt.Println(s.View, s.Field("postcode").Kind, s.Field("postcode").Type.Name, s.Checks[0].Name, s.Checks[0].Field)

	_, err = reg.Parse("forms/apply.yaml", []byte("version: 1\ntitle: Apply\nsteps: [{name: you, title: About you, checks: [emial-free]}]\n"))
	fmt.Println(err)
	// Output:
	// address-card custom postcode email-free email
	// forms/apply.yaml:3:48: steps[0].checks[0]: check "emial-free" (did you mean "email-free"?) is not registered by the program, which registers email-free
}
