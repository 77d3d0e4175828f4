package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wizard/wizard/handlers"
)

// TestClassicWithoutJavaScript walks libmicrohttpd's example as a browser
// without JavaScript does: every POST answers 303 to the next page.
func TestClassicWithoutJavaScript(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)

	c.get("/", nil).wantStatus(t, 200).wantBody(t, `href="/classic/"`, `href="/register/"`)
	c.get("/classic/", nil).wantRedirect(t, "/classic/name")
	c.get("/classic", nil).wantRedirect(t, "/classic/name")
	c.get("/classic/name", nil).wantStatus(t, 200).wantBody(t, "What is your name?", `name="v1"`, "Step 1 of 2").
		wantNoBody(t, `data-testid="back"`)

	c.post("/classic/name", form("v1", "  Ada Lovelace "), nil).wantRedirect(t, "/classic/job")
	if c.cookie() == "" {
		t.Fatal("no session cookie after the first answer")
	}
	c.get("/classic/job", nil).wantStatus(t, 200).
		wantBody(t, "Ada Lovelace, what is your job?", `href="/classic/name"`, "Step 2 of 2")
	c.get("/classic/", nil).wantRedirect(t, "/classic/job")
	c.get("/classic/review", nil).wantRedirect(t, "/classic/job")

	c.post("/classic/job", form("v2", "Analyst"), nil).wantRedirect(t, "/classic/review")
	c.get("/classic/review", nil).wantStatus(t, 200).
		wantBody(t, "Ready to submit?", ">Submit</button>", "Ada Lovelace", "Analyst", `href="/classic/job?return=review#f-v2"`)
	c.get("/classic/done", nil).wantRedirect(t, "/classic/review")

	// Going back never loses an answer: the saved values are prefilled.
	c.get("/classic/name", nil).wantBody(t, `value="Ada Lovelace"`)
	c.get("/classic/job", nil).wantBody(t, `value="Analyst"`)

	c.post("/classic/submit", form("submission", submissionID(t, c, "/classic/review")), nil).wantRedirect(t, "/classic/done")
	c.get("/classic/done", nil).wantStatus(t, 200).wantBody(t, "Thank you.", `data-testid="reference">CLA-`, "Ada Lovelace", "Analyst")
	// The answers left the session with the submission.
	c.get("/classic/", nil).wantRedirect(t, "/classic/name")
	c.get("/classic/name", nil).wantBody(t, `value=""`)
}

// registerPath is one branch of the register wizard: each step's URL, the
// form posted there, and a text the step must show.
type registerStep struct {
	path string
	form []string
	show string
}

func registerBranch(ticket string) []registerStep {
	steps := []registerStep{
		{"/register/details", []string{"name", "Grace Hopper", "email", "grace@example.com"}, "Your details"},
		{"/register/ticket", []string{"type", ticket}, "Grace Hopper, which ticket do you need?"},
	}
	switch ticket {
	case "student":
		steps = append(steps, registerStep{"/register/student",
			[]string{"university", "Yale", "student_id", "YS-1906"}, "Where do you study, Grace Hopper?"})
	case "speaker":
		steps = append(steps, registerStep{"/register/talk",
			[]string{"title", "Nanoseconds", "abstract", strings.Repeat("A wire as long as light travels in a nanosecond. ", 2)},
			"Tell us about your talk, Grace Hopper"},
			registerStep{"/register/guests", []string{"add", "no"}, "Do you have any guests?"})
	}
	return append(steps, registerStep{"/register/needs",
		[]string{"dietary", "vegan", "dietary", "other", "dietary_other", "No mushrooms", "access", "quiet-room"},
		"Anything we should know, Grace Hopper?"})
}

