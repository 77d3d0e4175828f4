package backends_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/backends"
	"github.com/wizard/wizard/handlers"
)

// shared names the shared backends under test.
var shared = []struct {
	name   string
	target func(*testing.T) (string, backends.Options)
}{
	{"redis", redisTarget},
	{"postgres", postgresTarget},
}

// oneQuestionWizards returns n wizards q00, q01, ... of one step "q" with
// one field "a": answers to different wizards live under different keys of
// the same session, so a lost update loses whole answers.
func oneQuestionWizards(n int) []*wizard.Wizard {
	var ws []*wizard.Wizard
	for i := range n {
		ws = append(ws, &wizard.Wizard{Name: fmt.Sprintf("q%02d", i), Title: "Question", Steps: []*wizard.Step{{
			Name: "q", Title: "Question", Fields: []*wizard.Field{{Name: "a", Label: "Answer", Required: true}},
		}}})
	}
	return ws
}

// concurrentAnswers sends 50 POSTs at once on one session, each answering a
// different wizard, spread over the instances, with reads in between; then
// checks that every answer is there.
func concurrentAnswers(t *testing.T, instances []*instance) {
	t.Helper()
	b := newBrowser(t)
	if code, _, _ := b.post(instances[0].ts.URL, "/q00/q", "a", "first"); code != http.StatusSeeOther {
		t.Fatalf("first answer: %d", code)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		base := instances[i%len(instances)].ts.URL
		wg.Go(func() {
			code, body, _ := b.post(base, fmt.Sprintf("/q%02d/q", i), "a", fmt.Sprintf("answer-%02d", i))
			if code != http.StatusSeeOther {
				t.Errorf("POST %d: status %d\n%s", i, code, body)
			}
		})
		wg.Go(func() { b.get(base, fmt.Sprintf("/q%02d/q", (i+25)%50)) }) // a read must never overwrite a save
	}
	wg.Wait()
	for i := range 50 {
		_, body := b.get(instances[i%len(instances)].ts.URL, fmt.Sprintf("/q%02d/q", i))
		if want := fmt.Sprintf(`value="answer-%02d"`, i); !strings.Contains(body, want) {
			t.Errorf("wizard q%02d lost its answer: %s missing", i, want)
		}
	}
}

func TestConcurrentAnswersNeverLost(t *testing.T) {
	cfg := handlers.DefaultConfig()
	t.Run("memory", func(t *testing.T) {
		concurrentAnswers(t, []*instance{startInstance(t, "memory", backends.Options{}, newSink(t), cfg, oneQuestionWizards(50)...)})
	})
	for _, sh := range shared {
		t.Run(sh.name+" two instances", func(t *testing.T) {
			u, opts := sh.target(t)
			a := startInstance(t, u, opts, newSink(t), cfg, oneQuestionWizards(50)...)
			b := startInstance(t, u, opts, newSink(t), cfg, oneQuestionWizards(50)...)
			concurrentAnswers(t, []*instance{a, b})
		})
	}
}

// registerSteps answers register's regular branch.
var registerSteps = [][]string{
	{"/register/details", "name", "Grace Hopper", "email", "grace@example.com"},
	{"/register/ticket", "type", "regular"},
	{"/register/needs", "dietary", "vegan"},
}

// TestInstancesShareSessions: a user alternating between two instances
// completes register; one instance dies mid-wizard and the other carries
// on; after both restart the answers are still there.
func TestInstancesShareSessions(t *testing.T) {
	cfg := handlers.DefaultConfig()
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			sink := newSink(t)
			a := startInstance(t, u, opts, sink, cfg)
			b := startInstance(t, u, opts, sink, cfg)
			br := newBrowser(t)

			step := registerSteps[0]
			if code, _, _ := br.post(a.ts.URL, step[0], step[1:]...); code != http.StatusSeeOther {
				t.Fatalf("details on A: %d", code)
			}
			if _, body := br.get(b.ts.URL, "/register/ticket"); !strings.Contains(body, "Grace Hopper, which ticket") {
				t.Fatalf("B does not see A's answer:\n%s", body)
			}
			a.stop() // killed mid-wizard
			for _, step := range registerSteps[1:] {
				if code, body, _ := br.post(b.ts.URL, step[0], step[1:]...); code != http.StatusSeeOther {
					t.Fatalf("%s on B: %d\n%s", step[0], code, body)
				}
			}
			b.stop()

			a2 := startInstance(t, u, opts, sink, cfg)
			b2 := startInstance(t, u, opts, sink, cfg)
			_, review := br.get(a2.ts.URL, "/register/review")
			for _, want := range []string{"Grace Hopper", "grace@example.com", "Regular", "Vegan"} {
				if !strings.Contains(review, want) {
					t.Fatalf("after restart, review lacks %q:\n%s", want, review)
				}
			}
			id := submissionField.FindStringSubmatch(review)
			if id == nil {
				t.Fatal("no submission ID on the review")
			}
			if code, _, h := br.post(b2.ts.URL, "/register/submit", "submission", id[1]); code != http.StatusSeeOther || h.Get("Location") != "/register/done" {
				t.Fatalf("submit on B: %d %q", code, h.Get("Location"))
			}
			if _, body := br.get(a2.ts.URL, "/register/done"); !strings.Contains(body, "REG-") {
				t.Fatalf("done page on A lacks the reference:\n%s", body)
			}
		})
	}
}

