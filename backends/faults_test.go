package backends_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/backends"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sessionlock"
)

// storeKey is the key a shared store keeps a token's session under (scs
// hashes tokens: SHA-256, unpadded base64url).
func storeKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// raw reaches into a shared store past the server, as an operator (or a
// fault) would: to read, rewrite or keep alive a session's record.
type raw struct {
	t      *testing.T
	redis  *redis.Client
	pg     *pgx.Conn
	prefix string
}

func openRaw(t *testing.T, kind, u string, opts backends.Options) *raw {
	t.Helper()
	r := &raw{t: t, prefix: opts.KeyPrefix}
	switch kind {
	case "redis":
		ro, err := redis.ParseURL(u)
		if err != nil {
			t.Fatal(err)
		}
		r.redis = redis.NewClient(ro)
		t.Cleanup(func() { r.redis.Close() })
	case "postgres":
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		r.pg = conn
		t.Cleanup(func() { conn.Close(context.Background()) })
	}
	return r
}

func (r *raw) sessionKey(token string) string { return r.prefix + "session:" + storeKey(token) }

// exists reports whether the store holds a record for token, expired or not.
func (r *raw) exists(token string) bool {
	r.t.Helper()
	ctx := context.Background()
	if r.redis != nil {
		n, err := r.redis.Exists(ctx, r.sessionKey(token)).Result()
		if err != nil {
			r.t.Fatal(err)
		}
		return n == 1
	}
	var n int
	if err := r.pg.QueryRow(ctx, "SELECT count(*) FROM sessions WHERE token = $1", storeKey(token)).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n == 1
}

// immortalize takes away the record's expiry, as scs's go-redis store did
// for a commit made after the session's deadline.
func (r *raw) immortalize(token string) {
	r.t.Helper()
	ctx := context.Background()
	if r.redis != nil {
		if ok, err := r.redis.Persist(ctx, r.sessionKey(token)).Result(); err != nil || !ok {
			r.t.Fatalf("persist: %v %v", ok, err)
		}
		return
	}
	if _, err := r.pg.Exec(ctx, "UPDATE sessions SET expiry = now() + interval '10 years' WHERE token = $1", storeKey(token)); err != nil {
		r.t.Fatal(err)
	}
}

// corrupt overwrites the record's bytes, keeping its expiry.
func (r *raw) corrupt(token string, data []byte) {
	r.t.Helper()
	ctx := context.Background()
	if r.redis != nil {
		if err := r.redis.SetArgs(ctx, r.sessionKey(token), data, redis.SetArgs{KeepTTL: true}).Err(); err != nil {
			r.t.Fatal(err)
		}
		return
	}
	if _, err := r.pg.Exec(ctx, "UPDATE sessions SET data = $2 WHERE token = $1", storeKey(token), data); err != nil {
		r.t.Fatal(err)
	}
}

// TestCommitAfterDeadlineDeletes: a commit whose expiry has passed (a
// request that spanned the session's deadline) deletes the session; it
// never leaves a record without an expiry.
func TestCommitAfterDeadlineDeletes(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			b, err := backends.Open(context.Background(), u, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			store := b.Store.(scs.CtxStore)
			r := openRaw(t, sh.name, u, opts)
			ctx := context.Background()
			token := "tok-" + sh.name
			key := storeKey(token)
			if err := store.CommitCtx(ctx, key, []byte("live"), time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if !r.exists(token) {
				t.Fatal("a live session was not stored")
			}
			for _, late := range []time.Duration{-time.Millisecond, -time.Hour, 0} {
				if err := store.CommitCtx(ctx, key, []byte("late"), time.Now().Add(late)); err != nil {
					t.Fatalf("commit %v past the deadline: %v", -late, err)
				}
				if r.exists(token) {
					t.Fatalf("commit %v past the deadline left a record", -late)
				}
				if _, found, err := store.FindCtx(ctx, key); err != nil || found {
					t.Fatalf("find after a late commit: found %v, err %v", found, err)
				}
			}
		})
	}
}

