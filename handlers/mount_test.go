package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
)

// newMounted starts one http.ServeMux with a server of the demo wizards
// under each prefix, all keeping sessions in one store with one cookie
// name, so that only the cookies' paths keep them apart.
func newMounted(tb testing.TB, prefixes ...string) *httptest.Server {
	tb.Helper()
	store := memstore.New()
	mux := http.NewServeMux()
	for _, p := range prefixes {
		cfg := handlers.DefaultConfig()
		cfg.Prefix = p
		cfg.NewSessionsPerMinute, cfg.SubmitsPerMinute = 0, 0
		mux.Handle(p+"/", newHandler(tb, cfg, store, &memorySink{}, demo.Wizards()...))
	}
	ts := httptest.NewServer(mux)
	tb.Cleanup(ts.Close)
	return ts
}

// urlAttr finds the attributes of a page that hold a URL; anyURLAttr finds
// every occurrence of their names, so that a URL in a form urlAttr misses
// (unquoted, single-quoted) fails the test rather than go unchecked.
var (
	urlAttr    = regexp.MustCompile(`\s(href|src|action|hx-get|hx-post|hx-push-url|data-keepalive-url)="([^"]*)"`)
	anyURLAttr = regexp.MustCompile(`\s(href|src|action|hx-get|hx-post|hx-push-url|data-keepalive-url)=`)
)

// wantUnder checks that every URL the response sends (Location, htmx's
// address headers, and every URL attribute of its body) is under prefix,
// and returns the URLs the body's links and sources name (href, src,
// hx-get: the ones to GET; forms post to the rest). A fragment ("#main")
// stays on the page and hx-push-url="true" names no URL.
func (r *response) wantUnder(tb testing.TB, prefix string) []string {
	tb.Helper()
	where := r.Request.Method + " " + r.Request.URL.Path
	for _, h := range []string{"Location", "HX-Push-Url", "HX-Replace-Url", "HX-Location", "HX-Redirect"} {
		if got := r.Header.Get(h); got != "" && !strings.HasPrefix(got, prefix+"/") {
			tb.Errorf("%s: %s %q is not under %s/", where, h, got, prefix)
		}
	}
	matches := urlAttr.FindAllStringSubmatch(r.body, -1)
	if all := len(anyURLAttr.FindAllString(r.body, -1)); all != len(matches) {
		tb.Errorf("%s: %d URL attributes, %d of them double-quoted:\n%s", where, all, len(matches), r.body)
	}
	var urls []string
	for _, m := range matches {
		attr, u := m[1], m[2]
		if strings.HasPrefix(u, "#") || attr == "hx-push-url" && u == "true" {
			continue
		}
		if !strings.HasPrefix(u, prefix+"/") {
			tb.Errorf("%s: %s=%q is not under %s/", where, attr, u, prefix)
		}
		if attr == "href" || attr == "src" || attr == "hx-get" {
			urls = append(urls, u)
		}
	}
	return urls
}

