package sessionstore

import (
	"bytes"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// The store must satisfy both scs interfaces.
var (
	_ scs.Store         = (*Store)(nil)
	_ scs.IterableStore = (*Store)(nil)
)

// The first cases mirror scs's memstore tests.

func TestFind(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "session_token", []byte("encoded_data"), clock.Now().Add(time.Second))

	b, found := mustFind(t, s, "session_token")
	if !found {
		t.Fatalf("found = %v, want true", found)
	}
	if want := []byte("encoded_data"); !bytes.Equal(b, want) {
		t.Fatalf("got %q, want %q", b, want)
	}
}

func TestFindMissing(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	b, found := mustFind(t, s, "missing_session_token")
	if found || b != nil {
		t.Fatalf("got %q, %v; want nil, false", b, found)
	}
}

func TestCommitNew(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "session_token", []byte("encoded_data"), clock.Now().Add(time.Minute))

	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"session_token": []byte("encoded_data")}
	if !maps.EqualFunc(all, want, bytes.Equal) {
		t.Fatalf("All() = %q, want %q", all, want)
	}
	if got := s.Stats(); got.Created != 1 || got.Live != 1 {
		t.Fatalf("Stats() = %+v, want Created 1, Live 1", got)
	}
}

func TestCommitUpdated(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "session_token", []byte("encoded_data"), clock.Now().Add(time.Minute))
	mustCommit(t, s, "session_token", []byte("new_encoded_data"), clock.Now().Add(time.Minute))

	b, _ := mustFind(t, s, "session_token")
	if want := []byte("new_encoded_data"); !bytes.Equal(b, want) {
		t.Fatalf("got %q, want %q", b, want)
	}
	if got := s.Stats(); got.Created != 1 || got.Live != 1 {
		t.Fatalf("Stats() = %+v, want Created 1, Live 1", got)
	}
}

func TestExpiry(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "session_token", []byte("encoded_data"), clock.Now().Add(100*time.Millisecond))
	wantFound(t, s, "session_token", true)

	clock.Add(101 * time.Millisecond)
	wantFound(t, s, "session_token", false)
	if got := s.Stats(); got.Expired != 1 || got.Live != 0 {
		t.Fatalf("Stats() = %+v, want Expired 1, Live 0", got)
	}
}

func TestDelete(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "session_token", []byte("encoded_data"), clock.Now().Add(time.Second))

	if err := s.Delete("session_token"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantFound(t, s, "session_token", false)
	if got := s.Stats(); got.Deleted != 1 || got.Live != 0 {
		t.Fatalf("Stats() = %+v, want Deleted 1, Live 0", got)
	}
}

func TestDeleteMissing(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	if err := s.Delete("missing_session_token"); err != nil {
		t.Fatalf("Delete of a missing token = %v, want nil", err)
	}
	if got := s.Stats(); got.Deleted != 0 {
		t.Fatalf("Stats().Deleted = %d, want 0", got.Deleted)
	}
}

func TestAll(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	now := clock.Now()
	mustCommit(t, s, "a", []byte("1"), now.Add(time.Minute))
	mustCommit(t, s, "b", []byte("2"), now.Add(time.Hour))
	mustCommit(t, s, "gone", []byte("3"), now.Add(time.Second))
	clock.Add(2 * time.Second)

	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{"a": []byte("1"), "b": []byte("2")}
	if !maps.EqualFunc(all, want, bytes.Equal) {
		t.Fatalf("All() = %q, want %q", all, want)
	}
}

func TestAllEmptyIsNotNil(t *testing.T) {
	s, _ := newTestStore(t, Options{})
	all, err := s.All()
	if err != nil || all == nil || len(all) != 0 {
		t.Fatalf("All() = %v, %v; want an empty non-nil map, nil", all, err)
	}
}

// TestCommitCopies: the store keeps its own copy, so the caller may reuse
// its buffer, and a later Commit does not change data a Find returned.
func TestCommitCopies(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	exp := clock.Now().Add(time.Minute)
	buf := []byte("first")
	mustCommit(t, s, "tok", buf, exp)
	copy(buf, "XXXXX")

	got, _ := mustFind(t, s, "tok")
	if string(got) != "first" {
		t.Fatalf("after the caller reused its buffer, Find = %q, want %q", got, "first")
	}
	mustCommit(t, s, "tok", []byte("second"), exp)
	if string(got) != "first" {
		t.Fatalf("a slice returned by Find changed to %q after a Commit, want %q", got, "first")
	}
	if got = append(got, '!'); string(got) != "first!" {
		t.Fatalf("append to a found slice = %q", got)
	}
	b, _ := mustFind(t, s, "tok")
	if string(b) != "second" {
		t.Fatalf("Find = %q, want %q", b, "second")
	}
}

func TestLongTokenRefused(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	long := strings.Repeat("x", maxTokenLen+1)
	if err := s.Commit(long, []byte("data"), clock.Now().Add(time.Minute)); err == nil {
		t.Fatalf("Commit of a %d-byte token = nil, want an error", len(long))
	}
	wantFound(t, s, long, false)
	ok := strings.Repeat("x", maxTokenLen)
	mustCommit(t, s, ok, []byte("data"), clock.Now().Add(time.Minute))
	wantFound(t, s, ok, true)
}

func TestOptionsDefaults(t *testing.T) {
	tests := []struct {
		in         Options
		max, parts int
	}{
		{Options{}, DefaultMaxSessions, DefaultShards},
		{Options{MaxSessions: 10_000}, 10_000, 8},
		{Options{MaxSessions: 1000}, 1000, 1},
		{Options{MaxSessions: 5}, 5, 1},
		{Options{MaxSessions: 5, Shards: 3}, 5, 4},
		{Options{MaxSessions: 3, Shards: 16}, 3, 2},
		{Options{MaxSessions: -1}, DefaultMaxSessions, DefaultShards},
	}
	for _, tt := range tests {
		got := tt.in.withDefaults()
		if got.MaxSessions != tt.max || got.Shards != tt.parts {
			t.Errorf("%+v: MaxSessions, Shards = %d, %d; want %d, %d", tt.in, got.MaxSessions, got.Shards, tt.max, tt.parts)
		}
	}
}

// TestShardCapacitiesSumToCap: the cap is split exactly, not rounded up.
func TestShardCapacitiesSumToCap(t *testing.T) {
	s, _ := newTestStore(t, Options{MaxSessions: 1001, Shards: 8})
	sum := 0
	for i := range s.shards {
		sum += s.shards[i].capacity
	}
	if sum != 1001 {
		t.Fatalf("shard capacities sum to %d, want 1001", sum)
	}
}

func TestCloseStopsSweep(t *testing.T) {
	s := New(Options{SweepInterval: time.Millisecond})
	// Commit removes expired sessions itself, so let this one expire
	// after the last Commit: only the sweep can remove it.
	mustCommit(t, s, "tok", []byte("data"), time.Now().Add(20*time.Millisecond))
	deadline := time.Now().Add(5 * time.Second)
	for s.Stats().Live != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the background sweep did not remove an expired session within 5s")
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close = %v, want nil", err)
	}
}
