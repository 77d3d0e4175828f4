package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sinks"
)

// newServer starts the demo wizards on a test server with the given config,
// appending submissions to a file in a temporary directory.
func newServer(tb testing.TB, cfg handlers.Config) *httptest.Server {
	tb.Helper()
	sink, err := sinks.OpenJSONL(filepath.Join(tb.TempDir(), "submissions.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	return newServerWith(tb, cfg, sink)
}

// newServerWith starts the demo wizards with the given sink.
func newServerWith(tb testing.TB, cfg handlers.Config, sink wizard.Sink) *httptest.Server {
	tb.Helper()
	return newCatalogServer(tb, cfg, sink, demo.Wizards()...)
}

// newCatalogServer starts the given wizards.
func newCatalogServer(tb testing.TB, cfg handlers.Config, sink wizard.Sink, wizards ...*wizard.Wizard) *httptest.Server {
	tb.Helper()
	return startServer(tb, cfg, memstore.New(), sink, wizards...)
}

// startServer starts the wizards with sessions in store.
func startServer(tb testing.TB, cfg handlers.Config, store scs.Store, sink wizard.Sink, wizards ...*wizard.Wizard) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(newHandler(tb, cfg, store, sink, wizards...))
	tb.Cleanup(ts.Close)
	return ts
}

// newHandler builds the server of the wizards with sessions in store.
func newHandler(tb testing.TB, cfg handlers.Config, store scs.Store, sink wizard.Sink, wizards ...*wizard.Wizard) *handlers.Server {
	tb.Helper()
	srv, err := handlers.New(cfg, handlers.Deps{
		Wizards: mustCatalog(tb, wizards...), Store: store, Sink: sink, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		tb.Fatalf("handlers.New: %v", err)
	}
	return srv
}

// mustCatalog checks the wizards and makes them a catalog.
func mustCatalog(tb testing.TB, wizards ...*wizard.Wizard) *wizard.Catalog {
	tb.Helper()
	catalog, err := wizard.NewCatalog(wizards...)
	if err != nil {
		tb.Fatalf("catalog: %v", err)
	}
	return catalog
}

// client is a browser stand-in: a cookie jar, no automatic redirects.
type client struct {
	tb   testing.TB
	base string
	http *http.Client
	jar  *cookiejar.Jar
	// headers are sent with every request (e.g. HX-Request).
	headers map[string]string
}

func newClient(tb testing.TB, ts *httptest.Server) *client {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &client{tb: tb, base: ts.URL, jar: jar, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// htmx returns a client sharing c's cookies that sends htmx's headers for a
// partial swap.
func (c *client) htmx() *client {
	h := *c
	h.headers = map[string]string{"HX-Request": "true", "HX-Request-Type": "partial"}
	return &h
}

// response is a read response.
type response struct {
	*http.Response
	body string
}

func (c *client) do(req *http.Request, extra map[string]string) *response {
	c.tb.Helper()
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.tb.Fatalf("read %s %s: %v", req.Method, req.URL, err)
	}
	return &response{Response: res, body: string(b)}
}

func (c *client) get(path string, extra map[string]string) *response {
	c.tb.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.tb.Fatal(err)
	}
	return c.do(req, extra)
}

func (c *client) post(path string, form url.Values, extra map[string]string) *response {
	c.tb.Helper()
	return c.postRaw(path, "application/x-www-form-urlencoded", form.Encode(), extra)
}

func (c *client) postRaw(path, contentType, body string, extra map[string]string) *response {
	c.tb.Helper()
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(body))
	if err != nil {
		c.tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.do(req, extra)
}

// cookie returns the session cookie the jar holds, or "".
func (c *client) cookie() string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.jar.Cookies(u) {
		if ck.Name == "session" {
			return ck.Value
		}
	}
	return ""
}

// setCookie puts a session cookie with the given value into the jar.
func (c *client) setCookie(value string) {
	u, _ := url.Parse(c.base)
	c.jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: value, Path: "/"}})
}

func (r *response) wantStatus(tb testing.TB, want int) *response {
	tb.Helper()
	if r.StatusCode != want {
		tb.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.body)
	}
	return r
}

func (r *response) wantRedirect(tb testing.TB, want string) *response {
	tb.Helper()
	r.wantStatus(tb, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != want {
		tb.Fatalf("%s %s: Location %q, want %q", r.Request.Method, r.Request.URL.Path, got, want)
	}
	return r
}

func (r *response) wantBody(tb testing.TB, wants ...string) *response {
	tb.Helper()
	for _, want := range wants {
		if !strings.Contains(r.body, want) {
			tb.Fatalf("%s %s: body lacks %q:\n%s", r.Request.Method, r.Request.URL.Path, want, r.body)
		}
	}
	return r
}

func (r *response) wantNoBody(tb testing.TB, unwanted ...string) *response {
	tb.Helper()
	for _, u := range unwanted {
		if strings.Contains(r.body, u) {
			tb.Fatalf("%s %s: body has %q:\n%s", r.Request.Method, r.Request.URL.Path, u, r.body)
		}
	}
	return r
}

// full reports whether the response is a whole HTML document.
func (r *response) full() bool { return strings.HasPrefix(r.body, "<!doctype html>") }

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// newJSONLSink returns a JSONL sink in a file of the test's own, and the
// file's path (see readSubmissions).
func newJSONLSink(t *testing.T) (*sinks.JSONL, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.jsonl")
	sink, err := sinks.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	return sink, path
}

// submissionID opens the review page and returns the submission ID its form
// carries.
func submissionID(tb testing.TB, c *client, reviewPath string) string {
	tb.Helper()
	res := newClientWithJar(c).get(reviewPath, nil).wantStatus(tb, 200)
	m := regexp.MustCompile(`name="submission" value="([0-9A-Z]+)"`).FindStringSubmatch(res.body)
	if m == nil {
		tb.Fatalf("no submission ID on %s:\n%s", reviewPath, res.body)
	}
	return m[1]
}

// memorySink keeps submissions in memory, refusing a repeated ID as a Sink
// must.
type memorySink struct {
	mu   sync.Mutex
	subs []wizard.Submission
}

func (s *memorySink) Submit(_ context.Context, sub wizard.Submission) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, had := range s.subs {
		if had.ID == sub.ID {
			return fmt.Errorf("submission %q: %w", sub.ID, wizard.ErrAlreadySubmitted)
		}
	}
	s.subs = append(s.subs, sub)
	return nil
}

func (s *memorySink) Submitted(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, had := range s.subs {
		if had.ID == id {
			return true, nil
		}
	}
	return false, nil
}

// all returns the submissions so far.
func (s *memorySink) all() []wizard.Submission {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.subs)
}
