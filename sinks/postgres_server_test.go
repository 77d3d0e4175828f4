package sinks_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	neturl "net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sinks"
)

// startServer starts the demo wizards with sessions in store and
// submissions going to sink: one instance of the service.
func startServer(t *testing.T, store scs.Store, sink wizard.Sink) *httptest.Server {
	t.Helper()
	catalog, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := handlers.New(handlers.DefaultConfig(), handlers.Deps{
		Wizards: catalog, Store: store, Sink: sink, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// browser is a user agent whose cookies follow it from one instance to
// another (they differ only in port, which cookies ignore).
type browser struct {
	t    *testing.T
	http *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request (a POST of the form kv if given) and returns the
// status, the body and the Location.
func (b *browser) do(method, u string, kv ...string) (int, string, string) {
	b.t.Helper()
	form := neturl.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	req, err := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header.Get("Location")
}

var submissionField = regexp.MustCompile(`name="submission" value="([0-9A-Z]+)"`)

// answerClassic answers the classic wizard's steps on base and returns the
// submission ID its review carries.
func (b *browser) answerClassic(base string) string {
	b.t.Helper()
	b.do("POST", base+"/classic/name", "v1", "Ada")
	if code, _, loc := b.do("POST", base+"/classic/job", "v2", "Analyst"); code != http.StatusSeeOther || loc != "/classic/review" {
		b.t.Fatalf("answer the last step: %d to %q", code, loc)
	}
	_, body, _ := b.do("GET", base+"/classic/review")
	m := submissionField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no submission ID on the review:\n%s", body)
	}
	return m[1]
}

// TestPostgresTwoServers: two instances sharing the session store and the
// database; 50 submits at once of one session's answers, spread over both,
// store one row, and every submit ends on the done page.
func TestPostgresTwoServers(t *testing.T) {
	url := postgresURL(t)
	store := memstore.New()
	servers := []*httptest.Server{
		startServer(t, store, mustOpenPostgres(t, url, sinks.PostgresOptions{})),
		startServer(t, store, mustOpenPostgres(t, url, sinks.PostgresOptions{})),
	}
	b := newBrowser(t)
	id := b.answerClassic(servers[0].URL)

	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			code, body, loc := b.do("POST", servers[i%2].URL+"/classic/submit", "submission", id)
			if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/classic/done") {
				t.Errorf("submit %d: status %d to %q, want 303 to the done page\n%s", i, code, loc, body)
			}
		})
	}
	wg.Wait()
	ref := demo.Classic().Reference(id)
	if got, want := rows(t, url), [][2]string{{id, ref}}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("rows = %v, want %v", got, want)
	}
	for _, ts := range servers {
		if code, body, _ := b.do("GET", ts.URL+"/classic/done?again="+id); code != 200 || !strings.Contains(body, ref) {
			t.Errorf("done page on %s: status %d, lacks %q:\n%s", ts.URL, code, ref, body)
		}
	}
}

// proxy forwards TCP connections to a target until stopped, and can start
// again on the same address: a database that goes away and comes back.
type proxy struct {
	t      *testing.T
	addr   string
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, addr: ln.Addr().String(), target: target}
	p.serve(ln)
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, d)
			p.mu.Unlock()
			go func() { io.Copy(d, c); d.Close() }()
			go func() { io.Copy(c, d); c.Close() }()
		}
	}()
}

// stop refuses new connections and cuts those open.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restart listens again on the same address.
func (p *proxy) restart() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

// TestPostgresUnreachableAtSubmit: with the database gone, a submit shows
// the submit-failed page (503) and keeps the answers; once it is back, the
// same submit succeeds, with the reference the user would have had.
func TestPostgresUnreachableAtSubmit(t *testing.T) {
	url := postgresURL(t)
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	px := startProxy(t, u.Host)
	u.Host = px.addr
	sink := mustOpenPostgres(t, u.String(), sinks.PostgresOptions{Timeout: 2 * time.Second})
	ts := startServer(t, memstore.New(), sink)
	b := newBrowser(t)
	id := b.answerClassic(ts.URL)

	px.stop()
	code, body, _ := b.do("POST", ts.URL+"/classic/submit", "submission", id)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `data-testid="submit-failed"`) {
		t.Fatalf("submit with the database gone: status %d, want 503 and the submit-failed page:\n%s", code, body)
	}
	if _, body, _ := b.do("GET", ts.URL+"/classic/review"); !strings.Contains(body, "Ada") || !strings.Contains(body, "Analyst") || !strings.Contains(body, id) {
		t.Fatalf("answers or submission ID lost after a failed submit:\n%s", body)
	}

	px.restart()
	// The pool drops the connections the outage broke as it meets them;
	// a user trying again a little later gets a fresh one.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := sink.Submitted(context.Background(), id); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("database still unreachable through the proxy: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	code, body, loc := b.do("POST", ts.URL+"/classic/submit", "submission", id)
	if code != http.StatusSeeOther || loc != "/classic/done" {
		t.Fatalf("retry: status %d to %q, want 303 to /classic/done:\n%s", code, loc, body)
	}
	ref := demo.Classic().Reference(id)
	if _, body, _ := b.do("GET", ts.URL+loc); !strings.Contains(body, ref) {
		t.Errorf("done page lacks the reference %q:\n%s", ref, body)
	}
	if got := rows(t, url); len(got) != 1 || got[0] != [2]string{id, ref} {
		t.Errorf("rows = %v, want one of %s, %s", got, id, ref)
	}
}
