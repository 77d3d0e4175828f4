package sessionstore

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// fillStore commits new sessions until s holds its cap of sessions that
// last an hour, every shard full, and returns their tokens; the tokens
// that found their shard full on the way are refused and not returned.
func fillStore(tb testing.TB, s *Store, clock *fakeClock, maxSessions int) []string {
	tb.Helper()
	exp := clock.Now().Add(time.Hour)
	var held []string
	for i := 0; len(held) < maxSessions; i++ {
		if i > 100*maxSessions {
			tb.Fatalf("%d sessions held after %d commits, want %d", len(held), i, maxSessions)
		}
		tok := fmt.Sprintf("held-%d", i)
		err := s.Commit(tok, []byte("answers of "+tok), exp)
		if errors.Is(err, ErrFull) {
			continue
		}
		if err != nil {
			tb.Fatalf("Commit(%q): %v", tok, err)
		}
		held = append(held, tok)
	}
	return held
}

// TestFullStoreRefusesNewSessions: a store holding its cap of unexpired
// sessions refuses a new one with ErrFull, stores nothing, counts the
// refusal and keeps every session it holds, data and all; a Commit to a
// token it holds still goes through.
func TestFullStoreRefusesNewSessions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"one shard", Options{MaxSessions: 100}},
		{"eight shards", Options{MaxSessions: 800, Shards: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newTestStore(t, tt.opts)
			held := fillStore(t, s, clock, tt.opts.MaxSessions)
			before := s.Stats()

			const extra = 50
			for i := range extra {
				tok := fmt.Sprintf("new-%d", i)
				err := s.Commit(tok, []byte("x"), clock.Now().Add(time.Hour))
				if !errors.Is(err, ErrFull) {
					t.Fatalf("Commit(%q) to a full store: error %v, want ErrFull", tok, err)
				}
				wantFound(t, s, tok, false)
			}
			st := s.Stats()
			if got, want := st.Refused, before.Refused+extra; got != want {
				t.Errorf("Refused = %d, want %d", got, want)
			}
			if st.Live != int64(tt.opts.MaxSessions) || st.Created != before.Created || st.Evicted != 0 {
				t.Errorf("Stats() = %+v, want Live %d, Created %d, Evicted 0", st, tt.opts.MaxSessions, before.Created)
			}
			for _, tok := range held {
				b, found := mustFind(t, s, tok)
				if got, want := string(b), "answers of "+tok; !found || got != want {
					t.Fatalf("Find(%q) = %q, %v; want %q, true", tok, got, found, want)
				}
			}
			// A session the store holds is never refused.
			mustCommit(t, s, held[0], []byte("next step"), clock.Now().Add(time.Hour))
			if b, _ := mustFind(t, s, held[0]); string(b) != "next step" {
				t.Fatalf("Find(%q) = %q after a Commit to a full store, want %q", held[0], b, "next step")
			}
			checkInvariants(t, s)
		})
	}
}

// TestTwoRequestFlood is the review's attack: users in the middle of a
// wizard (each session created, then found and committed again), then a
// flood of sessions that each make two requests, a Commit and a Find,
// which promotes them as a user's second request would. By default the
// flood is refused once the store is full and no user loses a session.
// With EvictWhenFull the same flood pushes users out: that shows the
// scenario is strong enough for the default's result to mean something.
func TestTwoRequestFlood(t *testing.T) {
	const (
		maxSessions = 1000 // one shard
		users       = 100
		flood       = 5000
	)
	for _, evict := range []bool{false, true} {
		t.Run(fmt.Sprintf("EvictWhenFull=%v", evict), func(t *testing.T) {
			s, clock := newTestStore(t, Options{MaxSessions: maxSessions, EvictWhenFull: evict})
			exp := clock.Now().Add(30 * time.Minute)
			user := func(i int) string { return fmt.Sprintf("user-%d", i) }
			for i := range users {
				mustCommit(t, s, user(i), []byte("step 1 answered"), exp)
				wantFound(t, s, user(i), true)
				mustCommit(t, s, user(i), []byte("step 2 answered"), exp)
			}
			refused := 0
			for i := range flood {
				tok := fmt.Sprintf("flood-%d", i)
				err := s.Commit(tok, []byte("x"), exp)
				if errors.Is(err, ErrFull) && !evict {
					refused++
					continue
				}
				if err != nil {
					t.Fatalf("Commit(%q): %v", tok, err)
				}
				wantFound(t, s, tok, true)
			}
			lost := 0
			for i := range users {
				b, found := mustFind(t, s, user(i))
				switch {
				case !found:
					lost++
				case string(b) != "step 2 answered":
					t.Fatalf("Find(%q) = %q, want %q", user(i), b, "step 2 answered")
				}
			}
			st := s.Stats()
			t.Logf("users lost %d of %d; %+v", lost, users, st)
			if evict {
				if lost == 0 {
					t.Errorf("with EvictWhenFull no user was lost: the flood no longer threatens them")
				}
				return
			}
			if lost != 0 {
				t.Errorf("users lost = %d, want 0", lost)
			}
			if want := flood - (maxSessions - users); refused != want || st.Refused != uint64(want) {
				t.Errorf("flood refused %d, Stats().Refused = %d; want both %d", refused, st.Refused, want)
			}
			if st.Evicted != 0 {
				t.Errorf("Evicted = %d, want 0", st.Evicted)
			}
			checkInvariants(t, s)
		})
	}
}