// TestStoreHoldsNoTokens: a dump of the store reveals no live session.
func TestStoreHoldsNoTokens(t *testing.T) {
	cfg := handlers.DefaultConfig()
	t.Run("redis", func(t *testing.T) {
		u, opts := redisTarget(t)
		in := startInstance(t, u, opts, newSink(t), cfg)
		br := newBrowser(t)
		br.post(in.ts.URL, "/classic/name", "v1", "Ada")
		token := br.cookie(in.ts.URL)
		ro, _ := redis.ParseURL(u)
		c := redis.NewClient(ro)
		defer c.Close()
		keys, err := c.Keys(context.Background(), opts.KeyPrefix+"*").Result()
		if err != nil || len(keys) == 0 {
			t.Fatalf("keys %v err %v", keys, err)
		}
		for _, k := range keys {
			if strings.Contains(k, token) {
				t.Errorf("key %q holds the session token", k)
			}
		}
	})
	t.Run("postgres", func(t *testing.T) {
		u, opts := postgresTarget(t)
		in := startInstance(t, u, opts, newSink(t), cfg)
		br := newBrowser(t)
		br.post(in.ts.URL, "/classic/name", "v1", "Ada")
		token := br.cookie(in.ts.URL)
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var n, raw int
		if err := conn.QueryRow(context.Background(), "SELECT count(*), count(*) FILTER (WHERE token = $1) FROM sessions", token).Scan(&n, &raw); err != nil {
			t.Fatal(err)
		}
		if n != 1 || raw != 0 {
			t.Errorf("%d sessions, %d stored under the raw token; want 1 and 0", n, raw)
		}
		// The table has the expiry index that the cleanup uses.
		var idx int
		conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_indexes WHERE tablename = 'sessions' AND indexdef LIKE '%(expiry)%' AND schemaname = current_schema()").Scan(&idx)
		if idx != 1 {
			t.Errorf("expiry index missing")
		}
	})
}

// TestCrashedLockHolderBlocksBriefly: a lease left by a process that died
// holding it delays the session by at most the lease's life.
func TestCrashedLockHolderBlocksBriefly(t *testing.T) {
	cfg := handlers.DefaultConfig()
	cfg.LockWait = 5 * time.Second
	for _, sh := range shared {
		t.Run(sh.name, func(t *testing.T) {
			u, opts := sh.target(t)
			opts.LockTTL = time.Second
			in := startInstance(t, u, opts, newSink(t), cfg)
			br := newBrowser(t)
			br.post(in.ts.URL, "/classic/name", "v1", "Ada")
			crashed, err := backends.Open(context.Background(), u, opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := crashed.Locker.Lock(context.Background(), br.cookie(in.ts.URL)); err != nil { // never unlocked
				t.Fatal(err)
			}
			crashed.Close() // the process dies: its lease is no longer renewed
			start := time.Now()
			code, body := br.get(in.ts.URL, "/classic/job")
			if code != 200 || !strings.Contains(body, "Ada, what is your job?") {
				t.Fatalf("GET after a crashed holder: %d\n%s", code, body)
			}
			if waited := time.Since(start); waited < 500*time.Millisecond {
				t.Errorf("waited %v: the crashed holder's lease was not respected", waited)
			}
		})
	}
}

// TestRedisOutage: with the store down, pages are a friendly 503 and the
// health check says so; when it returns, the server recovers by itself and
// the answers are intact.
func TestRedisOutage(t *testing.T) {
	serverURL(t, "WIZARD_TEST_REDIS") // the same rules: CI must have Redis
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server not installed")
		}
		t.Skip("redis-server not installed")
	}
	dir := t.TempDir()
	port := freePort(t)
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
			"--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool {
			c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
			if err == nil {
				c.Close()
			}
			return err == nil
		})
		return cmd
	}
	redisCmd := start()
	t.Cleanup(func() { redisCmd.Process.Kill(); redisCmd.Wait() })
	u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)

	cfg := handlers.DefaultConfig()
	cfg.LockWait = 2 * time.Second
	in := startInstance(t, u, backends.Options{Timeout: 500 * time.Millisecond}, newSink(t), cfg)
	br := newBrowser(t)
	br.post(in.ts.URL, "/classic/name", "v1", "Ada")

	// Stop Redis, saving its data to disk as a real shutdown does.
	ro, _ := redis.ParseURL(u)
	c := redis.NewClient(ro)
	c.ShutdownSave(context.Background())
	c.Close()
	redisCmd.Wait()

	code, body := br.get(in.ts.URL, "/classic/job")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "temporarily unavailable") || !strings.Contains(body, "answers are safe") {
		t.Fatalf("with Redis down: %d\n%s", code, body)
	}
	if strings.Contains(body, "redis") || strings.Contains(body, "dial tcp") {
		t.Errorf("the page shows internals:\n%s", body)
	}
	if code, _, _ := br.post(in.ts.URL, "/classic/job", "v2", "Analyst"); code != http.StatusServiceUnavailable {
		t.Errorf("POST with Redis down: %d", code)
	}
	if code, _ := br.get(in.ts.URL, "/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("healthz with Redis down: %d", code)
	}

	redisCmd = start()
	waitFor(t, func() bool { code, _ := br.get(in.ts.URL, "/healthz"); return code == 200 })
	code, body = br.get(in.ts.URL, "/classic/job")
	if code != 200 || !strings.Contains(body, "Ada, what is your job?") {
		t.Fatalf("after Redis returned: %d\n%s", code, body)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