// TestSessionPastDeadlineIsEnded: a record that a store kept past the
// session's deadline (here, one whose expiry was taken away) does not
// bring the session back: the server checks the deadline after loading,
// shows the expiry notice and deletes the record.
func TestSessionPastDeadlineIsEnded(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			cfg := handlers.DefaultConfig()
			cfg.Lifetime = 300 * time.Millisecond
			cfg.IdleTimeout = 0
			in := startInstance(t, u, opts, newSink(t), cfg)
			r := openRaw(t, sh.name, u, opts)
			br := newBrowser(t)
			if code, _, _ := br.post(in.ts.URL, "/classic/name", "v1", "Ada"); code != http.StatusSeeOther {
				t.Fatalf("first answer: %d", code)
			}
			token := br.cookie(in.ts.URL)
			r.immortalize(token)
			time.Sleep(cfg.Lifetime + 100*time.Millisecond)
			code, body, h := br.do("GET", in.ts.URL+"/classic/job", nil)
			if code != http.StatusSeeOther || h.Get("Location") != "/classic/name?expired=1" {
				t.Fatalf("GET past the lifetime: %d %q\n%s", code, h.Get("Location"), body)
			}
			if r.exists(token) {
				t.Error("the record of a session past its deadline is still in the store")
			}
		})
	}
}

// TestRedisKeyWithoutExpiryIsEnded: a session key without a time to live
// (as scs's go-redis store left for a commit past the deadline) is ended
// when it is next loaded, even within the session's lifetime: its idle
// deadline cannot be known, and it would otherwise never go.
func TestRedisKeyWithoutExpiryIsEnded(t *testing.T) {
	u, opts := redisTarget(t)
	in := startInstance(t, u, opts, newSink(t), handlers.DefaultConfig())
	r := openRaw(t, "redis", u, opts)
	br := newBrowser(t)
	if code, _, _ := br.post(in.ts.URL, "/classic/name", "v1", "Ada"); code != http.StatusSeeOther {
		t.Fatalf("first answer: %d", code)
	}
	token := br.cookie(in.ts.URL)
	r.immortalize(token)
	code, body, h := br.do("GET", in.ts.URL+"/classic/job", nil)
	if code != http.StatusSeeOther || h.Get("Location") != "/classic/name?expired=1" {
		t.Fatalf("GET of a session without expiry: %d %q\n%s", code, h.Get("Location"), body)
	}
	if r.exists(token) {
		t.Error("the key without expiry is still in Redis")
	}
}

// TestCorruptSessionStartsAfresh: garbage in a session's record is
// deleted and the user starts again with a notice, instead of a 503 on
// every page until the record expires.
func TestCorruptSessionStartsAfresh(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			in := startInstance(t, u, opts, newSink(t), handlers.DefaultConfig())
			r := openRaw(t, sh.name, u, opts)
			for i, garbage := range [][]byte{[]byte("garbage"), {'W', 0xff, 0xff, 0xff}, {'G', 1, 2, 3}, {}} {
				br := newBrowser(t)
				if code, _, _ := br.post(in.ts.URL, "/classic/name", "v1", "Ada"); code != http.StatusSeeOther {
					t.Fatalf("first answer: %d", code)
				}
				token := br.cookie(in.ts.URL)
				r.corrupt(token, garbage)
				code, body, h := br.do("GET", in.ts.URL+"/classic/job", nil)
				if code != http.StatusSeeOther || h.Get("Location") != "/classic/name?expired=unreadable" {
					t.Fatalf("garbage %d: GET: %d %q\n%s", i, code, h.Get("Location"), body)
				}
				if r.exists(token) {
					t.Errorf("garbage %d: the unreadable record is still in the store", i)
				}
				code, body = br.get(in.ts.URL, "/classic/name?expired=unreadable")
				if code != 200 || !strings.Contains(body, `data-testid="unreadable"`) {
					t.Fatalf("garbage %d: notice page: %d\n%s", i, code, body)
				}
				// The user goes on as normal.
				if code, _, _ := br.post(in.ts.URL, "/classic/name", "v1", "Grace"); code != http.StatusSeeOther {
					t.Fatalf("garbage %d: answer after the reset: %d", i, code)
				}
				if code, body := br.get(in.ts.URL, "/classic/job"); code != 200 || !strings.Contains(body, "Grace, what is your job?") {
					t.Fatalf("garbage %d: after the reset: %d\n%s", i, code, body)
				}
			}
		})
	}
}