// sessionCookie returns the session cookie the response sets, or nil.
func (r *response) sessionCookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestMountedUnderPrefixes walks the classic wizard on two servers mounted
// under /apply/ and /other/ of one ServeMux, with plain forms and with
// htmx: every URL sent stays under the server's prefix, the assets load
// through it, the session cookie's path is the prefix, and the two servers
// never share a session although they share a store and a cookie name.
func TestMountedUnderPrefixes(t *testing.T) {
	ts := newMounted(t, "/apply", "/other")
	c := newClient(t, ts)
	h := c.htmx()
	for _, p := range []string{"/apply", "/other"} {
		name := "Ada " + p
		var pageURLs []string
		page := func(res *response) *response {
			t.Helper()
			pageURLs = append(pageURLs, res.wantUnder(t, p)...)
			return res
		}

		home := page(c.get(p+"/", nil).wantStatus(t, 200)).wantBody(t, `href="`+p+`/classic/"`, `class="site-name" href="`+p+`/"`)
		if !home.full() {
			t.Fatalf("GET %s/: not a full page", p)
		}
		page(c.get(p+"/classic", nil).wantRedirect(t, p+"/classic/name"))
		page(c.get(p+"/classic/", nil).wantRedirect(t, p+"/classic/name"))
		page(c.get(p+"/classic/name", nil).wantStatus(t, 200))

		res := page(c.post(p+"/classic/name", form("v1", name), nil).wantRedirect(t, p+"/classic/job"))
		ck := res.sessionCookie("session")
		if ck == nil {
			t.Fatalf("POST %s/classic/name: no session cookie", p)
		}
		if ck.Path != p {
			t.Errorf("POST %s/classic/name: cookie Path %q, want %q", p, ck.Path, p)
		}
		page(c.get(p+"/classic/job", nil).wantStatus(t, 200)).
			wantBody(t, `href="`+p+`/classic/name"`, `data-keepalive-url="`+p+`/keepalive"`)
		page(c.post(p+"/classic/job", form("v2", ""), nil).wantStatus(t, 422))
		page(c.post(p+"/classic/job", form("v2", "Analyst"), nil).wantRedirect(t, p+"/classic/review"))
		page(c.get(p+"/classic/review", nil).wantStatus(t, 200)).wantBody(t, `href="`+p+`/classic/job?return=review#f-v2"`)

		// htmx: partials, the address bar and history restores.
		res = page(h.get(p+"/classic/name", nil).wantStatus(t, 200))
		if res.full() {
			t.Errorf("htmx GET %s/classic/name: full page, want a partial", p)
		}
		res = page(h.post(p+"/classic/name?return=review", form("v1", name), nil).wantStatus(t, 200))
		if got, want := res.Header.Get("HX-Push-Url"), p+"/classic/review"; got != want {
			t.Errorf("htmx POST %s/classic/name: HX-Push-Url %q, want %q", p, got, want)
		}
		page(h.get(p+"/classic/job?return=review", nil).wantStatus(t, 200))
		page(h.get(p+"/classic/restart", nil).wantStatus(t, 200))
		page(c.get(p+"/classic/review", map[string]string{"HX-Request": "true", "HX-History-Restore-Request": "true"}).wantStatus(t, 200))
		page(c.get(p+"/classic/done", map[string]string{"HX-Request": "true", "HX-History-Restore-Request": "true"}).wantStatus(t, 200))

		// Error pages link home under the prefix.
		page(c.get(p+"/nowhere", nil).wantStatus(t, 404)).wantBody(t, `href="`+p+`/"`)
		page(c.get(p+"/classic/nowhere/else", nil).wantStatus(t, 404))
		page(h.get(p+"/nowhere", nil).wantStatus(t, 404))

		// The keepalive URL the page names extends this server's session.
		c.post(p+"/keepalive", nil, nil).wantStatus(t, http.StatusNoContent)

		// Submit, the done page and starting again.
		res = page(h.post(p+"/classic/submit", form("submission", submissionID(t, c, p+"/classic/review")), nil).wantStatus(t, 200))
		if got, want := res.Header.Get("HX-Push-Url"), p+"/classic/done"; got != want {
			t.Errorf("htmx POST %s/classic/submit: HX-Push-Url %q, want %q", p, got, want)
		}
		page(c.get(p+"/classic/done", nil).wantStatus(t, 200)).wantBody(t, `href="`+p+`/"`)
		page(c.get(p+"/classic/restart", nil).wantStatus(t, 200))
		page(c.post(p+"/classic/restart", nil, nil).wantRedirect(t, p+"/classic/name"))

		// Every URL the pages link to, assets included, answers through
		// the prefix.
		seen := map[string]bool{}
		for _, u := range pageURLs {
			if seen[u] {
				continue
			}
			seen[u] = true
			if got := newClientWithJar(c).get(u, nil).StatusCode; got != 200 && got != 303 {
				t.Errorf("GET %s (named by a page): status %d, want 200 or 303", u, got)
			}
		}
		for _, asset := range []string{"/static/htmx.min.", "/static/app.", "/static/favicon."} {
			found := false
			for u := range seen {
				found = found || strings.HasPrefix(u, p+asset)
			}
			if !found {
				t.Errorf("no page under %s links to %s*", p, p+asset)
			}
		}
		c.get(p+"/healthz", nil).wantStatus(t, 200)
	}

	// Separate sessions: an answer under one prefix is unknown under the
	// other, and each keeps its own.
	c.post("/apply/classic/name", form("v1", "Apply Person"), nil).wantRedirect(t, "/apply/classic/job")
	c.get("/other/classic/", nil).wantRedirect(t, "/other/classic/name")
	c.get("/other/classic/name", nil).wantBody(t, `value=""`).wantNoBody(t, "Apply Person")
	c.post("/other/classic/name", form("v1", "Other Person"), nil).wantRedirect(t, "/other/classic/job")
	c.get("/apply/classic/name", nil).wantBody(t, `value="Apply Person"`).wantNoBody(t, "Other Person")
	c.get("/other/classic/name", nil).wantBody(t, `value="Other Person"`).wantNoBody(t, "Apply Person")

	// Nothing is served outside the prefixes.
	c.get("/classic/name", nil).wantStatus(t, 404)
	c.get("/static/app.css", nil).wantStatus(t, 404)
}

