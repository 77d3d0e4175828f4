package sessionstore

import (
	"encoding/binary"
	"sync"
	"testing"
	"time"
)

// fakeClock is an injectable clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestStore returns a store on a fake clock with no background sweep.
func newTestStore(tb testing.TB, opts Options) (*Store, *fakeClock) {
	tb.Helper()
	clock := newFakeClock()
	opts.Now = clock.Now
	opts.SweepInterval = -1
	s := New(opts)
	tb.Cleanup(func() { s.Close() })
	return s, clock
}

func mustCommit(tb testing.TB, s *Store, token string, b []byte, expiry time.Time) {
	tb.Helper()
	if err := s.Commit(token, b, expiry); err != nil {
		tb.Fatalf("Commit(%q): %v", token, err)
	}
}

func mustFind(tb testing.TB, s *Store, token string) ([]byte, bool) {
	tb.Helper()
	b, found, err := s.Find(token)
	if err != nil {
		tb.Fatalf("Find(%q): %v", token, err)
	}
	return b, found
}

func wantFound(tb testing.TB, s *Store, token string, want bool) {
	tb.Helper()
	if _, got := mustFind(tb, s, token); got != want {
		tb.Fatalf("Find(%q) found = %v, want %v", token, got, want)
	}
}

// checkInvariants verifies every shard's index, heap and lists agree with
// its entries, and that the counters add up.
func checkInvariants(tb testing.TB, s *Store) {
	tb.Helper()
	var held int
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n := len(sh.entries)
		held += n
		if sh.idx.count != n || len(sh.heap) != n {
			tb.Errorf("shard %d: index holds %d, heap %d, want both %d", i, sh.idx.count, len(sh.heap), n)
		}
		if n > sh.capacity {
			tb.Errorf("shard %d holds %d, over its capacity %d", i, n, sh.capacity)
		}
		if got := sh.live.Load(); got != int64(n) {
			tb.Errorf("shard %d: live = %d, want %d", i, got, n)
		}
		records := len(sh.large)
		for _, sl := range sh.slabs {
			records += len(sl.data) / sl.size
		}
		if records != n {
			tb.Errorf("shard %d: slabs hold %d records, want %d", i, records, n)
		}
		for p := range sh.entries {
			e := &sh.entries[p]
			tok := tokenOf(sh.storedKey(e), e.compact)
			k, ksh, h := s.keyOf(tok)
			if _, pos, ok := sh.lookup(&k, h); ksh != sh || !ok || pos != int32(p) {
				tb.Errorf("shard %d: lookup(%q) = %d, %v, want %d, true", i, tok, pos, ok, p)
			}
			if e.heapPos >= 0 && int(e.heapPos) < len(sh.heap) && sh.heap[e.heapPos].hash != h {
				got := sh.heap[e.heapPos].hash
				tb.Errorf("shard %d: entry %d's heap element holds hash %#x, want %#x", i, p, got, h)
			}
			if got := ownerOf(sh, e); got != int32(p) {
				tb.Errorf("shard %d: entry %d's record names entry %d as its owner", i, p, got)
			}
			if hp := e.heapPos; hp < 0 || int(hp) >= len(sh.heap) || sh.heap[hp].pos != int32(p) {
				tb.Errorf("shard %d: entry %d heapPos %d does not point back", i, p, hp)
			} else if sh.heap[hp].at > e.expiry {
				tb.Errorf("shard %d: entry %d heap time %d is after its expiry %d", i, p, sh.heap[hp].at, e.expiry)
			}
		}
		for k := 1; k < len(sh.heap); k++ {
			if sh.heap[(k-1)/2].at > sh.heap[k].at {
				tb.Errorf("shard %d: heap order broken at %d", i, k)
			}
		}
		total := 0
		for seg := range sh.lists {
			count, prev := 0, none
			for p := sh.lists[seg].head; p != none; p = sh.entries[p].next {
				if sh.entries[p].prev != prev || sh.entries[p].seg != segment(seg) {
					tb.Errorf("shard %d: list %d broken at entry %d", i, seg, p)
					break
				}
				prev = p
				count++
			}
			if prev != sh.lists[seg].tail || count != sh.lists[seg].len {
				tb.Errorf("shard %d: list %d walks %d entries to %d, recorded %d ending at %d",
					i, seg, count, prev, sh.lists[seg].len, sh.lists[seg].tail)
			}
			total += count
		}
		if total != n {
			tb.Errorf("shard %d: lists hold %d, want %d", i, total, n)
		}
		if sh.lists[protected].len > sh.protectedCap {
			tb.Errorf("shard %d: protected holds %d, over its limit %d", i, sh.lists[protected].len, sh.protectedCap)
		}
		sh.mu.Unlock()
	}
	st := s.Stats()
	if st.Live != int64(held) {
		tb.Errorf("Stats().Live = %d, want %d held", st.Live, held)
	}
	if got := int64(st.Created - st.Expired - st.Evicted - st.Deleted); got != st.Live {
		tb.Errorf("Created-Expired-Evicted-Deleted = %d, want Live %d (%+v)", got, st.Live, st)
	}
}

// ownerOf returns the entry position the record of e records.
func ownerOf(sh *shard, e *entry) int32 {
	if e.class == largeClass {
		return sh.large[e.slot].owner
	}
	sl := &sh.slabs[e.class]
	return int32(binary.LittleEndian.Uint32(sl.data[int(e.slot)*sl.size:]))
}

// storedRecord returns the store's own record (key and payload) for
// token, so tests can tell whether it was replaced.
func storedRecord(tb testing.TB, s *Store, token string) []byte {
	tb.Helper()
	k, sh, h := s.keyOf(token)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, pos, ok := sh.lookup(&k, h)
	if !ok {
		tb.Fatalf("%q is not stored", token)
	}
	return sh.record(&sh.entries[pos])
}
