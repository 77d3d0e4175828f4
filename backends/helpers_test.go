package backends_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/backends"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/internal/pgtest"
	"github.com/wizard/wizard/sinks"
)

// serverURL returns the address of a real Redis or PostgreSQL server for
// tests, from the environment variable env. Without it, or when the server
// does not answer, the test is skipped locally and fails in CI (CI=true),
// where .ci/run sets the variables.
func serverURL(t *testing.T, env string) string {
	t.Helper()
	u := os.Getenv(env)
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (skipped outside CI)")
	}
	if u == "" {
		missing("%s is not set", env)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	b, err := backends.Open(ctx, u, backends.Options{KeyPrefix: "wizard-probe:"})
	if err != nil {
		missing("%s: server unreachable: %v", env, err)
	}
	b.Close()
	return u
}

// redisTarget gives each test its own key prefix and deletes its keys at
// the end.
func redisTarget(t *testing.T) (string, backends.Options) {
	t.Helper()
	u := serverURL(t, "WIZARD_TEST_REDIS")
	prefix := "wizardtest:" + rand.Text()[:10] + ":"
	t.Cleanup(func() {
		opt, err := redis.ParseURL(u)
		if err != nil {
			t.Error(err)
			return
		}
		c := redis.NewClient(opt)
		defer c.Close()
		ctx := context.Background()
		keys, err := c.Keys(ctx, prefix+"*").Result()
		if err != nil {
			t.Errorf("clean up %s*: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			c.Del(ctx, keys...)
		}
	})
	return u, backends.Options{KeyPrefix: prefix}
}

// postgresTarget gives each test its own schema (see pgtest.URL).
func postgresTarget(t *testing.T) (string, backends.Options) {
	return pgtest.URL(t), backends.Options{}
}

// instance is one wizard server process: its own backend connection, its
// own in-process lock, its own listener on 127.0.0.1.
type instance struct {
	ts      *httptest.Server
	backend *backends.Backend
}

func (in *instance) stop() {
	in.ts.Close()
	in.backend.Close()
}

// startInstance starts a server on the backend at url with the wizards.
func startInstance(t *testing.T, url string, opts backends.Options, sink wizard.Sink, cfg handlers.Config, wizards ...*wizard.Wizard) *instance {
	t.Helper()
	b, err := backends.Open(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(wizards) == 0 {
		wizards = demo.Wizards()
	}
	catalog, err := wizard.NewCatalog(wizards...)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := handlers.New(cfg, handlers.Deps{
		Wizards: catalog, Store: b.Store, Locker: b.Locker, Ping: b.Ping, Sink: sink,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{ts: httptest.NewServer(srv), backend: b}
	t.Cleanup(in.stop)
	return in
}

func newSink(t *testing.T) *sinks.JSONL {
	t.Helper()
	s, err := sinks.OpenJSONL(filepath.Join(t.TempDir(), "submissions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// browser is a user agent whose cookie jar follows them from one instance
// to another (instances differ only in port; cookies ignore ports).
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

func (b *browser) do(method, u string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data), res.Header
}

func (b *browser) post(base, path string, kv ...string) (int, string, http.Header) {
	b.t.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	return b.do("POST", base+path, form)
}

func (b *browser) get(base, path string) (int, string) {
	b.t.Helper()
	code, body, _ := b.do("GET", base+path, nil)
	return code, body
}

// cookie returns the session cookie the browser holds for the server.
func (b *browser) cookie(base string) string {
	u, _ := url.Parse(base)
	for _, c := range b.http.Jar.Cookies(u) {
		if c.Name == "session" {
			return c.Value
		}
	}
	return ""
}

var submissionField = regexp.MustCompile(`name="submission" value="([0-9A-Z]+)"`)