// TestRegisterBranchesWithHTMX completes every branch of register the way
// htmx does: each POST answers the next step's partial with HX-Push-Url.
func TestRegisterBranchesWithHTMX(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	for _, ticket := range []string{"student", "regular", "speaker"} {
		t.Run(ticket, func(t *testing.T) {
			c := newClient(t, ts).htmx()
			steps := registerBranch(ticket)
			c.get(steps[0].path, nil).wantStatus(t, 200).wantBody(t, steps[0].show)
			for i, st := range steps {
				res := c.post(st.path, form(st.form...), nil).wantStatus(t, 200)
				if res.full() {
					t.Fatalf("POST %s: full page for an htmx request", st.path)
				}
				if got := res.Header.Get("Vary"); !strings.Contains(strings.Join(res.Header.Values("Vary"), ", "), "HX-Request, HX-Request-Type") {
					t.Errorf("POST %s: Vary %q lacks HX-Request, HX-Request-Type", st.path, got)
				}
				wantURL, wantShow := "/register/review", "Check your answers"
				if i+1 < len(steps) {
					wantURL, wantShow = steps[i+1].path, steps[i+1].show
				}
				if got := res.Header.Get("HX-Push-Url"); got != wantURL {
					t.Fatalf("POST %s: HX-Push-Url %q, want %q", st.path, got, wantURL)
				}
				res.wantBody(t, wantShow, `id="step"`, "<title>")
			}
			// The journey shows the branch: M in "Step N of M".
			c.get("/register/needs", nil).wantBody(t, "Step "+map[string]string{"student": "4 of 4", "regular": "3 of 3", "speaker": "5 of 5"}[ticket])
			res := c.post("/register/submit", form("submission", submissionID(t, c, "/register/review")), nil).wantStatus(t, 200).
				wantBody(t, "Thank you, Grace Hopper. You are registered; we will write to grace@example.com.", "REG-")
			if got := res.Header.Get("HX-Push-Url"); got != "/register/done" {
				t.Errorf("submit: HX-Push-Url %q, want /register/done", got)
			}
		})
	}
}

// TestBranchChangeDropsOldSteps switches the ticket from student to regular:
// the student step leaves the journey and can no longer be opened.
func TestBranchChangeDropsOldSteps(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	for _, st := range registerBranch("student") {
		c.post(st.path, form(st.form...), nil).wantStatus(t, http.StatusSeeOther)
	}
	c.get("/register/needs", nil).wantBody(t, "Step 4 of 4", `href="/register/student"`)
	c.post("/register/ticket", form("type", "regular"), nil).wantRedirect(t, "/register/needs")
	c.get("/register/needs", nil).wantBody(t, "Step 3 of 3", `href="/register/ticket"`)
	c.get("/register/student", nil).wantRedirect(t, "/register/review")
	// Choosing speaker now needs the talk step before anything after it.
	c.post("/register/ticket", form("type", "speaker"), nil).wantRedirect(t, "/register/talk")
	c.get("/register/needs", nil).wantRedirect(t, "/register/talk")
	c.get("/register/review", nil).wantRedirect(t, "/register/talk")
	c.get("/register/done", nil).wantRedirect(t, "/register/talk")
}

