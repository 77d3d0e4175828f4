package sessionstore

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestCapHonoured: however many sessions arrive, no more than the cap are
// held; the rest are refused or, with EvictWhenFull, evict others.
func TestCapHonoured(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"one shard", Options{MaxSessions: 100}},
		{"eight shards", Options{MaxSessions: 1000, Shards: 8}},
		{"one shard, evicting", Options{MaxSessions: 100, EvictWhenFull: true}},
		{"eight shards, evicting", Options{MaxSessions: 1000, Shards: 8, EvictWhenFull: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newTestStore(t, tt.opts)
			exp := clock.Now().Add(time.Hour)
			const n = 10_000
			refused := 0
			for i := range n {
				err := s.Commit(fmt.Sprintf("tok-%d", i), []byte("data"), exp)
				switch {
				case errors.Is(err, ErrFull) && !tt.opts.EvictWhenFull:
					refused++
				case err != nil:
					t.Fatalf("Commit(tok-%d): %v", i, err)
				}
			}
			st := s.Stats()
			if st.Live > int64(tt.opts.MaxSessions) {
				t.Fatalf("Live = %d, over the cap of %d", st.Live, tt.opts.MaxSessions)
			}
			removed, other := st.Evicted, st.Refused
			if !tt.opts.EvictWhenFull {
				removed, other = st.Refused, st.Evicted
			}
			if want := uint64(n) - uint64(st.Live); removed != want || other != 0 {
				t.Fatalf("Stats() = %+v, want %d evicted or refused, the other 0", st, want)
			}
			if !tt.opts.EvictWhenFull && uint64(refused) != st.Refused {
				t.Fatalf("%d Commits returned ErrFull, Refused = %d", refused, st.Refused)
			}
			all, _ := s.All()
			if int64(len(all)) != st.Live {
				t.Fatalf("All() holds %d, Live = %d", len(all), st.Live)
			}
			checkInvariants(t, s)
		})
	}
}

// TestProbationFirstEviction: sessions used twice survive new sessions
// that push out the once-used ones, oldest first.
func TestProbationFirstEviction(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 4, EvictWhenFull: true})
	exp := clock.Now().Add(time.Hour)
	for _, tok := range []string{"a", "b", "c", "d"} {
		mustCommit(t, s, tok, []byte(tok), exp)
	}
	wantFound(t, s, "a", true) // a and b are used a second time
	wantFound(t, s, "b", true)

	mustCommit(t, s, "e", []byte("e"), exp) // evicts c, probation's LRU
	mustCommit(t, s, "f", []byte("f"), exp) // evicts d
	mustCommit(t, s, "g", []byte("g"), exp) // evicts e

	for tok, want := range map[string]bool{"a": true, "b": true, "c": false, "d": false, "e": false, "f": true, "g": true} {
		wantFound(t, s, tok, want)
	}
	if got := s.Stats().Evicted; got != 3 {
		t.Fatalf("Evicted = %d, want 3", got)
	}
	checkInvariants(t, s)
}

// TestPromotionByCommit: committing an existing token is a second use too.
func TestPromotionByCommit(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 3, EvictWhenFull: true})
	exp := clock.Now().Add(time.Hour)
	mustCommit(t, s, "user", []byte("step 1"), exp)
	mustCommit(t, s, "user", []byte("step 2"), exp)
	for i := range 10 {
		mustCommit(t, s, fmt.Sprintf("one-shot-%d", i), []byte("x"), exp)
	}
	b, found := mustFind(t, s, "user")
	if !found || string(b) != "step 2" {
		t.Fatalf("Find(user) = %q, %v; want %q, true", b, found, "step 2")
	}
}

