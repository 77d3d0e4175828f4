package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
)

// TestUnknownCookieGetsFreshSession: a cookie naming no session is replaced
// by a fresh session when the first answer is saved, and the stale cookie
// is cleared so the notice shows once.
func TestUnknownCookieGetsFreshSession(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	c.setCookie("forged-or-forgotten-token")
	res := c.get("/classic/name", nil).wantStatus(t, 200).wantBody(t, `data-testid="expired"`)
	if c.cookie() != "" {
		t.Errorf("stale cookie kept: %q", c.cookie())
	}
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("Set-Cookie %q does not clear the stale cookie", res.Header.Get("Set-Cookie"))
	}
	c.get("/classic/name", nil).wantNoBody(t, `data-testid="expired"`)

	// A late POST: valid for the first step, so saved into a fresh session,
	// and the next page says what happened.
	c.setCookie("forged-or-forgotten-token")
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job?expired=1")
	if got := c.cookie(); got == "" || got == "forged-or-forgotten-token" {
		t.Fatalf("session cookie = %q, want a fresh token", got)
	}
	c.get("/classic/job?expired=1", nil).wantBody(t, "Ada, what is your job?", `data-testid="expired"`)
	c.get("/classic/job", nil).wantBody(t, "Ada, what is your job?").wantNoBody(t, `data-testid="expired"`)
}

// TestGETCreatesNoSession: looking at pages sets no cookie; the first saved
// answer does.
func TestGETCreatesNoSession(t *testing.T) {
	ts := newServer(t, handlers.DefaultConfig())
	c := newClient(t, ts)
	for _, p := range []string{"/", "/classic/name", "/register/details"} {
		if sc := c.get(p, nil).Header.Get("Set-Cookie"); sc != "" {
			t.Errorf("GET %s set a cookie: %q", p, sc)
		}
	}
	c.post("/register/details", form("name", "", "email", ""), nil).wantStatus(t, http.StatusUnprocessableEntity)
	if c.cookie() != "" {
		t.Error("an invalid answer created a session")
	}
}

// TestIdleTimeoutExpires: after a second without requests the session is
// gone; the user lands on the first step with a notice, not an error.
func TestIdleTimeoutExpires(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.IdleTimeout = time.Second
	ts := newServer(t, cfg)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	c.get("/classic/job", nil).wantStatus(t, 200)
	time.Sleep(1500 * time.Millisecond)

	res := c.get("/classic/job", nil).wantRedirect(t, "/classic/name?expired=1")
	c.get(res.Header.Get("Location"), nil).wantStatus(t, 200).
		wantBody(t, "Your session expired after a period of inactivity", "What is your name?").
		wantNoBody(t, "Ada")

	// htmx: the first step's partial with the notice, at the first step's URL.
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	time.Sleep(1500 * time.Millisecond)
	res = c.htmx().post("/classic/job", form("v2", "Analyst"), nil).wantStatus(t, 200).
		wantBody(t, "Your session expired after a period of inactivity", "What is your name?")
	if got := res.Header.Get("HX-Push-Url"); got != "/classic/name" {
		t.Errorf("HX-Push-Url = %q, want /classic/name", got)
	}
}

// TestCookieAttributes: HttpOnly, SameSite=Lax, Path=/; no Expires/Max-Age
// unless -persist; Secure with -cookie-secure; the configured name, with
// the __Host- prefix when Secure.
func TestCookieAttributes(t *testing.T) {
	cases := []struct {
		name       string
		cfg        func(*handlers.Config)
		persistent bool
		secure     bool
		cookie     string
	}{
		{"browser session", func(*handlers.Config) {}, false, false, "session"},
		{"persist", func(c *handlers.Config) { c.Persist = true }, true, false, "session"},
		{"secure and renamed", func(c *handlers.Config) { c.CookieSecure = true; c.CookieName = "wiz" }, false, true, "__Host-wiz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := handlers.DefaultConfig()
			tc.cfg(&cfg)
			ts := newServer(t, cfg)
			res := newClient(t, ts).post("/classic/name", form("v1", "Ada"), nil).wantStatus(t, http.StatusSeeOther)
			cookies := res.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies = %v, want one", res.Header.Values("Set-Cookie"))
			}
			ck := cookies[0]
			raw := res.Header.Get("Set-Cookie")
			if ck.Name != tc.cookie || ck.Value == "" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("cookie %q: want name %q, a token, HttpOnly, SameSite=Lax, Path=/", raw, tc.cookie)
			}
			if persistent := ck.MaxAge > 0 || !ck.Expires.IsZero(); persistent != tc.persistent {
				t.Errorf("cookie %q: persistent = %v, want %v", raw, persistent, tc.persistent)
			}
			// A persistent cookie lives as long as the session: until the idle
			// deadline, which every request moves on.
			if idle := int(cfg.IdleTimeout.Seconds()); tc.persistent && (ck.MaxAge < idle-5 || ck.MaxAge > idle+1) {
				t.Errorf("cookie %q: Max-Age %d, want the idle timeout %d", raw, ck.MaxAge, idle)
			}
			if ck.Secure != tc.secure {
				t.Errorf("cookie %q: Secure = %v, want %v", raw, ck.Secure, tc.secure)
			}
			if len(ck.Value) < 32 {
				t.Errorf("token %q is too short to be unguessable", ck.Value)
			}
		})
	}
}

// TestCookieSentOnlyWhenItChanges: a browser-session cookie is not sent
// again on every request; a persistent one is, so its expiry follows the
// idle deadline.
func TestCookieSentOnlyWhenItChanges(t *testing.T) {
	for _, persist := range []bool{false, true} {
		cfg := handlers.DefaultConfig()
		cfg.Persist = persist
		c := newClient(t, newServer(t, cfg))
		c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
		res := c.get("/classic/job", nil).wantStatus(t, 200)
		if sent := res.Header.Get("Set-Cookie") != ""; sent != persist {
			t.Errorf("persist=%v: cookie sent again = %v (%q)", persist, sent, res.Header.Get("Set-Cookie"))
		}
		c.get("/classic/job", nil).wantBody(t, "Ada, what is your job?")
	}
}

// TestSessionSavedByScsLoads: a session saved by scs's SessionManager (as
// the server saved them before it kept sessions itself), under the hash
// of its token and in scs's gob encoding, opens with its cookie.
func TestSessionSavedByScsLoads(t *testing.T) {
	store := memstore.New()
	sm := scs.New()
	sm.Store = store
	sm.HashTokenInStore = true
	ctx, err := sm.Load(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	sm.Put(ctx, "answers/classic", "name.v1=Ada&job.v2=Analyst")
	token, _, err := sm.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, handlers.DefaultConfig(), store, &memorySink{}, demo.Wizards()...)
	c := newClient(t, ts)
	c.setCookie(token)
	c.get("/classic/review", nil).wantStatus(t, http.StatusOK).wantBody(t, "Ada", "Analyst")
}