// TestFullStoreTakesNewSessionOnceOneExpires: refusal lasts only while
// every session held is unexpired. Once one passes its deadline, the
// next new session takes its place, whether it is a new token or the
// expired session's own.
func TestFullStoreTakesNewSessionOnceOneExpires(t *testing.T) {
	const maxSessions = 100 // one shard
	s, clock := newTestStore(t, Options{MaxSessions: maxSessions})
	now := clock.Now()
	for i := range maxSessions {
		life := time.Hour
		if i == 40 || i == 60 {
			life = time.Minute
		}
		mustCommit(t, s, fmt.Sprintf("tok-%d", i), []byte("data"), now.Add(life))
	}
	if err := s.Commit("late", []byte("data"), now.Add(time.Hour)); !errors.Is(err, ErrFull) {
		t.Fatalf("Commit(late) to a full store: error %v, want ErrFull", err)
	}

	clock.Add(time.Minute + time.Nanosecond)
	mustCommit(t, s, "late", []byte("data"), clock.Now().Add(time.Hour))
	mustCommit(t, s, "tok-60", []byte("again"), clock.Now().Add(time.Hour))
	if err := s.Commit("later", []byte("data"), clock.Now().Add(time.Hour)); !errors.Is(err, ErrFull) {
		t.Fatalf("Commit(later) with no session expired: error %v, want ErrFull", err)
	}

	wantFound(t, s, "late", true)
	wantFound(t, s, "tok-40", false)
	if b, _ := mustFind(t, s, "tok-60"); string(b) != "again" {
		t.Fatalf("Find(tok-60) = %q, want %q", b, "again")
	}
	if st := s.Stats(); st.Live != maxSessions || st.Expired != 2 || st.Refused != 2 || st.Evicted != 0 {
		t.Fatalf("Stats() = %+v, want Live %d, Expired 2, Refused 2, Evicted 0", st, maxSessions)
	}
	checkInvariants(t, s)
}

// TestEvictWhenFullEvicts: with EvictWhenFull, a full store takes every
// new session, evicting the least recently used once-used session, as the
// store did before refusing became the default.
func TestEvictWhenFullEvicts(t *testing.T) {
	const maxSessions = 100 // one shard
	s, clock := newTestStore(t, Options{MaxSessions: maxSessions, EvictWhenFull: true})
	exp := clock.Now().Add(time.Hour)
	for i := range maxSessions {
		mustCommit(t, s, fmt.Sprintf("tok-%d", i), []byte("data"), exp)
	}
	wantFound(t, s, "tok-0", true) // used twice: protected
	for i := range 3 {
		mustCommit(t, s, fmt.Sprintf("new-%d", i), []byte("data"), exp)
	}
	for tok, want := range map[string]bool{
		"tok-0": true, "tok-1": false, "tok-2": false, "tok-3": false, "tok-4": true,
		"new-0": true, "new-1": true, "new-2": true,
	} {
		wantFound(t, s, tok, want)
	}
	if st := s.Stats(); st.Live != maxSessions || st.Evicted != 3 || st.Refused != 0 {
		t.Fatalf("Stats() = %+v, want Live %d, Evicted 3, Refused 0", st, maxSessions)
	}
	checkInvariants(t, s)
}
