package handlers_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sessionlock"
	"github.com/wizard/wizard/sessionstore"
	"github.com/wizard/wizard/sinks"
)

// storeKey is the key the store keeps a token's session under (scs hashes
// tokens: SHA-256, unpadded base64url).
func storeKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// noLimits is the default config without the per-client rate limits: a
// test's clients all come from 127.0.0.1.
func noLimits() handlers.Config {
	cfg := handlers.DefaultConfig()
	cfg.NewSessionsPerMinute, cfg.SubmitsPerMinute = 0, 0
	return cfg
}

func newJSONL(tb testing.TB) *sinks.JSONL {
	tb.Helper()
	s, err := sinks.OpenJSONL(filepath.Join(tb.TempDir(), "submissions.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// TestFloodCannotEvictUsers: a full memory store refuses new sessions
// (503, "busy", Retry-After) rather than push out people in the middle of
// a wizard, even when every flood session makes two requests.
func TestFloodCannotEvictUsers(t *testing.T) {
	store := sessionstore.New(sessionstore.Options{MaxSessions: 1000})
	defer store.Close()
	ts := startServer(t, noLimits(), store, newJSONL(t), demo.Wizards()...)
	var users []*client
	for i := range 100 {
		c := newClient(t, ts)
		c.post("/classic/name", form("v1", fmt.Sprintf("User %d", i)), nil).wantRedirect(t, "/classic/job")
		c.get("/classic/job", nil).wantStatus(t, 200)
		users = append(users, c)
	}
	var refused int
	for i := range 1200 {
		c := newClient(t, ts)
		res := c.post("/classic/name", form("v1", fmt.Sprintf("Flood %d", i)), nil)
		switch res.StatusCode {
		case http.StatusSeeOther:
			c.get("/classic/job", nil).wantStatus(t, 200)
		case http.StatusServiceUnavailable:
			refused++
			// The step again, with what was typed and why it was not saved.
			res.wantBody(t, "very busy", `data-testid="unsaved"`, fmt.Sprintf(`value="Flood %d"`, i)).wantNoBody(t, "session store full")
			if res.Header.Get("Retry-After") == "" {
				t.Fatal("busy page without Retry-After")
			}
			if c.cookie() != "" {
				t.Fatal("a refused session got a cookie")
			}
		default:
			t.Fatalf("flood %d: status %d\n%s", i, res.StatusCode, res.body)
		}
	}
	t.Logf("%d of 1,200 two-request flood sessions refused; 100 users in the middle of the wizard kept", refused)
	// At this cap the store is one shard: exactly the room left is taken.
	if refused != 300 {
		t.Errorf("%d of 1,200 flood sessions refused by a store of 1,000 holding 100 users; want 300", refused)
	}
	for i, c := range users {
		c.get("/classic/job", nil).wantStatus(t, 200).wantBody(t, fmt.Sprintf("User %d, what is your job?", i))
	}
	if st := store.Stats(); st.Evicted != 0 || st.Refused != uint64(refused) {
		t.Errorf("store stats %+v; want no eviction and %d refused", st, refused)
	}
}

// TestNewSessionRateLimit: one client may start only so many sessions a
// minute; a proxy's X-Forwarded-For names the client only when the proxy
// is trusted.
func TestNewSessionRateLimit(t *testing.T) {
	start := func(c *client, xff string) *response {
		return c.post("/classic/name", form("v1", "Ada"), map[string]string{"X-Forwarded-For": xff})
	}
	t.Run("direct", func(t *testing.T) {
		cfg := noLimits()
		cfg.NewSessionsPerMinute = 3
		ts := newServer(t, cfg)
		var first *client
		for i := range 3 {
			c := newClient(t, ts)
			start(c, fmt.Sprintf("198.51.100.%d", i)).wantRedirect(t, "/classic/job")
			first = c
		}
		c := newClient(t, ts)
		res := start(c, "198.51.100.9").wantStatus(t, http.StatusTooManyRequests).
			wantBody(t, "Please wait a moment", `data-testid="unsaved"`, `value="Ada"`)
		if res.Header.Get("Retry-After") == "" || c.cookie() != "" {
			t.Errorf("429 with Retry-After %q and cookie %q; want one and none", res.Header.Get("Retry-After"), c.cookie())
		}
		if res := c.htmx().post("/classic/name", form("v1", "Ada"), nil).wantStatus(t, http.StatusTooManyRequests); res.full() {
			t.Error("htmx got a full page for a refused answer")
		}
		// A session already started is not limited.
		first.post("/classic/job", form("v2", "Engineer"), nil).wantRedirect(t, "/classic/review")
	})
	t.Run("behind a trusted proxy", func(t *testing.T) {
		cfg := noLimits()
		cfg.NewSessionsPerMinute = 3
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		ts := newServer(t, cfg)
		for range 3 {
			start(newClient(t, ts), "203.0.113.5").wantRedirect(t, "/classic/job")
		}
		start(newClient(t, ts), "203.0.113.5").wantStatus(t, http.StatusTooManyRequests)
		start(newClient(t, ts), "203.0.113.6").wantRedirect(t, "/classic/job")
		// A client cannot choose its key by adding its own hops.
		start(newClient(t, ts), "203.0.113.77, 203.0.113.5").wantStatus(t, http.StatusTooManyRequests)
	})
}

// TestSubmitRateLimit: a client over its submission limit gets 429, and
// its answers stay, ready to submit later.
func TestSubmitRateLimit(t *testing.T) {
	cfg := noLimits()
	cfg.SubmitsPerMinute = 1
	ts := newServer(t, cfg)
	var cs []*client
	for _, name := range []string{"Ada", "Grace"} {
		c := newClient(t, ts)
		c.post("/classic/name", form("v1", name), nil)
		c.post("/classic/job", form("v2", "Engineer"), nil).wantRedirect(t, "/classic/review")
		cs = append(cs, c)
	}
	cs[0].post("/classic/submit", form("submission", submissionID(t, cs[0], "/classic/review")), nil).wantRedirect(t, "/classic/done")
	res := cs[1].post("/classic/submit", form("submission", submissionID(t, cs[1], "/classic/review")), nil).
		wantStatus(t, http.StatusTooManyRequests).wantBody(t, "Please wait a moment")
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	cs[1].get("/classic/review", nil).wantStatus(t, 200).wantBody(t, "Grace", "Engineer")
}

// ctxStore is a memory store that, like Redis and PostgreSQL, fails an
// operation whose context has ended.
type ctxStore struct {
	*memstore.MemStore
	calls atomic.Int64
}

func (s *ctxStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	s.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	return s.Find(token)
}

func (s *ctxStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	s.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.Commit(token, b, expiry)
}

func (s *ctxStore) DeleteCtx(ctx context.Context, token string) error {
	s.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.Delete(token)
}

// hangUpSink stores a submission, then waits for the client to hang up
// before it returns, as when the connection drops during the submit.
type hangUpSink struct {
	wizard.Sink
	stored chan struct{}
}

func (s *hangUpSink) Submit(ctx context.Context, sub wizard.Submission) error {
	err := s.Sink.Submit(ctx, sub)
	close(s.stored)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
	}
	return err
}

// TestHangUpAfterSubmitFinishesIt: once the sink has the submission, the
// submit completes even though the client hung up: the old cookie no
// longer opens the answers.
func TestHangUpAfterSubmitFinishesIt(t *testing.T) {
	store := &ctxStore{MemStore: memstore.New()}
	sink := &hangUpSink{Sink: newJSONL(t), stored: make(chan struct{})}
	ts := startServer(t, noLimits(), store, sink, demo.Wizards()...)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Engineer"), nil).wantRedirect(t, "/classic/review")
	id := submissionID(t, c, "/classic/review")
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "POST", ts.URL+"/classic/submit", strings.NewReader("submission="+id))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan error, 1)
	go func() {
		res, err := c.http.Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	<-sink.stored
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the request finished before the client hung up")
	}
	// The lock orders this after the submit; the old cookie opens nothing.
	c.get("/classic/review", nil).wantRedirect(t, "/classic/name?expired=1")
	if held, _ := sink.Submitted(context.Background(), id); !held {
		t.Error("the submission is not in the sink")
	}
}

