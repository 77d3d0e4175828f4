package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/handlers"
)

// answerRegister answers every step of one branch of register.
func answerRegister(t *testing.T, c *client, ticket string) {
	t.Helper()
	for _, st := range registerBranch(ticket) {
		c.post(st.path, form(st.form...), nil).wantStatus(t, http.StatusSeeOther)
	}
}

// reviewRows returns the data-testid of every answer row on the review page.
func reviewRows(t *testing.T, c *client) []string {
	t.Helper()
	body := c.get("/register/review", nil).wantStatus(t, 200).body
	var rows []string
	for _, m := range regexp.MustCompile(`data-testid="answer-([a-z0-9_-]+)"`).FindAllStringSubmatch(body, -1) {
		rows = append(rows, m[1])
	}
	return rows
}

func TestReviewListsExactlyTheJourney(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	want := map[string][]string{
		"student": {"details-name", "details-email", "ticket-type", "student-university", "student-student_id", "needs-dietary", "needs-dietary_other", "needs-access"},
		"regular": {"details-name", "details-email", "ticket-type", "needs-dietary", "needs-dietary_other", "needs-access"},
		"speaker": {"details-name", "details-email", "ticket-type", "talk-title", "talk-abstract", "guests-0", "needs-dietary", "needs-dietary_other", "needs-access"},
	}
	for ticket, rows := range want {
		t.Run(ticket, func(t *testing.T) {
			c := newClient(t, ts)
			answerRegister(t, c, ticket)
			if got := reviewRows(t, c); strings.Join(got, " ") != strings.Join(rows, " ") {
				t.Errorf("review rows\n got %v\nwant %v", got, rows)
			}
			// Option labels, not values; every chosen box on its own line.
			c.get("/register/review", nil).wantBody(t, "Vegan<br> Other", "No mushrooms", "Quiet room",
				`href="/register/ticket?return=review#f-type"`)
		})
	}
}

// TestChangeReturnsToReview: Change opens the step prefilled, and saving it
// goes back to the review.
func TestChangeReturnsToReview(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	answerRegister(t, c, "regular")
	c.get("/register/details?return=review", nil).wantStatus(t, 200).
		wantBody(t, `value="Grace Hopper"`, `action="/register/details?return=review"`, `class="back-link" href="/register/review"`)
	c.post("/register/details?return=review", form("name", "Grace B. Hopper", "email", "grace@example.com"), nil).
		wantRedirect(t, "/register/review")
	c.get("/register/review", nil).wantBody(t, "Grace B. Hopper")

	// The same with htmx: the review comes back as the partial.
	res := c.htmx().post("/register/details?return=review", form("name", "Grace", "email", "grace@example.com"), nil).
		wantStatus(t, 200).wantBody(t, "Check your answers")
	if got := res.Header.Get("HX-Push-Url"); got != "/register/review" {
		t.Errorf("HX-Push-Url = %q, want /register/review", got)
	}
}

// TestBranchChangeFromReview: switching the ticket to speaker asks for the
// talk first, then returns to a review without the student's answers.
func TestBranchChangeFromReview(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	answerRegister(t, c, "student")
	c.post("/register/ticket?return=review", form("type", "speaker"), nil).wantRedirect(t, "/register/talk?return=review")
	c.get("/register/review", nil).wantRedirect(t, "/register/talk")
	c.post("/register/talk?return=review", form("title", "Bugs", "abstract", strings.Repeat("Moths in relays. ", 4)), nil).
		wantRedirect(t, "/register/guests?return=review")
	// A speaker's guests are asked too; one added from here.
	c.post("/register/guests?return=review", form("add", "yes"), nil).wantRedirect(t, "/register/guests/1?return=review")
	id := itemID(t, c.get("/register/guests/1?return=review", nil))
	c.post("/register/guests/1?return=review", form("item", id, "name", "Howard Aiken"), nil).wantRedirect(t, "/register/guests?return=review")
	c.post("/register/guests?return=review", form("add", "no"), nil).wantRedirect(t, "/register/review")
	if got, want := strings.Join(reviewRows(t, c), " "), "details-name details-email ticket-type talk-title talk-abstract guests-1 needs-dietary needs-dietary_other needs-access"; got != want {
		t.Errorf("review rows\n got %s\nwant %s", got, want)
	}
	c.get("/register/review", nil).wantNoBody(t, "Yale", "YS-1906")

	// The submission holds the journey only.
	sink, path := newJSONLSink(t)
	ts2 := newServerWith(t, handlers.DefaultConfig(), sink)
	c2 := newClient(t, ts2)
	answerRegister(t, c2, "student")
	c2.post("/register/ticket", form("type", "regular"), nil).wantRedirect(t, "/register/needs")
	c2.post("/register/submit", form("submission", submissionID(t, c2, "/register/review")), nil).wantRedirect(t, "/register/done")
	subs := readSubmissions(t, path)
	if len(subs) != 1 {
		t.Fatalf("%d submissions, want 1", len(subs))
	}
	for _, a := range subs[0].Answers {
		if a.Step == "student" {
			t.Errorf("submission holds an answer of a step off the journey: %+v", a)
		}
	}
	if got := stepsOf(subs[0]); got != "details details ticket needs needs needs" { // dietary, dietary_other, access
		t.Errorf("submitted steps %q", got)
	}
}

