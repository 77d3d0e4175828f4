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
// store is filled past its cap first, with sessions that expire while the
// test runs, so every removal path is taken whatever the timing: eviction
// with EvictWhenFull, refusal without, expiry and deletion.
func TestConcurrentFindCommitDelete(t *testing.T) {
	for _, evict := range []bool{false, true} {
		t.Run(fmt.Sprintf("EvictWhenFull=%v", evict), func(t *testing.T) {
			testConcurrentFindCommitDelete(t, evict)
		})
	}
}

func testConcurrentFindCommitDelete(t *testing.T, evict bool) {
	s := New(Options{MaxSessions: 200, Shards: 4, SweepInterval: time.Millisecond, EvictWhenFull: evict})
	t.Cleanup(func() { s.Close() })
	const (
		workers = 8
		ops     = 3000
		tokens  = 500
	)
	// Fill the store past its cap first, with sessions that end soon: the
	// cap is met (a refusal or an eviction) however the hammering below
	// goes, and the sweep has sessions to expire.
	for i := range 2 * 200 {
		err := s.Commit(fmt.Sprintf("fill-%d", i), []byte("fill"), time.Now().Add(50*time.Millisecond))
		if err != nil && (evict || !errors.Is(err, ErrFull)) {
			t.Fatalf("Commit(fill-%d): %v", i, err)
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
						// Some sessions outlive the test, so shards fill
						// and evict however slowly it runs.
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
	time.Sleep(100 * time.Millisecond) // the fill's sessions end, and the sweep takes them
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
