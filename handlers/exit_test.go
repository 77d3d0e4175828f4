package handlers_test

import (
	"net/http"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
)

// licence is a fishing licence: anglers under 12 leave through an exit, and
// so do those fishing in Scotland; the water step has fields shown on its
// own answers, and on earlier ones.
func licence() *wizard.Wizard {
	return &wizard.Wizard{
		Name:      "licence",
		Title:     "Fishing licence",
		RefPrefix: "FSH",
		Steps: []*wizard.Step{
			{
				Name:  "angler",
				Title: "About you",
				Fields: []*wizard.Field{
					{Name: "name", Label: "Full name", Noun: "your name", Required: true},
					{Name: "age", Kind: wizard.Number, Label: "Age", Noun: "your age", Required: true},
				},
				Routes: []wizard.Route{{When: wizard.When("age", wizard.Lt, "12"), Exit: "too-young"}},
			},
			{
				Name:  "water",
				Title: "Where will you fish, {angler.name}?",
				Fields: []*wizard.Field{
					{Name: "country", Kind: wizard.Select, Label: "Country", Noun: "a country", Required: true,
						Options: []wizard.Option{
							{Value: "england", Label: "England"},
							{Value: "wales", Label: "Wales"},
							{Value: "scotland", Label: "Scotland"},
							{Value: "northern-ireland", Label: "Northern Ireland"},
						}},
					{Name: "river", Label: "River", ShowWhen: wizard.When("country", wizard.In, "england", "wales")},
					{Name: "boat", Kind: wizard.YesNo, Label: "From a boat?",
						ShowWhen: wizard.All(wizard.When("angler.age", wizard.Ge, "16"), wizard.When("country", wizard.Ne, "scotland"))},
					{Name: "bank", Label: "Which bank?", ShowWhen: wizard.When("river", wizard.NotAnswered)},
				},
				Routes: []wizard.Route{{When: wizard.When("country", wizard.Eq, "scotland"), Exit: "scotland"}},
			},
			{
				Name:  "catch",
				Title: "Your biggest catch",
				Fields: []*wizard.Field{
					{Name: "weight", Kind: wizard.Number, Label: "Weight in kg"},
					{Name: "record", Label: "Was it weighed officially?", ShowWhen: wizard.When("weight", wizard.Gt, "10")},
				},
			},
		},
		Exits: []*wizard.Exit{
			{Name: "too-young", Title: "{angler.name}, you do not need a licence",
				Body: "You told us you are {angler.age}.\n\n  \nChildren under 12 fish free\nin England and Wales."},
			{Name: "scotland", Title: "You need a Scottish permit", Body: "We only sell licences for England, Wales and Northern Ireland."},
		},
	}
}

