package handlers_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/wizard/wizard/handlers"
)

// TestBadInput: every rejected request gets a friendly HTML page with the
// right status (a partial for htmx), never a Go error string, and loses
// nothing already saved.
func TestBadInput(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	big := "v2=" + strings.Repeat("x", 70<<10)
	cases := []struct {
		name    string
		method  string
		path    string
		ctype   string
		body    string
		headers map[string]string
		status  int
		heading string
	}{
		{"cross-site post", "POST", "/classic/job", "application/x-www-form-urlencoded", "v2=Spy",
			map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "That request was refused"},
		{"foreign origin", "POST", "/classic/job", "application/x-www-form-urlencoded", "v2=Spy",
			map[string]string{"Origin": "https://evil.example"}, 403, "That request was refused"},
		{"body over 64 KiB", "POST", "/classic/job", "application/x-www-form-urlencoded", big, nil, 413, "That was too much to send"},
		{"malformed form", "POST", "/classic/job", "application/x-www-form-urlencoded", "v2=%zz", nil, 400, "We could not read that"},
		{"two values for one field", "POST", "/classic/job", "application/x-www-form-urlencoded", "v2=a&v2=b", nil, 400, "We could not read that"},
		{"not UTF-8", "POST", "/classic/job", "application/x-www-form-urlencoded", "v2=%ff%fe", nil, 400, "We could not read that"},
		{"not a form", "POST", "/classic/job", "application/json", `{"v2":"x"}`, nil, 415, "We could not read that"},
		{"wrong method", "PUT", "/classic/job", "application/x-www-form-urlencoded", "v2=x", nil, 405, "That action is not possible here"},
		{"delete", "DELETE", "/classic/name", "", "", nil, 405, "That action is not possible here"},
		{"post to the list", "POST", "/", "application/x-www-form-urlencoded", "", nil, 405, "That action is not possible here"},
		{"unknown wizard", "GET", "/nope/", "", "", nil, 404, "Page not found"},
		{"unknown step", "GET", "/classic/nope", "", "", nil, 404, "Page not found"},
		{"deep path", "GET", "/classic/name/extra", "", "", nil, 404, "Page not found"},
		{"unknown asset", "GET", "/static/nope.js", "", "", nil, 404, "Page not found"},
	}
	for _, tc := range cases {
		for _, htmx := range []bool{false, true} {
			name := tc.name
			if htmx {
				name += " htmx"
			}
			t.Run(name, func(t *testing.T) {
				c := newClient(t, ts)
				c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
				if htmx {
					c = c.htmx()
				}
				req, err := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(tc.body))
				if err != nil {
					t.Fatal(err)
				}
				if tc.ctype != "" {
					req.Header.Set("Content-Type", tc.ctype)
				}
				res := c.do(req, tc.headers).wantStatus(t, tc.status)
				if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q", ct)
				}
				res.wantBody(t, tc.heading, `id="step"`).wantNoBody(t, "invalid", "malformed", "http:", "error:")
				if res.full() == htmx {
					t.Errorf("full page = %v for htmx = %v", res.full(), htmx)
				}
				if tc.status == 405 && res.Header.Get("Allow") == "" {
					t.Error("405 without an Allow header")
				}
				// Nothing saved was lost, nothing was saved.
				newClientWithJar(c).get("/classic/job", nil).wantStatus(t, 200).
					wantBody(t, "Ada, what is your job?", `value=""`).wantNoBody(t, "Spy")
			})
		}
	}
}

// newClientWithJar is a plain (non-htmx) client sharing c's cookies.
func newClientWithJar(c *client) *client {
	p := *c
	p.headers = nil
	return &p
}

// TestSecurityHeaders: every HTML response carries a CSP without inline
// script or eval, no framing, nosniff and a same-origin referrer policy.
func TestSecurityHeaders(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	for _, res := range []*response{
		c.get("/", nil),
		c.get("/classic/name", nil),
		c.post("/classic/name", form("v1", ""), nil),
		c.get("/nope/", nil),
		c.htmx().get("/classic/name", nil),
	} {
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", res.Request.URL.Path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-") {
			t.Errorf("%s: CSP %q allows unsafe sources", res.Request.URL.Path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", res.Request.URL.Path, h)
		}
		// No inline scripts or styles in our pages.
		if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(res.body) || strings.Contains(res.body, "<style") ||
			strings.Contains(res.body, " style=") || strings.Contains(res.body, " onclick=") {
			t.Errorf("%s: inline script or style in\n%s", res.Request.URL.Path, res.body)
		}
	}
}

// TestStaticAssets: content-hashed names, a year of immutable caching,
// gzip when asked, and outside the session (no cookie).
func TestStaticAssets(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	page := c.get("/classic/name", nil).body
	urls := regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(urls) != 4 {
		t.Fatalf("asset links = %v, want css, icon, htmx and app.js", urls)
	}
	for _, m := range urls {
		u := m[1]
		if !regexp.MustCompile(`^/static/[a-z.]+\.[0-9a-f]{10}\.(js|css|svg)$`).MatchString(u) {
			t.Errorf("asset %q has no content hash", u)
		}
		res := c.get(u, map[string]string{"Accept-Encoding": "gzip"}).wantStatus(t, 200)
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, got)
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: sets a cookie", u)
		}
		if strings.HasSuffix(u, ".svg") {
			if ct := res.Header.Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("%s: Content-Type %q", u, ct)
			}
			continue // too small for gzip to help
		}
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzipped", u)
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || len(plain) <= len(res.body) {
			t.Errorf("%s: gzip body of %d bytes inflates to %d (%v)", u, len(res.body), len(plain), err)
		}
		if strings.Contains(u, "htmx") && !strings.Contains(string(plain), "htmx") {
			t.Errorf("%s: not htmx", u)
		}
	}
}

// TestHealthz answers 200 without touching sessions.
func TestHealthz(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	res := newClient(t, ts).get("/healthz", nil).wantStatus(t, 200)
	if res.Header.Get("Set-Cookie") != "" {
		t.Error("healthz set a cookie")
	}
}

// TestClientHangsUp: a request whose client went away (its context ended)
// is answered or dropped quietly: no 500, no crash. Rendering used to fail
// on the ended context, and the error page, rendered the same way, failed
// again without end.
func TestClientHangsUp(t *testing.T) {
	h, cookie := benchServer(t)

	for _, withCookie := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequest("GET", "/classic/job", nil).WithContext(ctx)
		req.Header.Set("HX-Request", "true")
		if withCookie {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("cookie=%v: status %d for a client that hung up\n%s", withCookie, rec.Code, rec.Body)
		}
	}
}
