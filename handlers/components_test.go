package handlers_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/views"
)

// dayMonthYear is a date asked in three inputs, saved as YYYY-MM-DD.
func dayMonthYear() *wizard.FieldType {
	return &wizard.FieldType{
		Name:  "dmy",
		Parts: []string{"day", "month", "year"},
		Parse: func(vs []string) (string, string) {
			d, err1 := strconv.Atoi(vs[0])
			m, err2 := strconv.Atoi(vs[1])
			y, err3 := strconv.Atoi(vs[2])
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if err1 != nil || err2 != nil || err3 != nil || y < 1900 || t.Day() != d || int(t.Month()) != m {
				return "", "Enter a real date"
			}
			return t.Format(time.DateOnly), ""
		},
		Split: func(a string) []string {
			t, err := time.Parse(time.DateOnly, a)
			if err != nil {
				return nil
			}
			return []string{strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())}
		},
	}
}

// ownComponents are a program's own layout, step component and input.
func ownComponents() *views.Components {
	return &views.Components{
		Layout: func(p views.Page) templ.Component {
			return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
				io.WriteString(w, `<!doctype html><html lang="en"><head>`)
				views.Head(p).Render(ctx, w)
				io.WriteString(w, `<link rel="stylesheet" href="/mine.css"></head><body><header class="my-header">`+templ.EscapeString(p.Site())+`</header>`)
				views.TimeoutWarning().Render(ctx, w)
				io.WriteString(w, `<main id="main">`)
				templ.GetChildren(ctx).Render(ctx, w)
				io.WriteString(w, `</main><footer class="my-footer">Footer</footer>`)
				views.BodyEnd(p).Render(ctx, w)
				_, err := io.WriteString(w, `</body></html>`)
				return err
			})
		},
		Steps: map[string]func(views.StepView) templ.Component{
			"cards": func(v views.StepView) templ.Component {
				return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
					io.WriteString(w, `<div class="my-step">`)
					views.StepHeading(v).Render(ctx, w)
					form := views.StepForm(v)
					err := form.Render(templ.WithChildren(ctx, templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
						for _, f := range v.Form.Fields {
							if err := views.Field(f).Render(ctx, w); err != nil {
								return err
							}
						}
						return nil
					})), w)
					io.WriteString(w, `</div>`)
					return err
				})
			},
		},
		Inputs: map[string]func(*wizard.FormField) templ.Component{
			"dmy": func(f *wizard.FormField) templ.Component {
				return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
					for i, p := range f.Parts {
						io.WriteString(w, `<input class="dmy" id="`+views.InputID(f, i)+`" name="`+p.Name+`" value="`+templ.EscapeString(p.Value)+`">`)
					}
					return nil
				})
			},
		},
	}
}

// eventWizard has a step drawn by a component of its own, a custom date
// field, and checks: one across fields, one asking a "database".
func eventWizard(taken func(ctx context.Context, email string) (bool, error)) *wizard.Wizard {
	return &wizard.Wizard{Name: "event", Title: "Book an event", Steps: []*wizard.Step{
		{Name: "dates", Title: "When", View: "cards", Fields: []*wizard.Field{
			{Name: "start", Label: "Start", Kind: wizard.Custom, Type: dayMonthYear(), Required: true, Noun: "the start date"},
			{Name: "end", Label: "End", Kind: wizard.Custom, Type: dayMonthYear(), Required: true, Noun: "the end date"},
		}, Checks: []wizard.Check{{Name: "order", Field: "end", Func: func(_ context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
			if v.Get("end") < v.Get("start") {
				return []wizard.FieldError{{Message: "The end date must be after the start date"}}, nil
			}
			return nil, nil
		}}}},
		{Name: "contact", Title: "Contact", Fields: []*wizard.Field{
			{Name: "email", Label: "Email", Kind: wizard.Email, Required: true},
		}, Checks: []wizard.Check{{Name: "free", Field: "email", Func: func(ctx context.Context, v wizard.Values, _ wizard.Answers) ([]wizard.FieldError, error) {
			t, err := taken(ctx, v.Get("email"))
			if err != nil {
				return nil, err
			}
			if t {
				return []wizard.FieldError{{Field: "email", Message: "That email address is already registered"}}, nil
			}
			return nil, nil
		}}}},
	}}
}

// registry is an in-memory "database" of registered emails whose answers
// can be made slow or failing.
type registry struct {
	mu    sync.Mutex
	taken map[string]bool
	fail  error
	delay time.Duration
}