// storeThenFail stores the first submission and then reports a failure,
// like a process that dies between storing and answering.
type storeThenFail struct {
	wizard.Sink
	failed atomic.Bool
}

func (s *storeThenFail) Submit(ctx context.Context, sub wizard.Submission) error {
	if err := s.Sink.Submit(ctx, sub); err != nil {
		return err
	}
	if s.failed.CompareAndSwap(false, true) {
		return errors.New("crashed after storing")
	}
	return nil
}

// TestChangedAnswersGetNewSubmissionID: a change of answers after a review
// gets a new submission ID, so a submission half-finished earlier cannot
// make a changed submit look like a repeat ("Thank you" for answers never
// stored).
func TestChangedAnswersGetNewSubmissionID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "submissions.jsonl")
	jsonl, err := sinks.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	ts := newServerWith(t, noLimits(), &storeThenFail{Sink: jsonl})
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	c.post("/classic/job", form("v2", "Engineer"), nil)
	first := submissionID(t, c, "/classic/review")
	if again := submissionID(t, c, "/classic/review"); again != first {
		t.Fatalf("the ID changed without a change of answers: %s, then %s", first, again)
	}
	c.post("/classic/submit", form("submission", first), nil).wantStatus(t, http.StatusServiceUnavailable)
	c.post("/classic/job?return=review", form("v2", "Astronomer"), nil).wantRedirect(t, "/classic/review")
	second := submissionID(t, c, "/classic/review")
	if second == first {
		t.Fatal("changed answers kept the submission ID")
	}
	c.post("/classic/submit", form("submission", second), nil).wantRedirect(t, "/classic/done")
	c.get("/classic/done", nil).wantBody(t, "Astronomer").wantNoBody(t, "Already submitted")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), second) || !strings.Contains(string(b), "Astronomer") {
		t.Errorf("the changed answers were not stored:\n%s", b)
	}
}