// TestFullPartialAndHistoryRestore: a normal request and a history restore
// get the whole page, an htmx swap only the step.
func TestFullPartialAndHistoryRestore(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	cases := []struct {
		name    string
		headers map[string]string
		full    bool
	}{
		{"plain", nil, true},
		{"htmx partial", map[string]string{"HX-Request": "true", "HX-Request-Type": "partial"}, false},
		{"htmx without request type", map[string]string{"HX-Request": "true"}, false},
		{"history restore", map[string]string{"HX-Request": "true", "HX-Request-Type": "full", "HX-History-Restore-Request": "true"}, true},
		{"htmx full", map[string]string{"HX-Request": "true", "HX-Request-Type": "full"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get("/classic/job", tc.headers).wantStatus(t, 200).wantBody(t, "Ada, what is your job?", `id="step"`)
			if res.full() != tc.full {
				t.Errorf("full page = %v, want %v", res.full(), tc.full)
			}
			if tc.full {
				res.wantBody(t, "<title>Ada, what is your job? – The classic</title>", "/static/htmx.min.")
			}
			vary := strings.Join(res.Header.Values("Vary"), ", ")
			if !strings.Contains(vary, "HX-Request, HX-Request-Type") {
				t.Errorf("Vary = %q", vary)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
		})
	}
}

// TestInvalidAnswerKeepsValues: 422, an error summary linking to each field,
// a message at each field, "Error: " in the title and every value kept.
func TestInvalidAnswerKeepsValues(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	res := c.post("/register/details", form("name", "  ", "email", "grace-at-example"), nil).wantStatus(t, http.StatusUnprocessableEntity)
	if !res.full() {
		t.Fatal("422 without JavaScript must be a full page")
	}
	res.wantBody(t,
		"<title>Error: Your details – Conference registration</title>",
		`data-testid="error-summary"`,
		`<a href="#f-name">Enter your full name</a>`,
		`<a href="#f-email">Enter your email address in the correct format, like name@example.com</a>`,
		`id="f-email-error"`, `aria-describedby="f-email-hint f-email-error"`, `aria-invalid="true"`,
		`value="grace-at-example"`)
	if strings.Index(res.body, "error-summary") > strings.Index(res.body, "<form") {
		t.Error("the error summary must come before the form")
	}
	// Nothing was saved: the step is still the first open one.
	c.get("/register/ticket", nil).wantRedirect(t, "/register/details")

	// With htmx: the partial with status 422 and no new URL.
	h := c.htmx()
	res = h.post("/register/details", form("name", "Grace", "email", "nope"), nil).wantStatus(t, http.StatusUnprocessableEntity)
	if res.full() || res.Header.Get("HX-Push-Url") != "" {
		t.Fatalf("htmx 422: full=%v HX-Push-Url=%q", res.full(), res.Header.Get("HX-Push-Url"))
	}
	res.wantBody(t, "<title>Error: Your details", `value="Grace"`, `value="nope"`)

	// Conditional field: "other" ticked without saying what.
	c.post("/register/details", form("name", "Grace", "email", "g@example.com"), nil).wantStatus(t, http.StatusSeeOther)
	c.post("/register/ticket", form("type", "regular"), nil).wantStatus(t, http.StatusSeeOther)
	c.post("/register/needs", form("dietary", "other", "access", "step-free"), nil).
		wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "Enter your other dietary need", `value="other" checked`, `value="step-free" checked`)
}

// TestSkipAhead: a step whose earlier steps are unanswered redirects to the
// first unanswered one, for GET and POST, and saves nothing.
func TestSkipAhead(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.get("/classic/review", nil).wantRedirect(t, "/classic/name")
	c.post("/classic/job", form("v2", "Spy"), nil).wantRedirect(t, "/classic/name")
	c.post("/classic/name", form("v1", "Kim"), nil).wantRedirect(t, "/classic/job")
	c.get("/classic/job", nil).wantBody(t, `value=""`).wantNoBody(t, "Spy")
	c.post("/classic/submit", nil, nil).wantRedirect(t, "/classic/job?return=review")
	c.get("/register/needs", nil).wantRedirect(t, "/register/details")

	// htmx gets the step it belongs on, and the address bar follows.
	res := c.htmx().get("/classic/review", nil).wantStatus(t, 200).wantBody(t, "Kim, what is your job?")
	if got := res.Header.Get("HX-Push-Url"); got != "/classic/job" {
		t.Errorf("HX-Push-Url = %q, want /classic/job", got)
	}
}

// TestHistoryRestoreOfALeftPage: back to a page the journey no longer
// allows gets the page the user belongs on, with the address corrected.
func TestHistoryRestoreOfALeftPage(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	restore := map[string]string{"HX-Request": "true", "HX-Request-Type": "full", "HX-History-Restore-Request": "true"}
	res := c.get("/classic/review", restore).wantStatus(t, 200).wantBody(t, "Ada, what is your job?")
	if !res.full() || res.Header.Get("HX-Replace-Url") != "/classic/job" {
		t.Errorf("full=%v HX-Replace-Url=%q, want a full page at /classic/job", res.full(), res.Header.Get("HX-Replace-Url"))
	}
}

// TestTwoWizardsInOneSession: answers of one wizard never show in another.
func TestTwoWizardsInOneSession(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	c.post("/register/details", form("name", "Grace", "email", "g@example.com"), nil).wantRedirect(t, "/register/ticket")
	c.get("/classic/job", nil).wantBody(t, "Ada, what is your job?")
	c.get("/register/ticket", nil).wantBody(t, "Grace, which ticket do you need?")
}

// TestValuesAreEscaped: what users type is shown as text, never as markup.
func TestValuesAreEscaped(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", `<script>alert("x")</script>`), nil).wantRedirect(t, "/classic/job")
	c.get("/classic/job", nil).wantNoBody(t, "<script>alert").wantBody(t, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;, what is your job?")
}