func (r *registry) isTaken(ctx context.Context, email string) (bool, error) {
	r.mu.Lock()
	delay, fail, t := r.delay, r.fail, r.taken[email]
	r.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	return t, fail
}

func (r *registry) set(f func(*registry)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r)
}

type componentServer struct {
	ts   *httptest.Server
	sink *memorySink
	reg  *registry
	done chan wizard.Submission
}

func startComponentServer(t *testing.T, cfg handlers.Config, doneErr error) componentServer {
	t.Helper()
	reg := &registry{taken: map[string]bool{"ann@example.com": true}}
	sink := &memorySink{}
	done := make(chan wizard.Submission, 10)
	srv, err := handlers.New(cfg, handlers.Deps{
		Wizards:    mustCatalog(t, eventWizard(reg.isTaken)),
		Store:      memstore.New(),
		Sink:       sink,
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		Components: ownComponents(),
		Done: func(ctx context.Context, sub wizard.Submission) error {
			if _, ok := ctx.Deadline(); !ok && cfg.DoneTimeout > 0 {
				t.Error("Done hook without a deadline")
			}
			done <- sub
			return doneErr
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return componentServer{ts: ts, sink: sink, reg: reg, done: done}
}

func TestOwnLayoutStepAndInput(t *testing.T) {
	cs := startComponentServer(t, handlers.DefaultConfig(), nil)
	c := newClient(t, cs.ts)
	page := c.get("/event/dates", nil).wantStatus(t, http.StatusOK)
	page.wantBody(t,
		`<header class="my-header">Book an event</header>`, // the wizard's title
		`<footer class="my-footer">Footer</footer>`, `href="/mine.css"`,
		`id="timeout-warning"`, `id="announcer"`, `id="session-timer"`,
		`<section id="step"`, `<div class="my-step">`, `id="step-title"`,
		`<fieldset`, `<legend>Start</legend>`,
		`<input class="dmy" id="f-start" name="start-day" value="">`,
		`<input class="dmy" id="f-start-3" name="start-year" value="">`,
		`hx-post="/event/dates"`)
	// A partial goes without the layout.
	part := c.htmx().get("/event/dates", nil).wantStatus(t, http.StatusOK)
	part.wantBody(t, `<div class="my-step">`)
	part.wantNoBody(t, "my-header", "my-footer", "<html")

	// The custom input's parse error, with what was typed kept.
	c.post("/event/dates", form("start-day", "31", "start-month", "2", "start-year", "2030", "end-day", "1", "end-month", "3", "end-year", "2030"), nil).
		wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, `href="#f-start">Enter a real date`, `name="start-day" value="31"`, `name="start-month" value="2"`, `name="end-day" value="1"`)
	// The check across fields, in the error summary like ours.
	c.post("/event/dates", form("start-day", "5", "start-month", "3", "start-year", "2030", "end-day", "1", "end-month", "3", "end-year", "2030"), nil).
		wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, `href="#f-end">The end date must be after the start date`, `name="start-day" value="5"`)
	c.post("/event/dates", form("start-day", "1", "start-month", "3", "start-year", "2030", "end-day", " 05 ", "end-month", "3", "end-year", "2030"), nil).
		wantRedirect(t, "/event/contact")
	// The saved answer comes back split into its inputs.
	c.get("/event/dates", nil).wantBody(t, `name="end-day" value="5"`, `name="end-month" value="3"`, `name="end-year" value="2030"`)
	// The home page, of no wizard, names the site.
	c.get("/", nil).wantBody(t, `<header class="my-header">Wizards</header>`)
}

func TestChecksAtSaveAndSubmit(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.CheckTimeout = 200 * time.Millisecond
	cs := startComponentServer(t, cfg, errors.New("mail server down"))
	c := newClient(t, cs.ts)
	c.post("/event/dates", form("start-day", "1", "start-month", "3", "start-year", "2030", "end-day", "2", "end-month", "3", "end-year", "2030"), nil).
		wantRedirect(t, "/event/contact")

	// The database says the address is taken.
	c.post("/event/contact", form("email", "ann@example.com"), nil).
		wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, `href="#f-email">That email address is already registered`, `value="ann@example.com"`)
	// The database fails, then is too slow: 503, the answer kept.
	cs.reg.set(func(r *registry) { r.fail = errors.New("connection refused") })
	c.post("/event/contact", form("email", "bob@example.com"), nil).
		wantStatus(t, http.StatusServiceUnavailable).
		wantBody(t, "could not check your answers", `value="bob@example.com"`).
		wantNoBody(t, "connection refused")
	cs.reg.set(func(r *registry) { r.fail, r.delay = nil, 2*time.Second })
	start := time.Now()
	c.htmx().post("/event/contact", form("email", "bob@example.com"), nil).
		wantStatus(t, http.StatusServiceUnavailable).
		wantBody(t, "could not check your answers", `value="bob@example.com"`)
	if d := time.Since(start); d > time.Second {
		t.Errorf("a slow check took %v: the deadline did not hold", d)
	}
	cs.reg.set(func(r *registry) { r.delay = 0 })
	c.post("/event/contact", form("email", "bob@example.com"), nil).wantRedirect(t, "/event/review")

	// Registered meanwhile: the submit goes back to the step.
	id := submissionID(t, c, "/event/review")
	cs.reg.set(func(r *registry) { r.taken["bob@example.com"] = true })
	c.post("/event/submit", form("submission", id), nil).
		wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "That email address is already registered", `value="bob@example.com"`)
	// The check fails at the submit: 503, nothing submitted, answers kept.
	cs.reg.set(func(r *registry) { delete(r.taken, "bob@example.com"); r.fail = errors.New("timeout") })
	c.post("/event/submit", form("submission", id), nil).
		wantStatus(t, http.StatusServiceUnavailable).
		wantBody(t, "could not check your answers")
	if n := len(cs.sink.all()); n != 0 {
		t.Fatalf("%d submissions after failed checks", n)
	}
	cs.reg.set(func(r *registry) { r.fail = nil })
	// The Done hook runs once, after the sink has the submission; its
	// error does not undo the submission.
	c.post("/event/submit", form("submission", id), nil).wantRedirect(t, "/event/done")
	select {
	case sub := <-cs.done:
		if subs := cs.sink.all(); len(subs) != 1 || subs[0].ID != sub.ID || sub.Reference == "" {
			t.Errorf("Done got %+v; sink has %+v", sub, subs)
		}
	default:
		t.Fatal("Done hook did not run")
	}
	c.get("/event/done", nil).wantStatus(t, http.StatusOK)
	c.post("/event/submit", form("submission", id), nil).wantStatus(t, http.StatusSeeOther)
	select {
	case sub := <-cs.done:
		t.Errorf("Done ran again for a repeated submit: %+v", sub)
	default:
	}
}

