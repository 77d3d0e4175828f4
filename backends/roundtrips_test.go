package backends_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard/backends"
	"github.com/wizard/wizard/handlers"
)

// trips records what a backend sent its server: each round trip (a Redis
// command or pipeline, a PostgreSQL query or batch) and each statement in
// it. It is a redis.Hook and a pgx query and batch tracer.
type trips struct {
	mu         sync.Mutex
	roundTrips int
	statements []string
	// delay holds up each round trip, so that the requests in flight
	// meanwhile gather behind it (see hold).
	delay time.Duration
}

func (c *trips) add(roundTrips int, statements ...string) {
	c.mu.Lock()
	c.roundTrips += roundTrips
	c.statements = append(c.statements, statements...)
	delay := c.delay
	c.mu.Unlock()
	if roundTrips > 0 {
		time.Sleep(delay)
	}
}

// hold holds up each round trip from now on by d.
func (c *trips) hold(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delay = d
}

// take returns what was recorded since the last take, and forgets it.
func (c *trips) take() (int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, s := c.roundTrips, c.statements
	c.roundTrips, c.statements = 0, nil
	return n, s
}

func (c *trips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *trips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.add(1, fmt.Sprint(cmd.Args()...))
		return next(ctx, cmd)
	}
}

func (c *trips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		s := make([]string, len(cmds))
		for i, cmd := range cmds {
			s[i] = fmt.Sprint(cmd.Args()...)
		}
		c.add(1, s...)
		return next(ctx, cmds)
	}
}

func (c *trips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.add(1, d.SQL)
	return ctx
}

func (c *trips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *trips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.add(1)
	return ctx
}

func (c *trips) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.add(0, d.SQL)
}

func (c *trips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// writesSessions matches a statement that writes the (logged) sessions
// table: in PostgreSQL each such statement outside a transaction is a
// commit that waits for the WAL to reach the disk.
var writesSessions = regexp.MustCompile(`(?i)(INSERT INTO|UPDATE|DELETE FROM) sessions\b`)

// TestRoundTripsPerRequest: a request of an existing session costs the
// shared store two round trips: the lease taken with the session read,
// and the save with the lease released. In PostgreSQL only the save waits
// for a WAL flush; in Redis a session saved unchanged only has its expiry
// moved. After each request no lease is left behind, and the answers are
// there.
func TestRoundTripsPerRequest(t *testing.T) {
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			opts.LockTTL = time.Minute // no renewal during the test
			opts.MaxConns = 1          // one connection: its prepared statements are warm
			rec := &trips{}
			opts = backends.WithPGTracer(backends.WithRedisHook(opts, rec), rec)
			in := startInstance(t, u, opts, newSink(t), handlers.DefaultConfig())
			raw := openRaw(t, sh.name, u, opts)
			br := newBrowser(t)
			base := in.ts.URL
			if code, _, _ := br.post(base, "/classic/name", "v1", "Ada"); code != http.StatusSeeOther {
				t.Fatalf("first answer: %d", code)
			}
			// Warm up: scripts loaded, statements prepared.
			br.get(base, "/classic/job")
			br.post(base, "/classic/job", "v2", "Engineer")

			for _, step := range []struct {
				name, method, value string
				changes             bool
			}{
				{"changed answer", "POST", "Analyst", true},
				{"unchanged page", "GET", "", false},
				{"unchanged answer", "POST", "Analyst", false},
			} {
				rec.take()
				var code int
				if step.method == "POST" {
					code, _, _ = br.post(base, "/classic/job", "v2", step.value)
				} else {
					code, _ = br.get(base, "/classic/job")
				}
				n, stmts := rec.take()
				if code >= 400 {
					t.Fatalf("%s: status %d", step.name, code)
				}
				if n > 2 {
					t.Errorf("%s: %d round trips, want at most 2:\n%s", step.name, n, strings.Join(stmts, "\n"))
				}
				switch sh.name {
				case "postgres":
					commits := 0
					for _, s := range stmts {
						if writesSessions.MatchString(s) {
							commits++
						}
					}
					if commits != 1 {
						t.Errorf("%s: %d statements write the sessions table, want 1:\n%s", step.name, commits, strings.Join(stmts, "\n"))
					}
				case "redis":
					touched := false
					for _, s := range stmts {
						touched = touched || strings.HasSuffix(s, "touch")
					}
					if touched == step.changes {
						t.Errorf("%s: saved by moving the expiry only = %v, want %v:\n%s", step.name, touched, !step.changes, strings.Join(stmts, "\n"))
					}
				}
				if n := raw.leases(); n != 0 {
					t.Errorf("%s: %d leases left after the request", step.name, n)
				}
			}
			if _, body := br.get(base, "/classic/job"); !strings.Contains(body, `value="Analyst"`) {
				t.Errorf("the saved answer is missing:\n%s", body)
			}
		})
	}
}

// leases counts the leases the store holds.
func (r *raw) leases() int {
	r.t.Helper()
	ctx := context.Background()
	if r.redis != nil {
		keys, err := r.redis.Keys(ctx, r.prefix+"lock:*").Result()
		if err != nil {
			r.t.Fatal(err)
		}
		return len(keys)
	}
	var n int
	if err := r.pg.QueryRow(ctx, "SELECT count(*) FROM session_locks").Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// TestConcurrentRequestsShareRoundTrips: the requests of different
// sessions in flight at once share their round trips to the store (go-redis's
// autopipeliner; our PostgreSQL batches), and each still gets its own
// answer saved and its own lease released. Each round trip is held up by
// 20 ms so that the others gather behind it: 30 requests, which alone
// would make 60 round trips, must make at most 30.
func TestConcurrentRequestsShareRoundTrips(t *testing.T) {
	const users = 30
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			opts.LockTTL = time.Minute
			rec := &trips{}
			opts = backends.WithPGTracer(backends.WithRedisHook(opts, rec), rec)
			in := startInstance(t, u, opts, newSink(t), handlers.DefaultConfig())
			raw := openRaw(t, sh.name, u, opts)
			base := in.ts.URL
			browsers := make([]*browser, users)
			for i := range browsers {
				browsers[i] = newBrowser(t)
				if code, _, _ := browsers[i].post(base, "/classic/name", "v1", fmt.Sprint("User ", i)); code != http.StatusSeeOther {
					t.Fatalf("user %d: first answer: %d", i, code)
				}
			}
			rec.take()
			rec.hold(20 * time.Millisecond)
			var wg sync.WaitGroup
			codes := make([]int, users)
			for i, br := range browsers {
				wg.Go(func() {
					req, _ := http.NewRequest("POST", base+"/classic/job", strings.NewReader(fmt.Sprintf("v2=Job+%d", i)))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					res, err := br.http.Do(req)
					if err != nil {
						t.Errorf("user %d: %v", i, err)
						return
					}
					res.Body.Close()
					codes[i] = res.StatusCode
				})
			}
			wg.Wait()
			rec.hold(0)
			n, _ := rec.take()
			if n > users {
				t.Errorf("%d requests at once made %d round trips, want at most %d", users, n, users)
			}
			t.Logf("%d requests at once made %d round trips", users, n)
			for i, br := range browsers {
				if codes[i] != http.StatusSeeOther {
					t.Errorf("user %d: status %d", i, codes[i])
				}
				if _, body := br.get(base, "/classic/job"); !strings.Contains(body, fmt.Sprintf(`value="Job %d"`, i)) {
					t.Errorf("user %d: own answer missing:\n%s", i, body)
				}
			}
			if n := raw.leases(); n != 0 {
				t.Errorf("%d leases left", n)
			}
		})
	}
}
