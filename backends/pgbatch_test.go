package backends

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/wizard/wizard/internal/pgtest"
)

// TestCommitBatchSavesOnlyHeldLeases: in one batch, a save whose lease was
// taken over is refused and leaves the session alone, while the others
// are saved and their leases released; an operation whose request has gone
// is not run.
func TestCommitBatchSavesOnlyHeldLeases(t *testing.T) {
	ctx := context.Background()
	store := openTestPG(t)
	pool := store.pool
	for _, key := range []string{"k1", "k2", "k3"} {
		if _, err := pool.Exec(ctx, "INSERT INTO session_locks (key, owner, expires) VALUES ($1, 'me', now() + interval '1 minute')", key); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, "INSERT INTO sessions (token, data, expiry) VALUES ('t2', 'theirs', now() + interval '1 hour')"); err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	expiry := time.Now().Add(time.Hour)
	op := func(ctx context.Context, token, key, owner string) *commitOp {
		return &commitOp{result: newResult(), ctx: ctx, token: token, data: []byte("mine " + token), expiry: expiry, key: key, owner: owner}
	}
	ops := []*commitOp{
		op(ctx, "t3", "k3", "me"),
		op(ctx, "t2", "k2", "someone else"), // k2's lease is not this op's
		op(ctx, "t1", "k1", "me"),
		op(gone, "t4", "k4", "me"),
	}
	store.batches.runCommits(slices.Clone(ops))
	for i, want := range []bool{true, false, true, false} {
		if err := ops[i].wait(); (err == nil) != (i != 3) {
			t.Errorf("op %d: error %v", i, err)
		}
		if ops[i].saved != want {
			t.Errorf("op %d (%s): saved %v, want %v", i, ops[i].token, ops[i].saved, want)
		}
	}
	if err := ops[3].wait(); !errors.Is(err, context.Canceled) {
		t.Errorf("op of a gone request: %v, want context.Canceled", err)
	}
	got := map[string]string{}
	rows, err := pool.Query(ctx, "SELECT token, data FROM sessions")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			t.Fatal(err)
		}
		got[token] = string(data)
	}
	want := map[string]string{"t1": "mine t1", "t2": "theirs", "t3": "mine t3"}
	if len(got) != len(want) {
		t.Errorf("sessions %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("session %s = %q, want %q", k, got[k], v)
		}
	}
	var leases []string
	rows, err = pool.Query(ctx, "SELECT key FROM session_locks ORDER BY key")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		leases = append(leases, k)
	}
	if !slices.Equal(leases, []string{"k2"}) {
		t.Errorf("leases left %v, want [k2] (the one held by someone else)", leases)
	}
}

// TestAcquireBatch: in one batch, free and lapsed leases are taken (with
// their sessions read), a held one is not.
func TestAcquireBatch(t *testing.T) {
	ctx := context.Background()
	store := openTestPG(t)
	for _, q := range []string{
		"INSERT INTO session_locks (key, owner, expires) VALUES ('held', 'other', now() + interval '1 minute')",
		"INSERT INTO session_locks (key, owner, expires) VALUES ('lapsed', 'other', now() - interval '1 second')",
		"INSERT INTO sessions (token, data, expiry) VALUES ('s-lapsed', 'lapsed data', now() + interval '1 hour')",
		"INSERT INTO sessions (token, data, expiry) VALUES ('s-held', 'held data', now() + interval '1 hour')",
		"INSERT INTO sessions (token, data, expiry) VALUES ('s-free', 'free data', now() - interval '1 second')",
	} {
		if _, err := store.pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	op := func(key string) *acquireOp {
		return &acquireOp{result: newResult(), ctx: ctx, key: key, owner: "me", ttl: time.Minute, storeKey: "s-" + key}
	}
	ops := []*acquireOp{op("held"), op("free"), op("lapsed")}
	store.batches.runAcquires(slices.Clone(ops))
	for _, c := range []struct {
		op       *acquireOp
		acquired bool
		data     string
	}{
		{ops[0], false, ""},
		{ops[1], true, ""}, // its session expired: not found
		{ops[2], true, "lapsed data"},
	} {
		if err := c.op.wait(); err != nil {
			t.Fatalf("%s: %v", c.op.key, err)
		}
		if c.op.acquired != c.acquired || string(c.op.data) != c.data {
			t.Errorf("%s: acquired %v with %q, want %v with %q", c.op.key, c.op.acquired, c.op.data, c.acquired, c.data)
		}
	}
}

// openTestPG opens the PostgreSQL store in a schema of the test's own.
func openTestPG(t *testing.T) *pgStore {
	t.Helper()
	b, err := openPostgres(context.Background(), pgtest.URL(t), Options{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Store.(*pgStore)
}

// TestForRounds: a key that occurs twice goes to a later round; each round
// is sorted by key.
func TestForRounds(t *testing.T) {
	var rounds [][]string
	forRounds([]string{"b", "a", "b", "c", "b"}, func(s string) string { return s }, func(r []string) {
		rounds = append(rounds, slices.Clone(r))
	})
	want := [][]string{{"a", "b", "c"}, {"b"}, {"b"}}
	if len(rounds) != len(want) {
		t.Fatalf("rounds %v, want %v", rounds, want)
	}
	for i := range want {
		if !slices.Equal(rounds[i], want[i]) {
			t.Errorf("round %d: %v, want %v", i, rounds[i], want[i])
		}
	}
}

type testOp struct {
	result
	ctx context.Context
}

func (op *testOp) context() context.Context { return op.ctx }

func newTestOp(ctx context.Context) *testOp { return &testOp{result: newResult(), ctx: ctx} }

// TestBatcher: operations waiting while a batch runs go together in the
// next; one whose request ends while it waits is not run; after close,
// submissions fail at once.
func TestBatcher(t *testing.T) {
	release := make(chan struct{})
	var sizes []int
	b := newBatcher(1, 64, func(ops []*testOp) {
		if len(sizes) == 0 {
			<-release // hold the first batch until the others wait
		}
		sizes = append(sizes, len(ops))
		for _, op := range ops {
			op.finish(nil)
		}
	})
	first := newTestOp(context.Background())
	go b.submit(first)
	time.Sleep(10 * time.Millisecond)
	ops := make([]*testOp, 10)
	for i := range ops {
		ops[i] = newTestOp(context.Background())
		go b.submit(ops[i])
	}
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	impatient := newTestOp(ctx)
	go b.submit(impatient)
	cancel()
	if err := impatient.wait(); !errors.Is(err, context.Canceled) {
		t.Errorf("request ended while waiting: %v, want context.Canceled", err)
	}
	close(release)
	first.wait()
	for _, op := range ops {
		op.wait()
	}
	b.close()
	// All ten wait while the first runs; a slow machine may start some
	// late, so only the sharing is required, not its exact count.
	total := 0
	for _, n := range sizes {
		total += n
	}
	if total != 11 || len(sizes) < 2 || sizes[0] != 1 || sizes[1] < 2 {
		t.Errorf("batch sizes %v, want 1 then the others together (most likely [1 10])", sizes)
	}
	late := newTestOp(context.Background())
	b.submit(late)
	if err := late.wait(); !errors.Is(err, errClosed) {
		t.Errorf("after close: %v, want errClosed", err)
	}
}