// TestCorruptSessionStartsAfreshInMemory: a session whose bytes cannot be
// decoded is deleted and its user starts again with a notice; /healthz
// stays healthy (see the backends tests for Redis and PostgreSQL).
func TestCorruptSessionStartsAfreshInMemory(t *testing.T) {
	store := memstore.New()
	ts := startServer(t, noLimits(), store, newJSONL(t), demo.Wizards()...)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	key := storeKey(c.cookie())
	if err := store.Commit(key, []byte("\x00garbage"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c.get("/classic/job", nil).wantRedirect(t, "/classic/name?expired=unreadable")
	if _, found, _ := store.Find(key); found {
		t.Error("the unreadable session is still in the store")
	}
	c.get("/classic/name?expired=unreadable", nil).wantStatus(t, 200).
		wantBody(t, `data-testid="unreadable"`, "could not read the answers").wantNoBody(t, "garbage", "corrupt")
	c.get("/healthz", nil).wantStatus(t, 200)
	c.post("/classic/name", form("v1", "Grace"), nil).wantRedirect(t, "/classic/job")
	c.get("/classic/job", nil).wantBody(t, "Grace, what is your job?")
}

// TestDuplicateCookies: of several cookies with the session's name, the
// one naming a live session is used, wherever it comes, and none is
// cleared.
func TestDuplicateCookies(t *testing.T) {
	ts := newServer(t, noLimits())
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	valid := c.cookie()
	for _, header := range []string{
		"session=garbage; session=" + valid,
		"session=" + valid + "; session=garbage",
		"session=; session=garbage; session=" + valid,
	} {
		req, err := http.NewRequest("GET", ts.URL+"/classic/job", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Cookie", header)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "Ada, what is your job?") {
			t.Errorf("Cookie %q: %d, want the session's step\n%s", header, res.StatusCode, body)
		}
		if sc := res.Header.Get("Set-Cookie"); sc != "" {
			t.Errorf("Cookie %q: Set-Cookie %q; want none", header, sc)
		}
	}
}

// TestSecureCookieHostPrefix: a Secure cookie is named __Host-session,
// which browsers accept only from this host, over HTTPS, for Path=/.
func TestSecureCookieHostPrefix(t *testing.T) {
	cfg := noLimits()
	cfg.CookieSecure = true
	ts := newServer(t, cfg)
	c := newClient(t, ts)
	res := c.post("/classic/name", form("v1", "Ada"), nil).wantRedirect(t, "/classic/job")
	cookies := res.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "__Host-session" || !cookies[0].Secure || cookies[0].Path != "/" || cookies[0].Domain != "" {
		t.Fatalf("cookies %v; want one __Host-session, Secure, Path=/, no Domain", cookies)
	}
	get := func(cookie string) *response {
		req, err := http.NewRequest("GET", ts.URL+"/classic/job", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Cookie", cookie)
		return newClient(t, ts).do(req, nil)
	}
	get("__Host-session="+cookies[0].Value).wantStatus(t, 200).wantBody(t, "Ada, what is your job?")
	get("session="+cookies[0].Value).wantRedirect(t, "/classic/name")
}

// TestCrossOriginRefusedBeforeSessionWork: a refused cross-origin POST
// neither loads nor saves (so neither extends) the session.
func TestCrossOriginRefusedBeforeSessionWork(t *testing.T) {
	store := &ctxStore{MemStore: memstore.New()}
	ts := startServer(t, noLimits(), store, newJSONL(t), demo.Wizards()...)
	c := newClient(t, ts)
	c.post("/classic/name", form("v1", "Ada"), nil)
	before := store.calls.Load()
	for _, h := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}} {
		c.post("/classic/job", form("v2", "Spy"), h).wantStatus(t, http.StatusForbidden)
	}
	if n := store.calls.Load() - before; n != 0 {
		t.Errorf("refused cross-origin POSTs made %d store calls; want 0", n)
	}
}

// blockingBody is a request body that sends nothing until released.
type blockingBody struct {
	release chan struct{}
	r       io.Reader
}

func (b *blockingBody) Read(p []byte) (int, error) {
	<-b.release
	return b.r.Read(p)
}

// TestBodyReadBeforeLock: a POST whose body has not arrived holds no lock,
// so the session's other requests go on meanwhile.
func TestBodyReadBeforeLock(t *testing.T) {
	locker := &watchedLocker{local: sessionlock.NewLocal()}
	srv := newDemoHandler(t, memstore.New(), locker)
	first := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/classic/name", strings.NewReader("v1=Ada"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	srv.ServeHTTP(first, req)
	cookie := first.Result().Cookies()[0]

	body := &blockingBody{release: make(chan struct{}), r: strings.NewReader("v2=Engineer")}
	slow := httptest.NewRequest("POST", "/classic/job", body)
	slow.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slow.AddCookie(cookie)
	slowRes := httptest.NewRecorder()
	var wg sync.WaitGroup
	wg.Go(func() { srv.ServeHTTP(slowRes, slow) })
	time.Sleep(50 * time.Millisecond)
	if n := locker.holding(); n != 0 {
		t.Errorf("%d session locks held while a body is awaited", n)
	}
	other := httptest.NewRequest("GET", "/classic/job", nil)
	other.AddCookie(cookie)
	otherRes := httptest.NewRecorder()
	got := make(chan struct{})
	go func() { srv.ServeHTTP(otherRes, other); close(got) }()
	select {
	case <-got:
	case <-time.After(2 * time.Second):
		t.Fatal("a GET of the session waited for another request's body")
	}
	close(body.release)
	wg.Wait()
	if slowRes.Code != http.StatusSeeOther || otherRes.Code != http.StatusOK {
		t.Errorf("statuses %d and %d; want 303 and 200", slowRes.Code, otherRes.Code)
	}
}