func stepsOf(s wizard.Submission) string {
	var steps []string
	for _, a := range s.Answers {
		steps = append(steps, a.Step)
	}
	return strings.Join(steps, " ")
}

func readSubmissions(t *testing.T, path string) []wizard.Submission {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var subs []wizard.Submission
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s wizard.Submission
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		subs = append(subs, s)
	}
	return subs
}

// TestSubmitRevalidates: an answer that no longer passes its rules when
// submitted lands the user on its step with the errors (422).
func TestSubmitRevalidates(t *testing.T) {
	sizes := []wizard.Option{{Value: "s", Label: "Small"}, {Value: "m", Label: "Medium"}}
	var mu sync.Mutex
	wz := &wizard.Wizard{Name: "shirt", Title: "Shirt", Steps: []*wizard.Step{
		{Name: "name", Title: "Name", Fields: []*wizard.Field{{Name: "n", Label: "Name", Noun: "your name", Required: true}}},
		{Name: "size", Title: "Size", Fields: []*wizard.Field{{Name: "size", Kind: wizard.Radio, Label: "Size", Noun: "a size", Required: true,
			OptionsFunc: func(wizard.Answers) []wizard.Option { mu.Lock(); defer mu.Unlock(); return sizes }}}},
	}}
	sink, path := newJSONLSink(t)
	ts := newCatalogServer(t, handlers.DefaultConfig(), sink, wz)
	c := newClient(t, ts)
	c.post("/shirt/name", form("n", "Ada"), nil).wantRedirect(t, "/shirt/size")
	c.post("/shirt/size", form("size", "m"), nil).wantRedirect(t, "/shirt/review")
	id := submissionID(t, c, "/shirt/review")

	mu.Lock()
	sizes = sizes[:1] // medium sold out
	mu.Unlock()
	c.post("/shirt/submit", form("submission", id), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "Select a size from the list", "<title>Error: Size", `action="/shirt/size?return=review"`)
	res := c.htmx().post("/shirt/submit", form("submission", id), nil).wantStatus(t, http.StatusUnprocessableEntity)
	if got := res.Header.Get("HX-Push-Url"); got != "/shirt/size?return=review" {
		t.Errorf("HX-Push-Url = %q", got)
	}
	if subs := readSubmissions(t, path); len(subs) != 0 {
		t.Fatalf("invalid answers were submitted: %+v", subs)
	}
	c.post("/shirt/size?return=review", form("size", "s"), nil).wantRedirect(t, "/shirt/review")
	c.post("/shirt/submit", form("submission", id), nil).wantRedirect(t, "/shirt/done")
	if subs := readSubmissions(t, path); len(subs) != 1 || subs[0].Answers[1].Values[0] != "s" {
		t.Fatalf("submissions = %+v", subs)
	}
}

// failingSink refuses every submission.
type failingSink struct{}

func (failingSink) Submit(context.Context, wizard.Submission) error { return errors.New("disk full") }

func (failingSink) Submitted(context.Context, string) (bool, error) {
	return false, errors.New("disk full")
}

func TestSinkFailureKeepsAnswers(t *testing.T) {
	ts := newServerWith(t, handlers.DefaultConfig(), failingSink{})
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Analyst"), nil).wantRedirect(t, "/classic/review")
	c.post("/classic/submit", form("submission", submissionID(t, c, "/classic/review")), nil).
		wantStatus(t, http.StatusServiceUnavailable).
		wantBody(t, "We could not submit your answers", "Your answers are kept", `href="/classic/review"`).
		wantNoBody(t, "disk full")
	c.get("/classic/review", nil).wantStatus(t, 200).wantBody(t, "Ada", "Analyst")
}