// TestPrefixConfig: New refuses a prefix that is not a clean path without
// a trailing slash, and a __Host- cookie name under a prefix; a Secure
// cookie under a prefix gets the __Secure- prefix (browsers refuse __Host-
// without Path=/) and the prefix as its Path.
func TestPrefixConfig(t *testing.T) {
	newServer := func(cfg handlers.Config) error {
		_, err := handlers.New(cfg, handlers.Deps{
			Wizards: mustCatalog(t, demo.Wizards()...), Store: memstore.New(), Sink: &memorySink{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
		return err
	}
	for _, bad := range []string{"apply", "/apply/", "/", "/apply?x=1", "/apply#top", "//apply", "/a/../b", "/a b", "/{wizard}", `/a"b`, "/a<b"} {
		cfg := handlers.DefaultConfig()
		cfg.Prefix = bad
		if err := newServer(cfg); err == nil {
			t.Errorf("Prefix %q: New accepted it", bad)
		}
	}
	for _, good := range []string{"", "/apply", "/a/b-c/d_e.f~g"} {
		cfg := handlers.DefaultConfig()
		cfg.Prefix = good
		if err := newServer(cfg); err != nil {
			t.Errorf("Prefix %q: %v", good, err)
		}
	}
	cfg := handlers.DefaultConfig()
	cfg.Prefix, cfg.CookieName = "/apply", "__Host-session"
	if err := newServer(cfg); err == nil {
		t.Errorf("a __Host- cookie name under a prefix: New accepted it")
	}

	cases := []struct {
		prefix, cookieName, wantName, wantPath string
	}{
		{"", "session", "__Host-session", "/"},
		{"/apply", "session", "__Secure-session", "/apply"},
		{"/apply", "__Secure-session", "__Secure-session", "/apply"},
	}
	for _, tc := range cases {
		cfg := handlers.DefaultConfig()
		cfg.Prefix, cfg.CookieName, cfg.CookieSecure = tc.prefix, tc.cookieName, true
		mux := http.NewServeMux()
		mux.Handle(tc.prefix+"/", newHandler(t, cfg, memstore.New(), &memorySink{}, demo.Wizards()...))
		ts := httptest.NewServer(mux)
		res := newClient(t, ts).post(tc.prefix+"/classic/name", form("v1", "Ada"), nil).wantRedirect(t, tc.prefix+"/classic/job")
		ts.Close()
		ck := res.sessionCookie(tc.wantName)
		if ck == nil {
			t.Errorf("prefix %q, cookie %q: no cookie %q in %q", tc.prefix, tc.cookieName, tc.wantName, res.Header.Values("Set-Cookie"))
			continue
		}
		if ck.Path != tc.wantPath || !ck.Secure {
			t.Errorf("prefix %q: cookie Path %q Secure %v, want %q and Secure", tc.prefix, ck.Path, ck.Secure, tc.wantPath)
		}
	}
}
