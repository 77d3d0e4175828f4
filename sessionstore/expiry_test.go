package sessionstore

import (
	"fmt"
	"testing"
	"time"
)

// TestExpiryAtDeadline pins the boundary: as in scs's memstore Find, a
// session is found at exactly its deadline and gone one nanosecond later.
func TestExpiryAtDeadline(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	deadline := clock.Now().Add(time.Minute)
	mustCommit(t, s, "tok", []byte("data"), deadline)

	clock.Add(time.Minute)
	if now := clock.Now(); !now.Equal(deadline) {
		t.Fatalf("clock = %v, want the deadline %v", now, deadline)
	}
	wantFound(t, s, "tok", true)
	if all, _ := s.All(); len(all) != 1 {
		t.Fatalf("All() at the deadline holds %d sessions, want 1", len(all))
	}

	clock.Add(time.Nanosecond)
	if all, _ := s.All(); len(all) != 0 {
		t.Fatalf("All() after the deadline holds %d sessions, want 0", len(all))
	}
	wantFound(t, s, "tok", false)
	if got := s.Stats(); got.Expired != 1 || got.Live != 0 {
		t.Fatalf("Stats() = %+v, want Expired 1, Live 0", got)
	}
}

// TestCommitAfterExpiryStartsNewSession: committing to a token whose
// session expired but was not yet removed counts as a new session.
func TestCommitAfterExpiryStartsNewSession(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "tok", []byte("old"), clock.Now().Add(time.Second))
	clock.Add(2 * time.Second)
	mustCommit(t, s, "tok", []byte("new"), clock.Now().Add(time.Second))

	if st := s.Stats(); st.Created != 2 || st.Expired != 1 || st.Live != 1 {
		t.Fatalf("Stats() = %+v, want Created 2, Expired 1, Live 1", st)
	}
	b, _ := mustFind(t, s, "tok")
	if string(b) != "new" {
		t.Fatalf("Find = %q, want %q", b, "new")
	}
}

// TestCommitDrainsExpired: each Commit removes a few expired sessions of
// its shard, so a busy store needs no sweep.
func TestCommitDrainsExpired(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 100}) // one shard
	for i := range 10 {
		mustCommit(t, s, fmt.Sprintf("old-%d", i), []byte("x"), clock.Now().Add(time.Second))
	}
	clock.Add(2 * time.Second)
	for i := range 5 {
		mustCommit(t, s, fmt.Sprintf("new-%d", i), []byte("x"), clock.Now().Add(time.Hour))
	}
	if st := s.Stats(); st.Expired != 10 || st.Live != 5 {
		t.Fatalf("Stats() = %+v, want Expired 10, Live 5", st)
	}
	checkInvariants(t, s)
}

// TestIdenticalCommitMovesDeadlineOnly: re-committing the same bytes, as
// scs does on every request when IdleTimeout is set, keeps the stored
// copy, allocates nothing and only moves the deadline.
func TestIdenticalCommitMovesDeadlineOnly(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	start := clock.Now()
	mustCommit(t, s, "tok", []byte("same data"), start.Add(time.Minute))
	before := storedRecord(t, s, "tok")

	again := []byte("same data") // equal bytes, different slice
	mustCommit(t, s, "tok", again, start.Add(time.Hour))
	after := storedRecord(t, s, "tok")
	if &after[0] != &before[0] {
		t.Fatalf("an identical Commit replaced the stored copy")
	}
	if b, _ := mustFind(t, s, "tok"); string(b) != "same data" {
		t.Fatalf("Find = %q, want %q", b, "same data")
	}

	exp := start.Add(2 * time.Hour)
	allocs := testing.AllocsPerRun(100, func() {
		if err := s.Commit("tok", again, exp); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("an identical Commit allocates %v times, want 0", allocs)
	}

	clock.Add(time.Hour + time.Minute)
	wantFound(t, s, "tok", true)
	clock.Add(time.Hour)
	wantFound(t, s, "tok", false)
	checkInvariants(t, s)
}

// TestDeadlineMoves: a Commit may move a deadline later (the heap catches
// up lazily) or earlier (at once); either way the session expires at its
// latest deadline, and the sweep removes it then and not before.
func TestDeadlineMoves(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	start := clock.Now()
	mustCommit(t, s, "later", []byte("x"), start.Add(time.Second))
	mustCommit(t, s, "later", []byte("x"), start.Add(time.Hour))
	mustCommit(t, s, "earlier", []byte("x"), start.Add(time.Hour))
	mustCommit(t, s, "earlier", []byte("x"), start.Add(time.Second))

	clock.Add(time.Minute)
	s.sweep()
	if st := s.Stats(); st.Live != 1 || st.Expired != 1 {
		t.Fatalf("after a minute: Stats() = %+v, want Live 1, Expired 1", st)
	}
	checkInvariants(t, s)
	wantFound(t, s, "later", true)
	clock.Add(time.Hour)
	s.sweep()
	if st := s.Stats(); st.Live != 0 || st.Expired != 2 {
		t.Fatalf("after an hour: Stats() = %+v, want Live 0, Expired 2", st)
	}
}

// TestSweep: the sweep removes every expired session, in batches, and
// leaves live ones alone.
func TestSweep(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 100_000, Shards: 4})
	now := clock.Now()
	const n = 5 * sweepBatch
	for i := range n {
		exp := now.Add(time.Second)
		if i%5 == 0 {
			exp = now.Add(time.Hour)
		}
		mustCommit(t, s, fmt.Sprintf("tok-%d", i), []byte("x"), exp)
	}
	clock.Add(time.Minute)
	s.sweep()
	if st := s.Stats(); st.Live != n/5 || st.Expired != n-n/5 {
		t.Fatalf("Stats() = %+v, want Live %d, Expired %d", st, n/5, n-n/5)
	}
	checkInvariants(t, s)
}