// TestDoubleSubmitStoresOnce: two submits at once (a double click) and a
// later one (back, then submit again) make one line in the file, and the
// repeat shows the same reference.
func TestDoubleSubmitStoresOnce(t *testing.T) {
	sink, path := newJSONLSink(t)
	ts := newServerWith(t, handlers.DefaultConfig(), sink)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Analyst"), nil)
	id := submissionID(t, c, "/classic/review")

	var wg sync.WaitGroup
	bodies := make([]string, 2)
	for i := range bodies {
		wg.Go(func() {
			res := c.post("/classic/submit", form("submission", id), nil)
			if res.StatusCode == http.StatusSeeOther {
				res = c.get(res.Header.Get("Location"), nil)
			}
			bodies[i] = res.body
		})
	}
	wg.Wait()
	subs := readSubmissions(t, path)
	if len(subs) != 1 {
		t.Fatalf("%d submissions after a double click, want 1", len(subs))
	}
	ref := subs[0].Reference
	if !regexp.MustCompile(`^CLA-[0-9A-Z]{8}$`).MatchString(ref) {
		t.Errorf("reference %q", ref)
	}
	for _, b := range bodies {
		if !strings.Contains(b, ref) {
			t.Errorf("a response lacks the reference %s:\n%s", ref, b)
		}
	}
	// Back to the review page's form, submit again: already submitted.
	again := "/classic/done?again=" + id
	c.post("/classic/submit", form("submission", id), nil).wantRedirect(t, again)
	c.get(again, nil).wantStatus(t, 200).wantBody(t, "Already submitted", ref, "Analyst")
	// Even from a browser whose session is gone, the sink knows the ID.
	stranger := newClient(t, ts)
	stranger.post("/classic/submit", form("submission", id), nil).wantRedirect(t, again)
	stranger.get(again, nil).wantStatus(t, 200).wantBody(t, "Already submitted", ref).wantNoBody(t, "Analyst")
	stranger.get("/classic/done?again=NOTANID", nil).wantRedirect(t, "/classic/name")
	res := c.htmx().post("/classic/submit", form("submission", id), nil).wantStatus(t, 200).wantBody(t, "Already submitted", ref)
	if got := res.Header.Get("HX-Push-Url"); got != again {
		t.Errorf("HX-Push-Url = %q, want %q", got, again)
	}
	if subs := readSubmissions(t, path); len(subs) != 1 {
		t.Fatalf("%d submissions after a resubmit, want 1", len(subs))
	}
	// A restart after submitting is a new submission.
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Engineer"), nil)
	c.post("/classic/submit", form("submission", submissionID(t, c, "/classic/review")), nil).wantRedirect(t, "/classic/done")
	if subs := readSubmissions(t, path); len(subs) != 2 || subs[1].Reference == ref {
		t.Fatalf("submissions = %+v", subs)
	}
}

// TestSubmissionIDOfReviewReachedByPost: the review that an htmx step post
// (or a list's "no more") lands on carries the ID the submit stores, so a
// second click of its Submit button shows "Already submitted", not the
// first step; the same review shown again keeps the ID, and changed
// answers get a new one.
func TestSubmissionIDOfReviewReachedByPost(t *testing.T) {
	sink, path := newJSONLSink(t)
	ts := newServerWith(t, handlers.DefaultConfig(), sink)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	idOf := func(res *response) string {
		t.Helper()
		m := regexp.MustCompile(`name="submission" value="([0-9A-Z]+)"`).FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("no submission ID:\n%s", res.body)
		}
		return m[1]
	}
	id := idOf(c.htmx().post("/classic/job", form("v2", "Analyst"), nil).wantStatus(t, 200))
	if again := idOf(c.htmx().get("/classic/review", nil)); again != id {
		t.Errorf("review shown again carries %s, want %s", again, id)
	}
	if same := idOf(c.htmx().post("/classic/job", form("v2", "Analyst"), nil)); same != id {
		t.Errorf("the same answer saved again: ID %s, want %s", same, id)
	}
	changed := idOf(c.htmx().post("/classic/job", form("v2", "Engineer"), nil))
	if changed == id {
		t.Errorf("changed answers kept the ID %s", id)
	}
	c.post("/classic/submit", form("submission", changed), nil).wantRedirect(t, "/classic/done")
	subs := readSubmissions(t, path)
	if len(subs) != 1 || subs[0].ID != changed {
		t.Fatalf("submissions %+v, want one with ID %s", subs, changed)
	}
	// The second click of the same button.
	again := "/classic/done?again=" + changed
	c.post("/classic/submit", form("submission", changed), nil).wantRedirect(t, again)
	c.get(again, nil).wantStatus(t, 200).wantBody(t, "Already submitted", subs[0].Reference)
}

