package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
)

// survey is a wizard whose definition the tests change under a session:
// change edits a fresh copy before it is checked.
func survey(tb testing.TB, change func(w *wizard.Wizard)) *wizard.Catalog {
	tb.Helper()
	w := &wizard.Wizard{
		Name:  "survey",
		Title: "Survey",
		Done:  "Thanks from the first survey.",
		Steps: []*wizard.Step{
			{Name: "about", Title: "About you", Fields: []*wizard.Field{
				{Name: "name", Label: "Name", Noun: "your name", Required: true},
				{Name: "nickname", Label: "Nickname"},
				{Name: "age", Kind: wizard.Number, Label: "Age", Noun: "your age", Required: true, Max: wizard.Float(120)},
			}},
			{Name: "extra", Title: "Anything else?", Fields: []*wizard.Field{
				{Name: "comments", Kind: wizard.TextArea, Label: "Comments"},
			}},
			{Name: "contact", Title: "Contact", Fields: []*wizard.Field{
				{Name: "email", Kind: wizard.Email, Label: "Email", Noun: "your email", Required: true},
			}},
		},
	}
	if change != nil {
		change(w)
	}
	return mustCatalog(tb, w)
}

// surveyServer serves the first survey, and returns the server to change
// it on.
func surveyServer(t *testing.T, sink wizard.Sink) (*handlers.Server, *httptest.Server) {
	t.Helper()
	srv := newHandler(t, handlers.DefaultConfig(), memstore.New(), sink)
	if err := srv.SetWizards(survey(t, nil)); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// answeredSurvey serves the first survey to a client that answered every
// step and opened the review. It returns the server to change the survey
// on, the client, and the submission ID the review gave.
func answeredSurvey(t *testing.T, sink wizard.Sink) (*handlers.Server, *client, string) {
	t.Helper()
	srv, ts := surveyServer(t, sink)
	c := newClient(t, ts)
	c.post("/survey/about", form("name", "Ada", "nickname", "Countess", "age", "70"), nil).wantRedirect(t, "/survey/extra")
	c.post("/survey/extra", form("comments", "None"), nil).wantRedirect(t, "/survey/contact")
	c.post("/survey/contact", form("email", "ada@example.com"), nil).wantRedirect(t, "/survey/review")
	return srv, c, submissionID(t, c, "/survey/review")
}

func setWizards(t *testing.T, srv *handlers.Server, c *wizard.Catalog) {
	t.Helper()
	if err := srv.SetWizards(c); err != nil {
		t.Fatalf("SetWizards: %v", err)
	}
}

// TestReloadDropsRemovedField: the answer to a field the new definition
// no longer has is neither reviewed nor submitted.
func TestReloadDropsRemovedField(t *testing.T) {
	sink := &memorySink{}
	srv, c, id := answeredSurvey(t, sink)
	c.get("/survey/review", nil).wantStatus(t, 200).wantBody(t, "Nickname", "Countess")

	setWizards(t, srv, survey(t, func(w *wizard.Wizard) {
		w.Steps[0].Fields = append(w.Steps[0].Fields[:1], w.Steps[0].Fields[2])
	}))
	c.get("/survey/review", nil).wantStatus(t, 200).wantBody(t, "Ada", "70").wantNoBody(t, "Nickname", "Countess")
	c.post("/survey/submit", form("submission", id), nil).wantRedirect(t, "/survey/done")
	subs := sink.all()
	if len(subs) != 1 {
		t.Fatalf("%d submissions, want 1", len(subs))
	}
	for _, a := range subs[0].Answers {
		if a.Field == "nickname" {
			t.Errorf("submitted the answer to a removed field: %+v", a)
		}
	}
	if len(subs[0].Answers) != 4 {
		t.Errorf("submitted %+v, want name, age, comments and email", subs[0].Answers)
	}
}

// TestReloadAsksNewRequiredField: a required field added to an answered
// step is asked before the review, the step's other answers kept.
func TestReloadAsksNewRequiredField(t *testing.T) {
	sink := &memorySink{}
	srv, c, id := answeredSurvey(t, sink)

	setWizards(t, srv, survey(t, func(w *wizard.Wizard) {
		w.Steps[0].Fields = append(w.Steps[0].Fields, &wizard.Field{Name: "phone", Label: "Phone", Noun: "your phone number", Required: true})
	}))
	c.get("/survey/review", nil).wantRedirect(t, "/survey/about")
	c.get("/survey/", nil).wantRedirect(t, "/survey/about")
	c.get("/survey/contact", nil).wantRedirect(t, "/survey/about")
	c.post("/survey/submit", form("submission", id), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "Enter your phone number")
	c.get("/survey/about", nil).wantStatus(t, 200).wantBody(t, `name="phone"`, `value="Ada"`, `value="70"`)
	c.post("/survey/about", form("name", "Ada", "age", "70", "phone", "555"), nil).wantRedirect(t, "/survey/extra")
	c.get("/survey/review", nil).wantStatus(t, 200).wantBody(t, "Phone", "555")
	if got := sink.all(); len(got) != 0 {
		t.Fatalf("%d submissions before the new question was answered", len(got))
	}
}

// TestReloadRemovedStep: a step that left the definition, once answered,
// sends whoever asks for it to the first open step; a name never
// answered is still not found.
func TestReloadRemovedStep(t *testing.T) {
	srv, ts := surveyServer(t, &memorySink{})
	c := newClient(t, ts)
	c.post("/survey/about", form("name", "Ada", "age", "30"), nil).wantRedirect(t, "/survey/extra")
	c.post("/survey/extra", form("comments", "None"), nil).wantRedirect(t, "/survey/contact")

	setWizards(t, srv, survey(t, func(w *wizard.Wizard) {
		w.Steps = append(w.Steps[:1], w.Steps[2])
	}))
	c.get("/survey/extra", nil).wantRedirect(t, "/survey/contact")
	c.post("/survey/extra", form("comments", "More"), nil).wantRedirect(t, "/survey/contact")
	res := c.htmx().get("/survey/extra", nil).wantStatus(t, 200).wantBody(t, `data-step="contact"`)
	if got := res.Header.Get("HX-Push-Url"); got != "/survey/contact" {
		t.Errorf("HX-Push-Url %q, want /survey/contact", got)
	}
	c.get("/survey/nope", nil).wantStatus(t, http.StatusNotFound)
	newClient(t, ts).get("/survey/extra", nil).wantStatus(t, http.StatusNotFound)
	c.post("/survey/contact", form("email", "ada@example.com"), nil).wantRedirect(t, "/survey/review")
	c.get("/survey/review", nil).wantStatus(t, 200).wantNoBody(t, "Comments", "None")
}

// TestReloadKeepsWhatWasTypedOnALaterStep: a user on a later step when
// an earlier one gains a required question posts it; the answer is kept
// and the user sent to the new question, then back to the later step with
// what they typed there. A post that skips steps never answered still
// saves nothing (TestSkipAhead).
func TestReloadKeepsWhatWasTypedOnALaterStep(t *testing.T) {
	for _, htmx := range []bool{false, true} {
		srv, ts := surveyServer(t, &memorySink{})
		c := newClient(t, ts)
		c.post("/survey/about", form("name", "Ada", "age", "30"), nil).wantRedirect(t, "/survey/extra")
		c.post("/survey/extra", form("comments", "None"), nil).wantRedirect(t, "/survey/contact")

		setWizards(t, srv, survey(t, func(w *wizard.Wizard) {
			w.Steps[0].Fields = append(w.Steps[0].Fields, &wizard.Field{Name: "phone", Label: "Phone", Noun: "your phone number", Required: true})
		}))
		post := c
		if htmx {
			post = c.htmx()
		}
		res := post.post("/survey/contact", form("email", "ada@example.com"), nil)
		if htmx {
			res.wantStatus(t, 200).wantBody(t, `data-step="about"`, `name="phone"`)
		} else {
			res.wantRedirect(t, "/survey/about")
		}
		c.post("/survey/about", form("name", "Ada", "age", "30", "phone", "555"), nil).wantRedirect(t, "/survey/extra")
		c.get("/survey/contact", nil).wantStatus(t, 200).wantBody(t, `value="ada@example.com"`)
		c.get("/survey/review", nil).wantStatus(t, 200).wantBody(t, "ada@example.com", "555")
	}
}

// TestUnknownStepPost: a post to a step the wizard does not have (it left
// the definition while the user was on it) sends a user mid-journey to
// where they belong; with nothing saved, it is not found.
func TestUnknownStepPost(t *testing.T) {
	_, ts := surveyServer(t, &memorySink{})
	newClient(t, ts).post("/survey/gone", form("x", "y"), nil).wantStatus(t, http.StatusNotFound)
	c := newClient(t, ts)
	c.post("/survey/about", form("name", "Ada", "age", "30"), nil).wantRedirect(t, "/survey/extra")
	c.post("/survey/gone", form("x", "y"), nil).wantRedirect(t, "/survey/extra")
	c.htmx().post("/survey/gone", form("x", "y"), nil).wantStatus(t, 200).wantBody(t, `data-step="extra"`)
}

// TestReloadSubmitRevalidates: a rule tightened while the user was on the
// review: the submit shows the step with the error, stores nothing.
func TestReloadSubmitRevalidates(t *testing.T) {
	sink := &memorySink{}
	srv, c, id := answeredSurvey(t, sink)

	setWizards(t, srv, survey(t, func(w *wizard.Wizard) {
		w.Steps[0].Field("age").Max = wizard.Float(65)
	}))
	c.post("/survey/submit", form("submission", id), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, `data-step="about"`, "Your age must be 65 or less", `value="70"`, `action="/survey/about?return=review"`)
	res := c.htmx().post("/survey/submit", form("submission", id), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "Your age must be 65 or less")
	if got := res.Header.Get("HX-Push-Url"); got != "/survey/about?return=review" {
		t.Errorf("HX-Push-Url %q, want /survey/about?return=review", got)
	}
	if got := sink.all(); len(got) != 0 {
		t.Fatalf("%d submissions of answers the rules now refuse", len(got))
	}
}

// TestReloadKeepsRequestsInFlight: a submit under way when the definition
// changes finishes with the definition it started with.
func TestReloadKeepsRequestsInFlight(t *testing.T) {
	sink := &heldSink{memorySink: &memorySink{}, arrived: make(chan struct{}), release: make(chan struct{})}
	srv, c, id := answeredSurvey(t, sink)

	second := survey(t, func(w *wizard.Wizard) { w.Done = "Thanks from the second survey." })
	done := make(chan *response)
	go func() { done <- c.htmx().post("/survey/submit", form("submission", id), nil) }()
	<-sink.arrived
	setWizards(t, srv, second)
	close(sink.release)
	(<-done).wantStatus(t, 200).wantBody(t, "Thanks from the first survey.")
	c.get("/survey/done", nil).wantStatus(t, 200).wantBody(t, "Thanks from the second survey.")
	if got := sink.all(); len(got) != 1 || got[0].Wizard != "survey" {
		t.Fatalf("submissions %+v, want one", got)
	}
}

// heldSink holds each submission until released, saying when one arrived.
type heldSink struct {
	*memorySink
	arrived, release chan struct{}
}

func (s *heldSink) Submit(ctx context.Context, sub wizard.Submission) error {
	s.arrived <- struct{}{}
	<-s.release
	return s.memorySink.Submit(ctx, sub)
}

// TestSetWizards: a catalog naming a wizard like one of the server's own
// pages, or none, is refused and the served one kept; swapping catalogs
// while serving is safe (run with -race).
func TestSetWizards(t *testing.T) {
	srv, ts := surveyServer(t, &memorySink{})
	if err := srv.SetWizards(nil); err == nil {
		t.Error("SetWizards(nil) succeeded")
	}
	c := newClient(t, ts)
	c.get("/survey/", nil).wantRedirect(t, "/survey/about")

	catalogs := []*wizard.Catalog{
		survey(t, func(w *wizard.Wizard) { w.Title = "Survey A" }),
		survey(t, func(w *wizard.Wizard) { w.Title = "Survey B" }),
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := srv.SetWizards(catalogs[i%2]); err != nil {
				t.Errorf("SetWizards: %v", err)
				return
			}
		}
	})
	for range 50 {
		c.get("/", nil).wantStatus(t, 200).wantBody(t, `href="/survey/"`)
		c.post("/survey/about", form("name", "Ada", "age", "30"), nil).wantRedirect(t, "/survey/extra")
	}
	close(stop)
	wg.Wait()
}