// TestProtectedOverflowDemotes: promoting past the protected limit (80%
// of capacity) moves protected's LRU back to probation, where it is the
// next to go.
func TestProtectedOverflowDemotes(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 5, EvictWhenFull: true}) // protected limit 4
	exp := clock.Now().Add(time.Hour)
	for _, tok := range []string{"a", "b", "c", "d", "e"} {
		mustCommit(t, s, tok, []byte(tok), exp)
	}
	for _, tok := range []string{"a", "b", "c", "d", "e"} {
		wantFound(t, s, tok, true) // promoting e demotes a
	}
	mustCommit(t, s, "f", []byte("f"), exp)
	for tok, want := range map[string]bool{"a": false, "b": true, "c": true, "d": true, "e": true, "f": true} {
		wantFound(t, s, tok, want)
	}
	checkInvariants(t, s)
}

// TestProtectedEvictedWhenProbationEmpty: with EvictWhenFull, a new
// session always gets in.
func TestProtectedEvictedWhenProbationEmpty(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 1, EvictWhenFull: true}) // protected limit 1
	exp := clock.Now().Add(time.Hour)
	mustCommit(t, s, "a", []byte("a"), exp)
	wantFound(t, s, "a", true)
	mustCommit(t, s, "b", []byte("b"), exp)
	wantFound(t, s, "a", false)
	wantFound(t, s, "b", true)
	if got := s.Stats().Evicted; got != 1 {
		t.Fatalf("Evicted = %d, want 1", got)
	}
}

// TestExpiredGoBeforeEviction: a full shard drops expired sessions before
// it refuses a new session or, with EvictWhenFull, evicts a live one.
func TestExpiredGoBeforeEviction(t *testing.T) {
	for _, evict := range []bool{false, true} {
		t.Run(fmt.Sprintf("EvictWhenFull=%v", evict), func(t *testing.T) {
			s, clock := newTestStore(t, Options{MaxSessions: 3, EvictWhenFull: evict})
			now := clock.Now()
			mustCommit(t, s, "old", []byte("x"), now.Add(time.Second))
			mustCommit(t, s, "a", []byte("a"), now.Add(time.Hour))
			mustCommit(t, s, "b", []byte("b"), now.Add(time.Hour))
			clock.Add(2 * time.Second)
			mustCommit(t, s, "c", []byte("c"), now.Add(time.Hour))

			for tok, want := range map[string]bool{"a": true, "b": true, "c": true} {
				wantFound(t, s, tok, want)
			}
			if st := s.Stats(); st.Evicted != 0 || st.Refused != 0 || st.Expired != 1 {
				t.Fatalf("Stats() = %+v, want Evicted 0, Refused 0, Expired 1", st)
			}
		})
	}
}

// TestFloodKeepsActiveUsers is a small, single-goroutine version of the
// flood benchmark with EvictWhenFull: users in the middle of a wizard
// (used at least twice) answer a step every round while one-shot sessions
// pour in at twenty times the cap; no user loses their session.
func TestFloodKeepsActiveUsers(t *testing.T) {
	const (
		maxSessions = 1000
		users       = 100
		rounds      = 20
		oneShots    = 20 * maxSessions
	)
	s, clock := newTestStore(t, Options{MaxSessions: maxSessions, EvictWhenFull: true})
	exp := func() time.Time { return clock.Now().Add(30 * time.Minute) }
	user := func(i int) string { return fmt.Sprintf("user-%d", i) }
	for i := range users {
		mustCommit(t, s, user(i), []byte("step 0"), exp())
		wantFound(t, s, user(i), true)
	}
	shot := 0
	for r := 1; r <= rounds; r++ {
		for i := range users {
			if _, found := mustFind(t, s, user(i)); !found {
				t.Fatalf("round %d: user %d lost their session", r, i)
			}
			mustCommit(t, s, user(i), fmt.Appendf(nil, "step %d", r), exp())
			for range oneShots / rounds / users {
				mustCommit(t, s, fmt.Sprintf("one-shot-%d", shot), []byte("x"), exp())
				shot++
			}
		}
		clock.Add(time.Second)
	}
	if st := s.Stats(); st.Live > maxSessions || st.Evicted < uint64(oneShots-maxSessions) {
		t.Fatalf("Stats() = %+v, want Live <= %d and Evicted >= %d", st, maxSessions, oneShots-maxSessions)
	}
	checkInvariants(t, s)
}