func TestMissingComponentsRefused(t *testing.T) {
	reg := &registry{}
	deps := handlers.Deps{
		Wizards: mustCatalog(t, eventWizard(reg.isTaken)),
		Store:   memstore.New(),
		Sink:    &memorySink{},
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	_, err := handlers.New(handlers.DefaultConfig(), deps)
	if err == nil || !strings.Contains(err.Error(), `no step component "cards"`) || !strings.Contains(err.Error(), `field type "dmy"`) {
		t.Errorf("New without components: got %v", err)
	}
	// SetWizards refuses a catalog needing what the server lacks, and
	// keeps serving the one it has.
	deps.Wizards = mustCatalog(t, licence())
	srv, err := handlers.New(handlers.DefaultConfig(), deps)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetWizards(mustCatalog(t, eventWizard(reg.isTaken))); err == nil {
		t.Error("SetWizards accepted a wizard without its components")
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	newClient(t, ts).get("/licence/angler", nil).wantStatus(t, http.StatusOK)
}

// TestChecksWithoutTimeout: a Config not from DefaultConfig (no
// CheckTimeout, no DoneTimeout) bounds neither, rather than failing every
// check at once.
func TestChecksWithoutTimeout(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.CheckTimeout, cfg.DoneTimeout = 0, 0
	cs := startComponentServer(t, cfg, nil)
	c := newClient(t, cs.ts)
	c.post("/event/dates", form("start-day", "1", "start-month", "3", "start-year", "2030", "end-day", "2", "end-month", "3", "end-year", "2030"), nil).
		wantRedirect(t, "/event/contact")
	c.post("/event/contact", form("email", "ann@example.com"), nil).wantStatus(t, http.StatusUnprocessableEntity)
	c.post("/event/contact", form("email", "cy@example.com"), nil).wantRedirect(t, "/event/review")
	c.post("/event/submit", form("submission", submissionID(t, c, "/event/review")), nil).wantRedirect(t, "/event/done")
	select {
	case <-cs.done:
	default:
		t.Fatal("Done hook did not run")
	}
}
