package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/views"
)

// printSink is a wizard.Sink that prints each submission; a real one
// stores it (see package sinks).
type printSink struct{}

func (printSink) Submit(_ context.Context, s wizard.Submission) error {
	fmt.Printf("submitted %s: %v\n", s.Wizard, s.Answers)
	return nil
}

func (printSink) Submitted(context.Context, string) (bool, error) { return false, nil }

// petWizard is one step asking a pet's name.
func petWizard() *wizard.Wizard {
	return &wizard.Wizard{Name: "pets", Title: "Pet licence", Steps: []*wizard.Step{
		{Name: "pet", Title: "Your pet", Fields: []*wizard.Field{
			{Name: "name", Label: "Pet's name", Required: true},
		}},
	}}
}

// exampleServer builds a server of the wizards with the given components,
// under the prefix /apply of a site's own mux.
func exampleServer(c *views.Components, ws ...*wizard.Wizard) http.Handler {
	catalog, err := wizard.NewCatalog(ws...)
	if err != nil {
		panic(err)
	}
	cfg := handlers.DefaultConfig()
	cfg.Prefix = "/apply"
	srv, err := handlers.New(cfg, handlers.Deps{
		Wizards:    catalog,
		Store:      memstore.New(),
		Sink:       printSink{},
		Log:        slog.New(slog.DiscardHandler),
		Components: c,
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/apply/", srv)
	return mux
}

// Mount the wizards under a path of your own site: every link, form
// action, redirect and asset URL, and the session cookie's path, follow
// the prefix.
func Example_mount() {
	catalog, err := wizard.NewCatalog(petWizard())
	if err != nil {
		panic(err)
	}
	cfg := handlers.DefaultConfig()
	cfg.Prefix = "/apply"
	srv, err := handlers.New(cfg, handlers.Deps{
		Wizards: catalog,
		Store:   memstore.New(), // sessions in memory, expiring after cfg.IdleTimeout
		Sink:    printSink{},
		Log:     slog.New(slog.DiscardHandler),
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<a href="/apply/pets/">Get a pet licence</a>`)
	})
	mux.Handle("/apply/", srv) // no http.StripPrefix: the server sees full paths

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/apply/pets/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))

	rec = httptest.NewRecorder()
	post := httptest.NewRequest("POST", "/apply/pets/pet", strings.NewReader(url.Values{"name": {"Rex"}}.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	mux.ServeHTTP(rec, post)
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	cookie := rec.Result().Cookies()[0]
	fmt.Println(cookie.Name, cookie.Path)
	// Output:
	// 303 /apply/pets/pet
	// 303 /apply/pets/review
	// session /apply
}

// A step drawn by a component of your own: the step names it (View), the
// server is given it (Components.Steps). It receives the same view model
// as ours and builds on our pieces (StepHeading, StepForm, Field), so the
// htmx swaps, error summary and focus keep working. In a templ file:
//
//	templ Cards(v views.StepView) {
//		@views.StepHeading(v)
//		<p class="lead">Pick one.</p>
//		@views.StepForm(v) {
//			for _, f := range v.Form.Fields {
//				@views.Field(f)
//			}
//		}
//	}
func Example_stepComponent() {
	w := petWizard()
	w.Steps[0].View = "cards"
	cards := func(v views.StepView) templ.Component {
		return templ.ComponentFunc(func(ctx context.Context, out io.Writer) error {
			io.WriteString(out, `<div class="cards">`)
			views.StepHeading(v).Render(ctx, out)
			fields := templ.ComponentFunc(func(ctx context.Context, out io.Writer) error {
				for _, f := range v.Form.Fields {
					views.Field(f).Render(ctx, out)
				}
				return nil
			})
			views.StepForm(v).Render(templ.WithChildren(ctx, fields), out)
			_, err := io.WriteString(out, `</div>`)
			return err
		})
	}
	h := exampleServer(&views.Components{Steps: map[string]func(views.StepView) templ.Component{"cards": cards}}, w)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/apply/pets/pet", nil))
	fmt.Println(regexp.MustCompile(`<div class="cards"><h1 id="step-title"[^>]*>Your pet</h1><form method="post" action="/apply/pets/pet"`).MatchString(rec.Body.String()))
	// Output:
	// true
}

// A field type of your own (here a date asked as day, month and year, the
// GOV.UK pattern) with the component that draws its inputs
// (Components.Inputs): one per part, named and filled from f.Parts.
func Example_fieldType() {
	date := &wizard.FieldType{
		Name:  "dmy",
		Parts: []string{"day", "month", "year"},
		Parse: func(vs []string) (string, string) {
			var d, m, y int
			if _, err := fmt.Sscanf(strings.Join(vs, " "), "%d %d %d", &d, &m, &y); err != nil || d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 {
				return "", "Enter a real date"
			}
			return fmt.Sprintf("%04d-%02d-%02d", y, m, d), ""
		},
		Split: func(a string) []string {
			var d, m, y int
			fmt.Sscanf(a, "%d-%d-%d", &y, &m, &d)
			return []string{fmt.Sprint(d), fmt.Sprint(m), fmt.Sprint(y)}
		},
	}
	input := func(f *wizard.FormField) templ.Component {
		return templ.ComponentFunc(func(ctx context.Context, out io.Writer) error {
			for i, p := range f.Parts {
				fmt.Fprintf(out, `<label for="%s">%s</label><input id="%s" name="%s" value="%s" inputmode="numeric">`,
					views.InputID(f, i), p.Part, views.InputID(f, i), p.Name, templ.EscapeString(p.Value))
			}
			return nil
		})
	}
	w := &wizard.Wizard{Name: "pets", Title: "Pet licence", Steps: []*wizard.Step{
		{Name: "pet", Title: "Your pet", Fields: []*wizard.Field{
			{Name: "born", Label: "Date of birth", Kind: wizard.Custom, Type: date, Required: true},
		}},
	}}
	h := exampleServer(&views.Components{Inputs: map[string]func(*wizard.FormField) templ.Component{"dmy": input}}, w)

	post := httptest.NewRequest("POST", "/apply/pets/pet", strings.NewReader("born-day=31&born-month=13&born-year=2020"))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, post)
	body := rec.Body.String()
	fmt.Println(rec.Code, strings.Contains(body, `<a href="#f-born">Enter a real date</a>`), strings.Contains(body, `name="born-month" value="13"`))
	// Output:
	// 422 true true
}

// A check that asks a database, with the request's context: when it fails
// or passes its deadline (Config.CheckTimeout), the user gets a 503 page
// with their answers kept, never a 500.
func Example_check() {
	down := errors.New("connection refused")
	w := petWizard()
	w.Steps[0].Checks = []wizard.Check{{Name: "name-free", Field: "name", Func: func(ctx context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
		switch v.Get("name") {
		case "Rex":
			return []wizard.FieldError{{Message: "Rex is taken: choose another name"}}, nil
		case "Fido":
			return nil, down
		}
		return nil, nil
	}}}
	h := exampleServer(nil, w)
	for _, name := range []string{"Rex", "Fido", "Bella"} {
		post := httptest.NewRequest("POST", "/apply/pets/pet", strings.NewReader("name="+name))
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, post)
		fmt.Println(name, rec.Code, strings.Contains(rec.Body.String(), "Rex is taken"), strings.Contains(rec.Body.String(), `value="`+name+`"`))
	}
	// Output:
	// Rex 422 true true
	// Fido 503 false true
	// Bella 303 false false
}
