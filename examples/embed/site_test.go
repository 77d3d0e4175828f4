package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wizard/wizard/sinks"
)

// testSite is the site on a test server, with its submissions file, its
// register of members and its log.
type testSite struct {
	*httptest.Server
	submissions string
	members     Members
	log         *syncBuffer
}

// newTestSite starts the site with the members ada and grace.
func newTestSite(tb testing.TB) *testSite {
	tb.Helper()
	return newTestSiteWith(tb, newMemberMap("ada", "grace"))
}

// newTestSiteWith starts the site with the register members.
func newTestSiteWith(tb testing.TB, members Members) *testSite {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "submissions.jsonl")
	sink, err := sinks.OpenJSONL(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sink.Close() })
	logs := &syncBuffer{}
	h, err := newSite(siteDeps{Sink: sink, Members: members, Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	s := &testSite{Server: httptest.NewServer(h), submissions: path, members: members, log: logs}
	tb.Cleanup(s.Close)
	return s
}

// wantSubmission checks that the site stored exactly one submission, of
// the wizard, with the reference and the answers (step.field=values, in
// order).
func (s *testSite) wantSubmission(tb testing.TB, wizardName, ref string, answers ...string) {
	tb.Helper()
	subs, err := sinks.ReadJSONL(s.submissions)
	if err != nil {
		tb.Fatal(err)
	}
	if len(subs) != 1 {
		tb.Fatalf("%d submissions stored, want 1: %+v", len(subs), subs)
	}
	sub := subs[0]
	if sub.Wizard != wizardName || sub.Reference != ref {
		tb.Errorf("stored wizard %q, reference %q; want %q, %q", sub.Wizard, sub.Reference, wizardName, ref)
	}
	var got []string
	for _, a := range sub.Answers {
		got = append(got, a.Step+"."+a.Field+"="+strings.Join(a.Values, ","))
	}
	if strings.Join(got, "\n") != strings.Join(answers, "\n") {
		tb.Errorf("stored answers\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(answers, "\n\t"))
	}
}

// wantConfirmation checks that the Done hook logged a confirmation of the
// submission to the address.
func (s *testSite) wantConfirmation(tb testing.TB, ref, to string) {
	tb.Helper()
	if want := "reference=" + ref + " to=" + to; !strings.Contains(s.log.String(), want) {
		tb.Errorf("no confirmation %q in the log:\n%s", want, s.log.String())
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines can write
// while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// visit is one person's browsing without a browser: a cookie jar, and no
// redirects followed, so that each answer is checked as sent.
type visit struct {
	t    *testing.T
	site *testSite
	http *http.Client
}

func newVisit(t *testing.T, s *testSite) *visit {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &visit{t: t, site: s, http: c}
}

// reply is a response, its body read.
type reply struct {
	*http.Response
	body string
}

func (v *visit) do(method, path string, form url.Values) reply {
	v.t.Helper()
	req, err := http.NewRequest(method, v.site.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		v.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := v.http.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	return reply{res, string(b)}
}

func (v *visit) get(path string) reply { v.t.Helper(); return v.do("GET", path, nil) }

func (v *visit) post(path string, kv ...string) reply {
	v.t.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	return v.do("POST", path, form)
}

// want checks the status and that the body holds each of parts.
func (r reply) want(t *testing.T, status int, parts ...string) reply {
	t.Helper()
	if r.StatusCode != status {
		t.Errorf("%s %s: status %d, want %d", r.Request.Method, r.Request.URL.Path, r.StatusCode, status)
	}
	for _, p := range parts {
		if !strings.Contains(r.body, p) {
			t.Errorf("%s %s: body lacks %q:\n%s", r.Request.Method, r.Request.URL.Path, p, r.body)
		}
	}
	return r
}

// wantRedirect checks a 303 to location.
func (r reply) wantRedirect(t *testing.T, location string) {
	t.Helper()
	if got := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || got != location {
		t.Errorf("%s %s: %d to %q, want 303 to %q", r.Request.Method, r.Request.URL.Path, r.StatusCode, got, location)
	}
}

func TestOwnPages(t *testing.T) {
	s := newTestSite(t)
	v := newVisit(t, s)
	home := v.get("/").want(t, http.StatusOK,
		`<title>Northfield Walking Club</title>`,
		`<header class="club-header"`, `<footer class="club-footer"`,
		`data-testid="home-title">Welcome to the Northfield Walking Club`,
		`href="/apply/join/"`, `href="/apply/register/"`,
		`<link rel="stylesheet" href="/site.css">`, `id="main"`)
	// Our stylesheet, content-hashed under the prefix, before the club's.
	ours := regexp.MustCompile(`<link rel="stylesheet" href="(/apply/static/app\.[0-9a-f]+\.css)">`).FindStringSubmatch(home.body)
	if ours == nil || strings.Index(home.body, ours[0]) > strings.Index(home.body, `href="/site.css"`) {
		t.Fatalf("home page: want our stylesheet under /apply/static/, before /site.css")
	}
	for _, path := range []string{ours[1], "/site.css"} {
		if r := v.get(path); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") || len(r.body) < 100 {
			t.Errorf("GET %s: %d %q, %d bytes", path, r.StatusCode, r.Header.Get("Content-Type"), len(r.body))
		}
	}
	v.get("/no-such-page").want(t, http.StatusNotFound, `data-testid="not-found"`, `<header class="club-header"`)
	// Nothing of the site's pages starts a session.
	if u, _ := url.Parse(s.URL); len(v.http.Jar.Cookies(u)) != 0 {
		t.Errorf("the site's own pages set cookies: %v", v.http.Jar.Cookies(u))
	}
}

func TestWizardsUnderApply(t *testing.T) {
	s := newTestSite(t)
	v := newVisit(t, s)
	v.get("/apply/register/").wantRedirect(t, "/apply/register/details")
	v.get("/apply/register/details").want(t, http.StatusOK,
		`<header class="club-header"`, `data-testid="service-name">Conference registration</p>`,
		`action="/apply/register/details"`, `hx-post="/apply/register/details"`,
		`href="/apply/register/restart"`, `src="/apply/static/htmx.min.`, `href="/site.css"`)
	// The first answer saved starts the session, whose cookie is the
	// prefix's only.
	saved := v.post("/apply/register/details", "name", "Ada Lovelace", "email", "ada@example.com")
	saved.wantRedirect(t, "/apply/register/ticket")
	var session *http.Cookie
	for _, c := range saved.Cookies() {
		session = c
	}
	if session == nil || session.Path != "/apply" {
		t.Fatalf("session cookie %+v, want one with Path /apply", session)
	}
	// The list of wizards, under the prefix, names the club.
	v.get("/apply/").want(t, http.StatusOK, `href="/apply/join/"`, `href="/apply/register/"`, `<a class="club-name" href="/"`)
	// An unknown wizard gets the wizards' 404 page, in the club's layout.
	v.get("/apply/nope/").want(t, http.StatusNotFound, `data-testid="error-page"`, `<footer class="club-footer"`)
	// Only the register wizard of the demo is served.
	v.get("/apply/classic/").want(t, http.StatusNotFound)
}

func TestJoin(t *testing.T) {
	s := newTestSite(t)
	v := newVisit(t, s)
	v.get("/apply/join/").wantRedirect(t, "/apply/join/account")
	// The register holds ada (in any letter case).
	v.post("/apply/join/account", "username", "ada", "email", "ada@example.com").
		want(t, http.StatusUnprocessableEntity, `href="#f-username">That username is taken: choose another`, `value="ada"`)
	v.post("/apply/join/account", "username", "walker", "email", "walker@example.com").wantRedirect(t, "/apply/join/dates")

	dates := v.get("/apply/join/dates").want(t, http.StatusOK,
		`data-testid="dates-panel"`, `<legend>Date of birth</legend>`,
		`<label class="date-input-label" for="f-dob">Day</label>`, `<label class="date-input-label" for="f-dob-2">Month</label>`,
		`<label class="date-input-label" for="f-dob-3">Year</label>`,
		`name="dob-day"`, `inputmode="numeric"`, `autocomplete="bday-day"`, `aria-describedby="f-dob-hint"`)
	if strings.Contains(dates.body, `autocomplete="-`) {
		t.Error("a date without autocomplete gets an autocomplete attribute")
	}
	// 31 February: the date input's own error, what was typed kept.
	v.post("/apply/join/dates", "dob-day", "31", "dob-month", "2", "dob-year", "1990", "start-day", "1", "start-month", "6", "start-year", "2027").
		want(t, http.StatusUnprocessableEntity, `href="#f-dob">Enter a real date`,
			`name="dob-day" value="31"`, `name="dob-month" value="2"`, `name="start-year" value="2027"`,
			`aria-describedby="f-dob-hint f-dob-error"`, `aria-invalid="true"`)
	// Too young when the membership starts: the check across both dates.
	v.post("/apply/join/dates", "dob-day", "2", "dob-month", "6", "dob-year", "2011", "start-day", "1", "start-month", "6", "start-year", "2027").
		want(t, http.StatusUnprocessableEntity, `href="#f-start">You must be 16 or over when your membership starts`)
	v.post("/apply/join/dates", "dob-day", "1", "dob-month", "6", "dob-year", "2011", "start-day", "1", "start-month", "6", "start-year", "2027").
		wantRedirect(t, "/apply/join/review")

	review := v.get("/apply/join/review").want(t, http.StatusOK, "walker", "2011-06-01", "2027-06-01")
	id := regexp.MustCompile(`name="submission" value="([^"]+)"`).FindStringSubmatch(review.body)
	if id == nil {
		t.Fatal("no submission id on the review page")
	}
	v.post("/apply/join/submit", "submission", id[1]).wantRedirect(t, "/apply/join/done")
	done := v.get("/apply/join/done").want(t, http.StatusOK, "Welcome to the club, walker.")
	ref := regexp.MustCompile(`JOIN-[0-9A-Z]{8}`).FindString(done.body)
	s.wantSubmission(t, "join", ref, "account.username=walker", "account.email=walker@example.com", "dates.dob=2011-06-01", "dates.start=2027-06-01")
	s.wantConfirmation(t, ref, "walker@example.com")
	// The Done hook added the new member: the name is taken now.
	if taken, err := s.members.Taken(context.Background(), "Walker"); err != nil || !taken {
		t.Errorf("walker is not a member after joining: %v, %v", taken, err)
	}
}

// brokenMembers is a register that cannot be reached.
type brokenMembers struct{}

func (brokenMembers) Taken(context.Context, string) (bool, error) {
	return false, errors.New("connection refused")
}
func (brokenMembers) Add(context.Context, string) error { return errors.New("connection refused") }

func TestJoinRegisterDown(t *testing.T) {
	v := newVisit(t, newTestSiteWith(t, brokenMembers{}))
	// Not the user's fault: 503, their answers kept, no internal error shown.
	r := v.post("/apply/join/account", "username", "walker", "email", "walker@example.com").
		want(t, http.StatusServiceUnavailable, `value="walker"`, `value="walker@example.com"`, `<header class="club-header"`)
	if strings.Contains(r.body, "connection refused") {
		t.Error("the page shows the internal error")
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in          []string
		answer, msg string
	}{
		{[]string{"27", "3", "1990"}, "1990-03-27", ""},
		{[]string{"07", "03", "1990"}, "1990-03-07", ""},
		{[]string{"29", "2", "2024"}, "2024-02-29", ""},
		{[]string{"29", "2", "2023"}, "", "Enter a real date"},
		{[]string{"31", "2", "1990"}, "", "Enter a real date"},
		{[]string{"1", "13", "1990"}, "", "Enter a real date"},
		{[]string{"0", "1", "1990"}, "", "Enter a real date"},
		{[]string{"1", "1", "90"}, "", "Enter the year as 4 digits, for example 1990"},
		{[]string{"1", "", "1990"}, "", "Enter a day, a month and a year"},
		{[]string{"one", "1", "1990"}, "", "Enter the date in numbers, for example 27 3 1990"},
	} {
		answer, msg := parseDate(tc.in)
		if answer != tc.answer || msg != tc.msg {
			t.Errorf("parseDate(%q) = %q, %q; want %q, %q", tc.in, answer, msg, tc.answer, tc.msg)
		}
		if answer != "" {
			if back, _ := parseDate(splitDate(answer)); back != answer {
				t.Errorf("parseDate(splitDate(%q)) = %q", answer, back)
			}
		}
	}
}

// The site needs a sink, a register and a log.
func TestNewSiteRefusesMissingDeps(t *testing.T) {
	if _, err := newSite(siteDeps{Members: newMemberMap(), Log: slog.Default()}); err == nil {
		t.Error("newSite without a Sink: no error")
	}
}