// slowPost sends a form POST whose body arrives stall after its headers,
// over a raw connection, and returns its status line once answered.
func slowPost(t *testing.T, base, path, cookie, body string, stall time.Duration) <-chan string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nCookie: session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		path, u.Host, cookie, len(body))
	out := make(chan string, 1)
	go func() {
		time.Sleep(stall)
		if _, err := conn.Write([]byte(body)); err != nil {
			out <- "write: " + err.Error()
			return
		}
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			out <- "read: " + err.Error()
			return
		}
		out <- strings.TrimSpace(line)
	}()
	return out
}

// TestStalledBodyLosesNoAnswer: a request whose body stalls past the
// lease's life holds no lock meanwhile, so another instance's answer saved
// in the meantime survives the stalled request's save.
func TestStalledBodyLosesNoAnswer(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			opts.LockTTL = 300 * time.Millisecond
			cfg := handlers.DefaultConfig()
			a := startInstance(t, u, opts, newSink(t), cfg)
			b := startInstance(t, u, opts, newSink(t), cfg)
			br := newBrowser(t)
			if code, _, _ := br.post(a.ts.URL, "/classic/name", "v1", "Ada"); code != http.StatusSeeOther {
				t.Fatalf("first answer: %d", code)
			}
			stalled := slowPost(t, a.ts.URL, "/classic/job", br.cookie(a.ts.URL), "v2=Stalled", 5*opts.LockTTL)
			time.Sleep(50 * time.Millisecond) // the stalled request has sent its headers
			start := time.Now()
			if code, body, _ := br.post(b.ts.URL, "/classic/name", "v1", "Grace"); code != http.StatusSeeOther {
				t.Fatalf("answer on B: %d\n%s", code, body)
			}
			// Had the stalled request held the session, B would wait for its
			// body (5 lease lives, the lease renewed meanwhile); without
			// renewals, the checks below catch it.
			if waited := time.Since(start); waited > 3*opts.LockTTL {
				t.Errorf("B waited %v for a request that was only sending its body", waited)
			}
			if status := <-stalled; !strings.HasPrefix(status, "HTTP/1.1 303") {
				t.Fatalf("stalled request: %q", status)
			}
			_, review := br.get(a.ts.URL, "/classic/review")
			for _, want := range []string{"Grace", "Stalled"} {
				if !strings.Contains(review, want) {
					t.Errorf("review lacks %q: an answer was lost\n%s", want, review)
				}
			}
		})
	}
}

// slowSink takes hold before storing, like a sink on a slow network, and
// notes when it returned.
type slowSink struct {
	wizard.Sink
	delay time.Duration
	mu    sync.Mutex
	done  time.Time
}

func (s *slowSink) Submit(ctx context.Context, sub wizard.Submission) error {
	time.Sleep(s.delay)
	err := s.Sink.Submit(ctx, sub)
	s.mu.Lock()
	s.done = time.Now()
	s.mu.Unlock()
	return err
}