// TestExitWithoutJavaScript: an answer that routes to an exit leads to the
// exit's page (title and body from the answers, a way back to the step,
// no review and no submit); every other page of the wizard sends the user
// there, a submit included, which stores nothing; changing the answer
// leaves the exit.
func TestExitWithoutJavaScript(t *testing.T) {
	sink := &memorySink{}
	ts := newCatalogServer(t, handlers.DefaultConfig(), sink, licence())
	c := newClient(t, ts)

	c.get("/licence/too-young", nil).wantRedirect(t, "/licence/angler")
	c.post("/licence/angler", form("name", "Ada", "age", "10"), nil).wantRedirect(t, "/licence/too-young")
	res := c.get("/licence/too-young", nil).wantStatus(t, 200).wantBody(t,
		"<title>Ada, you do not need a licence – Fishing licence</title>",
		`data-testid="exit"`,
		`<h1 id="step-title" tabindex="-1" data-testid="step-title">Ada, you do not need a licence</h1>`,
		"<p>You told us you are 10.</p><p>Children under 12 fish free\nin England and Wales.</p>",
		`href="/licence/angler"`, `data-testid="back"`, `data-testid="start-again"`).
		wantNoBody(t, `data-testid="submit"`, "/licence/review", "/licence/submit")
	if !res.full() {
		t.Error("the exit page without JavaScript must be a full page")
	}
	for _, path := range []string{"/licence/", "/licence/review", "/licence/done", "/licence/water", "/licence/scotland"} {
		c.get(path, nil).wantRedirect(t, "/licence/too-young")
	}
	c.post("/licence/submit", nil, nil).wantRedirect(t, "/licence/too-young")
	c.post("/licence/too-young", form("name", "Ada"), nil).wantStatus(t, http.StatusMethodNotAllowed)
	// Back to the step: the answer that led here, to change.
	c.get("/licence/angler", nil).wantStatus(t, 200).wantBody(t, `value="10"`)

	c.post("/licence/angler", form("name", "Ada", "age", "30"), nil).wantRedirect(t, "/licence/water")
	c.get("/licence/too-young", nil).wantRedirect(t, "/licence/water")
	c.post("/licence/water", form("country", "wales", "river", "Wye", "boat", "no"), nil).wantRedirect(t, "/licence/catch")
	c.post("/licence/catch", form("weight", "2"), nil).wantRedirect(t, "/licence/review")
	id := submissionID(t, c, "/licence/review")

	// From the review, a change that ends the journey in an exit: the
	// review's submit then stores nothing.
	c.post("/licence/water?return=review", form("country", "scotland"), nil).wantRedirect(t, "/licence/scotland")
	c.get("/licence/scotland", nil).wantStatus(t, 200).
		wantBody(t, "You need a Scottish permit", "<p>We only sell licences", `href="/licence/water"`)
	c.post("/licence/submit", form("submission", id), nil).wantRedirect(t, "/licence/scotland")
	c.get("/licence/review", nil).wantRedirect(t, "/licence/scotland")
	if got := sink.all(); len(got) != 0 {
		t.Fatalf("the sink got %d submissions of journeys that ended in exits", len(got))
	}

	c.post("/licence/water", form("country", "england"), nil).wantRedirect(t, "/licence/catch")
	c.get("/licence/scotland", nil).wantRedirect(t, "/licence/review")
	c.post("/licence/submit", form("submission", submissionID(t, c, "/licence/review")), nil).wantRedirect(t, "/licence/done")
	if got := sink.all(); len(got) != 1 {
		t.Fatalf("the sink got %d submissions, want 1", len(got))
	}
}

// TestExitWithHTMX: the same journey as htmx makes it: each answer is
// followed by the exit's partial with the address pushed, and the review
// and submit answer with the exit page too, storing nothing.
func TestExitWithHTMX(t *testing.T) {
	sink := &memorySink{}
	ts := newCatalogServer(t, handlers.DefaultConfig(), sink, licence())
	h := newClient(t, ts).htmx()

	wantExit := func(res *response, path, title string) {
		t.Helper()
		res.wantStatus(t, 200).wantBody(t, `data-testid="exit"`, "<title>"+title+" – Fishing licence</title>", `id="step-title"`)
		if res.full() {
			t.Errorf("%s %s: a full page for htmx", res.Request.Method, res.Request.URL.Path)
		}
		if got := res.Header.Get("HX-Push-Url"); got != path {
			t.Errorf("%s %s: HX-Push-Url %q, want %q", res.Request.Method, res.Request.URL.Path, got, path)
		}
	}
	const tooYoung = "Ada, you do not need a licence"
	wantExit(h.post("/licence/angler", form("name", "Ada", "age", "9"), nil), "/licence/too-young", tooYoung)
	res := h.get("/licence/too-young", nil).wantStatus(t, 200).wantBody(t, `hx-get="/licence/angler"`, "You told us you are 9.")
	if res.full() {
		t.Error("GET of the exit page by htmx: a full page")
	}
	wantExit(h.get("/licence/review", nil), "/licence/too-young", tooYoung)
	wantExit(h.post("/licence/submit", form("submission", "01234567890123456789ABCDE"), nil), "/licence/too-young", tooYoung)

	res = h.post("/licence/angler", form("name", "Ada", "age", "12"), nil).wantStatus(t, 200).wantBody(t, "Where will you fish, Ada?")
	if got := res.Header.Get("HX-Push-Url"); got != "/licence/water" {
		t.Errorf("HX-Push-Url %q after a change that leaves the exit, want /licence/water", got)
	}
	wantExit(h.post("/licence/water", form("country", "scotland"), nil), "/licence/scotland", "You need a Scottish permit")
	if got := sink.all(); len(got) != 0 {
		t.Fatalf("the sink got %d submissions of journeys that ended in exits", len(got))
	}
}
