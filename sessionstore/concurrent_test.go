package sessionstore

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// TestConcurrentFindCommitDelete hammers a small, capped store from many
// goroutines with the background sweep running, for `go test -race`. The
// store is filled past its cap first, with sessions that then expire while
// the test runs, so every removal path is taken whatever the timing:
// eviction with EvictWhenFull, refusal without, expiry and deletion.
func TestConcurrentFindCommitDelete(t *testing.T) {
	for _, evict := range []bool{false, true} {
		t.Run(fmt.Sprintf("EvictWhenFull=%v", evict), func(t *testing.T) {
			testConcurrentFindCommitDelete(t, evict)
		})
	}
}

func testConcurrentFindCommitDelete(t *testing.T, evict bool) {
	const (
		capacity = 200
		workers  = 8
		ops      = 3000
		tokens   = 500
	)
	s := New(Options{MaxSessions: capacity, Shards: 4, SweepInterval: time.Millisecond, EvictWhenFull: evict})
	t.Cleanup(func() { s.Close() })
	// Fill the store past its cap first, so that the cap is met (a refusal
	// or an eviction) however the hammering below goes. The fill's
	// sessions must not end while it runs: a fill that a loaded machine
	// stretches past their lifetime would make room as it went, meet the
	// cap late or never, and leave it to the hammering, which slows down
	// as well and may meet it never.
	for i := range 2 * capacity {
		err := s.Commit(fmt.Sprintf("fill-%d", i), []byte("fill"), time.Now().Add(time.Hour))
		if err != nil && (evict || !errors.Is(err, ErrFull)) {
			t.Fatalf("Commit(fill-%d): %v", i, err)
		}
	}
	met, how := s.Stats().Refused, "refusals"
	if evict {
		met, how = s.Stats().Evicted, "evictions"
	}
	if met < capacity {
		t.Fatalf("%d new sessions in a store capped at %d made %d %s, want at least %d",
			2*capacity, capacity, met, how, capacity)
	}
	// Then have the sessions held end soon, so that the sweep has
	// sessions to expire. A Commit to a held session needs no room: none
	// is refused or evicts.
	held, err := s.All()
	if err != nil {
		t.Fatalf("All: %v", err)
	}
	var fillEnd time.Time
	for tok := range held {
		fillEnd = time.Now().Add(50 * time.Millisecond)
		if err := s.Commit(tok, []byte("fill"), fillEnd); err != nil {
			t.Fatalf("Commit(%q): %v", tok, err)
		}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range ops {
				tok := fmt.Sprintf("tok-%d", rng.IntN(tokens))
				switch r := rng.IntN(10); {
				case r < 4:
					if b, found, err := s.Find(tok); err != nil || (found && len(b) == 0) {
						t.Errorf("Find(%q) = %q, %v, %v", tok, b, found, err)
						return
					}
				case r < 9:
					life := time.Duration(rng.IntN(3000)) * time.Microsecond
					if rng.IntN(8) == 0 {
						// Some sessions outlive the test, so that Find
						// and Delete find sessions however slowly it runs.
						life = time.Hour
					}
					err := s.Commit(tok, fmt.Appendf(nil, "data %d", r), time.Now().Add(life))
					if err != nil && (evict || !errors.Is(err, ErrFull)) {
						t.Errorf("Commit(%q): %v", tok, err)
						return
					}
				default:
					if err := s.Delete(tok); err != nil {
						t.Errorf("Delete(%q): %v", tok, err)
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			if _, err := s.All(); err != nil {
				t.Errorf("All: %v", err)
				return
			}
			_ = s.Stats()
		}
	})
	wg.Wait()
	// The fill's sessions end, and the sweep takes them: wait for that
	// rather than for a fixed time, which a loaded machine can overrun.
	time.Sleep(time.Until(fillEnd))
	for giveUp := time.Now().Add(10 * time.Second); anyHeld(s, held); time.Sleep(time.Millisecond) {
		if time.Now().After(giveUp) {
			t.Fatalf("the fill's sessions are still held %v after they ended", time.Since(fillEnd))
		}
	}
	s.Close()
	checkInvariants(t, s)
	st := s.Stats()
	if st.Created == 0 || st.Expired == 0 || st.Deleted == 0 {
		t.Errorf("Stats() = %+v: want every removal path taken", st)
	}
	if evict && (st.Evicted == 0 || st.Refused != 0) {
		t.Errorf("Stats() = %+v: want evictions and no refusal", st)
	}
	if !evict && (st.Refused == 0 || st.Evicted != 0) {
		t.Errorf("Stats() = %+v: want refusals and no eviction", st)
	}
}

// anyHeld reports whether s holds a session, expired or not, for any of
// the tokens, without removing or using it as Find would.
func anyHeld(s *Store, tokens map[string][]byte) bool {
	for tok := range tokens {
		k, sh, h := s.keyOf(tok)
		sh.mu.Lock()
		_, _, ok := sh.lookup(&k, h)
		sh.mu.Unlock()
		if ok {
			return true
		}
	}
	return false
}