// TestLeaseRenewedDuringSlowRequest: a request that takes longer than the
// lease's life (here a slow sink) keeps its session's lease, so another
// instance's request of the same session waits for it to finish.
func TestLeaseRenewedDuringSlowRequest(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			// Long enough for renewals to get through a loaded machine
			// (under -race, beside other tests), short enough for a test.
			opts.LockTTL = time.Second
			cfg := handlers.DefaultConfig()
			sink := &slowSink{Sink: newSink(t), delay: 3 * opts.LockTTL}
			a := startInstance(t, u, opts, sink, cfg)
			b := startInstance(t, u, opts, sink, cfg)
			br := newBrowser(t)
			br.post(a.ts.URL, "/classic/name", "v1", "Ada")
			br.post(a.ts.URL, "/classic/job", "v2", "Engineer")
			_, review := br.get(a.ts.URL, "/classic/review")
			id := submissionField.FindStringSubmatch(review)
			if id == nil {
				t.Fatalf("no submission ID:\n%s", review)
			}
			submitted := make(chan int, 1)
			go func() {
				code, _, _ := br.post(a.ts.URL, "/classic/submit", "submission", id[1])
				submitted <- code
			}()
			time.Sleep(2 * opts.LockTTL) // the submit holds the lease, past its first life
			code, _, _ := br.post(b.ts.URL, "/classic/name", "v1", "Mallory")
			answered := time.Now()
			if c := <-submitted; c != http.StatusSeeOther {
				t.Fatalf("submit: %d", c)
			}
			sink.mu.Lock()
			done := sink.done
			sink.mu.Unlock()
			if answered.Before(done) {
				t.Errorf("B's request (%d) ran %v before the submit holding the session finished", code, done.Sub(answered))
			}
		})
	}
}

// TestSaveNeedsTheLease: a store saves or deletes a session only while the
// request still holds its lease; once another holder took it, the write is
// refused and the session is left as the other holder saved it.
func TestSaveNeedsTheLease(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			opts.LockTTL = 100 * time.Millisecond
			b1, err := backends.Open(context.Background(), u, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer b1.Close()
			b2, err := backends.Open(context.Background(), u, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer b2.Close()
			store := b1.Store.(scs.CtxStore)
			key := storeKey("token")
			expiry := time.Now().Add(time.Hour)

			held, unlock, err := b1.Locker.Lock(context.Background(), "token")
			if err != nil {
				t.Fatal(err)
			}
			if err := store.CommitCtx(held, key, []byte("mine"), expiry); err != nil {
				t.Fatalf("commit holding the lease: %v", err)
			}
			// The holder stalls and loses the lease: the renewals stop (its
			// process is closed) and another process takes the session.
			b1.Close()
			b3, err := backends.Open(context.Background(), u, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer b3.Close()
			store = b3.Store.(scs.CtxStore)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			other, unlockOther, err := b2.Locker.Lock(ctx, "token")
			if err != nil {
				t.Fatalf("the other process could not take the lapsed lease: %v", err)
			}
			if err := b2.Store.(scs.CtxStore).CommitCtx(other, key, []byte("theirs"), expiry); err != nil {
				t.Fatal(err)
			}
			if err := store.CommitCtx(held, key, []byte("stale"), expiry); !errors.Is(err, sessionlock.ErrLeaseLost) {
				t.Errorf("commit after the lease was lost: %v, want ErrLeaseLost", err)
			}
			if err := store.DeleteCtx(held, key); !errors.Is(err, sessionlock.ErrLeaseLost) {
				t.Errorf("delete after the lease was lost: %v, want ErrLeaseLost", err)
			}
			if got, found, err := store.FindCtx(context.Background(), key); err != nil || !found || string(got) != "theirs" {
				t.Errorf("after the refused writes: %q, %v, %v; want %q", got, found, err, "theirs")
			}
			unlockOther()
			unlock() // releasing a lost lease leaves the store alone
			// Without a lease (a session nobody else knows yet), writes go through.
			if err := store.CommitCtx(context.Background(), key, []byte("new"), expiry); err != nil {
				t.Errorf("commit without a lease: %v", err)
			}
		})
	}
}