// TestTokenRenewedAfterSubmit: the cookie from before the submit no longer
// finds the session.
func TestTokenRenewedAfterSubmit(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Analyst"), nil)
	old := c.cookie()
	c.post("/classic/submit", form("submission", submissionID(t, c, "/classic/review")), nil).wantRedirect(t, "/classic/done")
	if c.cookie() == old || c.cookie() == "" {
		t.Fatalf("token not renewed: %q", c.cookie())
	}
	c.get("/classic/done", nil).wantStatus(t, 200).wantBody(t, "Thank you.")

	thief := newClient(t, ts)
	thief.setCookie(old)
	thief.get("/classic/done", nil).wantRedirect(t, "/classic/name?expired=1")
}

func TestRestartClears(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/register/details", form("name", "Grace", "email", "g@example.com"), nil)
	c.get("/classic/job", nil).wantBody(t, `href="/classic/restart"`)
	c.get("/classic/restart", nil).wantStatus(t, 200).wantBody(t, "Start again?", `action="/classic/restart"`, "No, keep my answers")
	c.get("/classic/job", nil).wantStatus(t, 200) // asking deletes nothing
	c.post("/classic/restart", nil, nil).wantRedirect(t, "/classic/name")
	c.get("/classic/job", nil).wantRedirect(t, "/classic/name")
	c.get("/classic/name", nil).wantBody(t, `value=""`)
	// Only that wizard's answers.
	c.get("/register/ticket", nil).wantStatus(t, 200).wantBody(t, "Grace, which ticket")
}

// TestKeepAliveExtendsSession: a keepalive moves the idle deadline on, so
// the answers outlive the deadline they had before it.
func TestKeepAliveExtendsSession(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.IdleTimeout = 2 * time.Second
	ts := newServer(t, cfg)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	c.get("/classic/job", nil).wantBody(t, `data-idle-seconds="2"`, `data-warn-seconds="0"`, `data-keepalive-url="/keepalive"`)
	time.Sleep(1200 * time.Millisecond)
	c.postRaw("/keepalive", "", "", map[string]string{"Sec-Fetch-Site": "same-origin"}).wantStatus(t, http.StatusNoContent)
	time.Sleep(1200 * time.Millisecond) // 2.4 s after the answer: past its first deadline
	c.get("/classic/job", nil).wantStatus(t, 200).wantBody(t, "Ada, what is your job?")

	// Once the session is gone, keepalive says so and creates nothing.
	time.Sleep(2200 * time.Millisecond)
	res := c.postRaw("/keepalive", "", "", nil).wantStatus(t, http.StatusGone)
	if sc := res.Header.Get("Set-Cookie"); strings.Contains(sc, "Max-Age=") && !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("keepalive of an expired session set a cookie: %q", sc)
	}
}

// TestPagesKnowTheTimeout: the timer is on pages with a session only; a
// partial carries it out of band.
func TestPagesKnowTheTimeout(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.get("/classic/name", nil).wantNoBody(t, "data-idle-seconds")
	c.htmx().post("/classic/name", form("v1", "Ada"), nil).
		wantBody(t, `id="session-timer" hidden hx-swap-oob="true" data-idle-seconds="1800" data-warn-seconds="120"`)
	c.get("/classic/job", nil).wantBody(t, `data-idle-seconds="1800"`, "We delete your answers after 30 minutes without activity.")
}

// TestLatePostAfterExpiry: a POST to a later step after the session expired
// lands on the first step with the notice; nothing is silently dropped.
func TestLatePostAfterExpiry(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.IdleTimeout = time.Second
	ts := newServer(t, cfg)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	time.Sleep(1500 * time.Millisecond)
	c.post("/classic/job", form("v2", "Analyst"), nil).wantRedirect(t, "/classic/name?expired=1")
	c.get("/classic/name?expired=1", nil).wantBody(t, "Your session expired after a period of inactivity")
	// A late POST of the first step with an invalid answer: 422 and the notice.
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	time.Sleep(1500 * time.Millisecond)
	c.post("/classic/name", form("v1", ""), nil).wantStatus(t, http.StatusUnprocessableEntity).
		wantBody(t, "Your session expired after a period of inactivity", "Enter your name")
}