// TestMemoryShrinksAfterMassExpiry: once a shard's sessions expire, its
// entries, heap and index shrink back instead of keeping the peak.
func TestMemoryShrinksAfterMassExpiry(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 100_000, Shards: 1})
	sh := &s.shards[0]
	now := clock.Now()
	const n = 50_000
	for i := range n {
		exp := now.Add(time.Second)
		if i < 10 {
			exp = now.Add(time.Hour)
		}
		mustCommit(t, s, fmt.Sprintf("tok-%d", i), []byte("payload"), exp)
	}
	peakSlots, peakEntries, peakHeap := len(sh.idx.slots), cap(sh.entries), cap(sh.heap)
	if peakSlots < n || peakEntries < n || peakHeap < n {
		t.Fatalf("at the peak: %d index slots, entries cap %d, heap cap %d; want all >= %d",
			peakSlots, peakEntries, peakHeap, n)
	}

	clock.Add(time.Minute)
	s.sweep()

	if got := s.Stats().Live; got != 10 {
		t.Fatalf("Live = %d, want 10", got)
	}
	if got := len(sh.idx.slots); got > 32 {
		t.Errorf("index slots = %d after expiry (peak %d), want <= 32 for 10 sessions", got, peakSlots)
	}
	if got := cap(sh.entries); got > 64 {
		t.Errorf("entries cap = %d after expiry (peak %d), want <= 64", got, peakEntries)
	}
	if got := cap(sh.heap); got > 64 {
		t.Errorf("heap cap = %d after expiry (peak %d), want <= 64", got, peakHeap)
	}
	for i := range 10 {
		wantFound(t, s, fmt.Sprintf("tok-%d", i), true)
	}
	checkInvariants(t, s)
}

// TestCommitPastDeadlineEnds: a commit whose expiry has already passed
// (a request that spanned the session's deadline) stores nothing and ends
// the session stored before.
func TestCommitPastDeadlineEnds(t *testing.T) {
	clock := time.Unix(1_000_000, 0)
	s := New(Options{Now: func() time.Time { return clock }, SweepInterval: -1})
	defer s.Close()
	if err := s.Commit("live", []byte("data"), clock.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"live", "new"} {
		if err := s.Commit(token, []byte("late"), clock.Add(-time.Nanosecond)); err != nil {
			t.Fatalf("late commit of %q: %v", token, err)
		}
		if _, found, _ := s.Find(token); found {
			t.Errorf("%q found after a commit past its deadline", token)
		}
	}
	if st := s.Stats(); st.Live != 0 || st.Created != 1 || st.Expired != 1 {
		t.Errorf("stats %+v; want nothing live, 1 created, 1 expired", st)
	}
	// At exactly its deadline a session is still saved, as it is still found.
	if err := s.Commit("edge", []byte("x"), clock); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Find("edge"); !found {
		t.Error("a session at exactly its deadline was not saved")
	}
}
