package sessionstore

import (
	"runtime"
	"testing"
	"time"
)

// TestMemoryComesBackWithoutSweep: with no background sweep (a negative
// SweepInterval, or after Close) nothing else gives back what a Commit or
// Delete frees, so a session of over 64 KiB replaced or deleted must not
// stay mapped.
func TestMemoryComesBackWithoutSweep(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory is mapped outside the Go heap only on Linux")
	}
	for _, interval := range []time.Duration{-1, time.Hour} {
		s := New(Options{SweepInterval: interval})
		if interval > 0 {
			s.Close() // the store stays usable
		}
		b := make([]byte, 1<<20)
		exp := time.Now().Add(time.Hour)
		for i := range 20 {
			b[0] = byte(i)
			mustCommit(t, s, "tok", b, exp)
		}
		if got := s.mapped.Load(); got > 2<<20 {
			t.Errorf("interval %v: %d bytes mapped for one 1 MiB session", interval, got)
		}
		if err := s.Delete("tok"); err != nil {
			t.Fatal(err)
		}
		if got := s.mapped.Load(); got != 0 {
			t.Errorf("interval %v: %d bytes mapped after the only session was deleted", interval, got)
		}
		s.Close()
	}
}

// TestEmptySlabsComeBack: a slab's floor is eight records, up to half a
// megabyte in the largest classes; once a class holds no session the
// sweep gives back all of its memory, not the floor.
func TestEmptySlabsComeBack(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 1000, Shards: 1})
	for _, size := range []int{100, 5000, 9000, 20_000, 40_000, 65_000} {
		for i := range 20 {
			mustCommit(t, s, benchToken(size+i), make([]byte, size), clock.Now().Add(time.Second))
		}
	}
	clock.Add(time.Minute)
	s.sweep()
	if got := s.mapped.Load(); got != 0 {
		t.Errorf("%d bytes still mapped after every session expired", got)
	}
	sh := &s.shards[0]
	for c, sl := range sh.slabs {
		if cap(sl.data) != 0 {
			t.Errorf("class %d (%d-byte records) keeps %d bytes with no record", c, sl.size, cap(sl.data))
		}
	}
	mustCommit(t, s, benchToken(1), make([]byte, 40_000), clock.Now().Add(time.Second))
	wantFound(t, s, benchToken(1), true)
	checkInvariants(t, s)
}

// TestStatsMappedAfterMassExpiry: Stats.Mapped follows the sessions held,
// and once they have all expired and been swept, next to nothing of it is
// left, so what a process keeps after a mass expiry is not the store's.
func TestStatsMappedAfterMassExpiry(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory is mapped outside the Go heap only on Linux")
	}
	const n = 50_000
	s, clock := newTestStore(t, Options{MaxSessions: 2 * n})
	payload := make([]byte, 60) // a classic session's
	for i := range n {
		mustCommit(t, s, benchToken(i), payload, clock.Now().Add(time.Minute))
	}
	peak := s.Stats().Mapped
	if peak < n*100 { // an entry, a record of token and payload, deadline, index slot
		t.Fatalf("Stats().Mapped = %d with %d sessions, want at least %d", peak, n, n*100)
	}
	clock.Add(time.Hour)
	s.sweep()
	st := s.Stats()
	if st.Live != 0 {
		t.Fatalf("%d sessions live after all expired", st.Live)
	}
	if st.Mapped > peak/100 {
		t.Errorf("Stats().Mapped = %d after all %d sessions expired, %d at the peak: want at most 1%%", st.Mapped, n, peak)
	}
	t.Logf("mapped: %d bytes with %d sessions, %d after they expired", peak, n, st.Mapped)
}
