package sessionstore

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// auditTokens returns n tokens of every form the store tells apart:
// canonical scs tokens, the same values spelled with trailing bits set
// (non-canonical), 43 characters that are not base64url, the decoded
// bytes themselves, and short ASCII tokens.
func auditTokens(n int) []string {
	toks := make([]string, 0, n)
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			toks = append(toks, t)
		}
	}
	for i := 0; len(toks) < n; i++ {
		c := benchToken(i)
		switch i % 6 {
		case 0, 1:
			add(c)
		case 2: // same 32 bytes, last digit with its low bits set
			const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
			last := strings.IndexByte(digits, c[42])
			add(c)
			add(c[:42] + string(digits[last+1+(i/6)%3])) // last is a multiple of 4
		case 3: // 43 bytes, one of them not a base64url digit
			add(c[:i%43] + "." + c[i%43+1:])
		case 4: // the decoded value as a token of its own
			raw, _ := base64.RawURLEncoding.DecodeString(c)
			add(string(raw))
			add(c)
		default:
			add(fmt.Sprintf("t%d", i))
		}
	}
	return toks[:n]
}

// auditPayload is the version-th payload of token: it names the token
// and version, and its filler follows from them, so that a payload of
// another session, or a torn or stale one, is told apart from the right
// one. Sizes cross slab classes, the 64 KiB slab limit and the mapping
// threshold, up to 1 MiB.
func auditPayload(token string, version uint64, size int) []byte {
	head := fmt.Appendf(nil, "%d:%s:%d:", len(token), token, version)
	b := make([]byte, max(size, len(head)))
	copy(b, head)
	x := version*0x9e3779b97f4a7c15 ^ uint64(len(token))
	for i := len(head); i < len(b); i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], splitmix(&x))
		copy(b[i:], w[:])
	}
	return b
}

// checkPayload reports what is wrong with b as a payload of token, or "".
func checkPayload(token string, b []byte) string {
	var n int
	var v uint64
	if _, err := fmt.Sscanf(string(b[:min(len(b), 20)]), "%d:", &n); err != nil {
		return fmt.Sprintf("no header in %q", b[:min(len(b), 40)])
	}
	prefix := fmt.Sprintf("%d:%s:", len(token), token)
	if !bytes.HasPrefix(b, []byte(prefix)) {
		return fmt.Sprintf("payload of another session: %q", b[:min(len(b), 80)])
	}
	rest := b[len(prefix):]
	colon := bytes.IndexByte(rest, ':')
	if colon < 0 {
		return "no version"
	}
	if _, err := fmt.Sscanf(string(rest[:colon]), "%d", &v); err != nil {
		return "bad version"
	}
	if want := auditPayload(token, v, len(b)); !bytes.Equal(b, want) {
		return fmt.Sprintf("version %d, %d bytes, corrupt", v, len(b))
	}
	return ""
}

func auditSize(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r == 0 && rng.IntN(4) == 0:
		return maxSlabRecord + rng.IntN(1<<20-maxSlabRecord) // large, mapped
	case r <= 1:
		return maxSlabRecord - 4 - 43 + rng.IntN(16) // either side of the slab limit
	case r < 4:
		return 0
	case r < 15:
		return 256 + rng.IntN(4000)
	}
	return rng.IntN(200)
}

// TestAuditModelShrinkCycles runs random commits, finds, deletes, expiries
// and sweeps (which shrink) against a map, through cycles of growing to
// the cap, mass expiry and growing again, with tokens of every form. A
// session the store no longer holds while the map does must have been
// evicted (with EvictWhenFull; without, no session may go missing, and
// only new sessions may be refused), and the store never returns data the
// map does not hold.
func TestAuditModelShrinkCycles(t *testing.T) {
	for _, evict := range []bool{false, true} {
		t.Run(fmt.Sprintf("EvictWhenFull=%v", evict), func(t *testing.T) {
			testAuditModelShrinkCycles(t, evict)
		})
	}
}

func testAuditModelShrinkCycles(t *testing.T, evict bool) {
	s, clock := newTestStore(t, Options{MaxSessions: 3000, Shards: 2, EvictWhenFull: evict})
	toks := auditTokens(9000)
	type session struct {
		version uint64
		size    int
		exp     time.Time
	}
	model := map[string]session{}
	rng := rand.New(rand.NewPCG(11, 12))
	var version uint64
	lost := 0 // sessions the model holds that the store had to evict
	evicted := func() int { return int(s.Stats().Evicted) }
	check := func(step int, tok string, got []byte, found bool) {
		t.Helper()
		want, ok := model[tok]
		if ok && clock.Now().After(want.exp) {
			delete(model, tok)
			ok = false
		}
		switch {
		case found && !ok:
			t.Fatalf("step %d: Find(%q) found a session the model does not hold", step, tok)
		case found:
			if msg := checkPayload(tok, got); msg != "" {
				t.Fatalf("step %d: Find(%q): %s", step, tok, msg)
			}
			if w := auditPayload(tok, want.version, want.size); !bytes.Equal(got, w) {
				t.Fatalf("step %d: Find(%q) = a stale or wrong version", step, tok)
			}
		case ok:
			delete(model, tok)
			if lost++; lost > evicted() {
				t.Fatalf("step %d: Find(%q) lost a session: %d lost, %d evicted", step, tok, lost, evicted())
			}
		}
	}
	const cycles, steps = 4, 12_000
	for c := range cycles {
		for step := range steps {
			grow := step < steps/2 // first half fills, second half mostly expires
			tok := toks[rng.IntN(len(toks))]
			switch r := rng.IntN(20); {
			case r < 9 || (grow && r < 17):
				version++
				size := auditSize(rng)
				life := time.Duration(1+rng.IntN(30)) * time.Second
				if old, ok := model[tok]; ok && !clock.Now().After(old.exp) && rng.IntN(4) == 0 {
					version, size = old.version, old.size // an unchanged session
				}
				if !grow && rng.IntN(10) != 0 {
					life = time.Duration(rng.IntN(3)) * time.Second
				}
				exp := clock.Now().Add(life)
				err := s.Commit(tok, auditPayload(tok, version, size), exp)
				if errors.Is(err, ErrFull) && !evict {
					if old, ok := model[tok]; ok && !clock.Now().After(old.exp) {
						t.Fatalf("step %d: Commit(%q) of a session held: %v", step, tok, err)
					}
					break
				}
				if err != nil {
					t.Fatalf("step %d: Commit(%q): %v", step, tok, err)
				}
				model[tok] = session{version: version, size: size, exp: exp}
			case r < 15:
				got, found := mustFind(t, s, tok)
				check(step, tok, got, found)
			case r < 16:
				if err := s.Delete(tok); err != nil {
					t.Fatal(err)
				}
				delete(model, tok)
			default:
				if !grow {
					clock.Add(time.Duration(rng.IntN(800)) * time.Millisecond)
				}
				if rng.IntN(3) == 0 {
					s.sweep()
				}
			}
			if step%3000 == 0 {
				checkInvariants(t, s)
			}
		}
		// Everything the model holds, All holds, and nothing else.
		all, err := s.All()
		if err != nil {
			t.Fatal(err)
		}
		for tok, b := range all {
			if msg := checkPayload(tok, b); msg != "" {
				t.Fatalf("cycle %d: All()[%q]: %s", c, tok, msg)
			}
			check(-1, tok, b, true)
		}
		for tok := range model {
			if _, ok := all[tok]; !ok {
				check(-1, tok, nil, false)
			}
		}
		clock.Add(40 * time.Second) // mass expiry, then shrink
		s.sweep()
		s.sweep()
		checkInvariants(t, s)
		if got := s.Stats().Live; got != 0 {
			t.Fatalf("cycle %d: %d sessions live after every deadline passed", c, got)
		}
		if got := s.mapped.Load(); got != 0 {
			t.Fatalf("cycle %d: %d bytes still mapped after every session expired", c, got)
		}
		clear(model)
	}
	t.Logf("lost to eviction %d of %d evicted; %d refused", lost, evicted(), s.Stats().Refused)
	if !evict && s.Stats().Refused == 0 {
		t.Errorf("Refused = 0: the cycles never filled the store")
	}
}

// TestAuditConcurrentShrink runs Find, Commit, Delete and All from many
// goroutines while the background sweep runs every 200µs, expiring most
// sessions and shrinking (and unmapping) arrays as load comes and goes in
// waves. Every payload seen must be whole and the token's own. The store
// evicts, so that every Commit lands and shards stay busy at the cap.
func TestAuditConcurrentShrink(t *testing.T) {
	s := New(Options{MaxSessions: 3000, Shards: 2, SweepInterval: 200 * time.Microsecond, EvictWhenFull: true})
	t.Cleanup(func() { s.Close() })
	toks := auditTokens(16_000)
	const workers = 3
	deadline := time.Now().Add(2500 * time.Millisecond)
	var wg sync.WaitGroup
	var stop sync.Once
	done := make(chan struct{})
	fail := func(format string, args ...any) {
		t.Errorf(format, args...)
		stop.Do(func() { close(done) })
	}
	stopped := func() bool {
		select {
		case <-done:
			return true
		default:
			return time.Now().After(deadline)
		}
	}
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			version := uint64(w) << 40
			for wave := 0; !stopped(); wave++ {
				// A burst of short-lived sessions, then quiet while they
				// expire and the sweep shrinks the shards.
				for i := 0; i < 4000 && !stopped(); i++ {
					tok := toks[rng.IntN(len(toks))]
					switch r := rng.IntN(10); {
					case r < 6:
						version++
						size := auditSize(rng)
						if size > maxSlabRecord && rng.IntN(4) != 0 {
							size = rng.IntN(100)
						}
						life := time.Duration(1+rng.IntN(20)) * time.Millisecond
						if rng.IntN(4) == 0 {
							life = time.Hour
						}
						if err := s.Commit(tok, auditPayload(tok, version, size), time.Now().Add(life)); err != nil {
							fail("Commit(%q): %v", tok, err)
							return
						}
					case r < 9:
						b, found, err := s.Find(tok)
						if err != nil {
							fail("Find(%q): %v", tok, err)
							return
						}
						if found {
							if msg := checkPayload(tok, b); msg != "" {
								fail("Find(%q): %s", tok, msg)
								return
							}
						}
					default:
						if err := s.Delete(tok); err != nil {
							fail("Delete(%q): %v", tok, err)
							return
						}
					}
				}
				time.Sleep(time.Duration(5+rng.IntN(30)) * time.Millisecond)
			}
		})
	}
	wg.Go(func() {
		for !stopped() {
			all, err := s.All()
			if err != nil {
				fail("All: %v", err)
				return
			}
			for tok, b := range all {
				if msg := checkPayload(tok, b); msg != "" {
					fail("All()[%q]: %s", tok, msg)
					return
				}
			}
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()
	s.Close()
	checkInvariants(t, s)
	st := s.Stats()
	t.Logf("%+v, %d bytes mapped", st, s.mapped.Load())
	if st.Expired == 0 || st.Deleted == 0 {
		t.Errorf("Stats() = %+v: want expiries and deletes", st)
	}
}

// TestAuditAllDuringMassExpiry fills one shard until its arrays are
// mapped, then lets every session expire at once while All, Find and
// Commit run, so that the background sweep empties, shrinks and unmaps
// the arrays All is copying from; three times.
func TestAuditAllDuringMassExpiry(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{MaxSessions: 50_000, Shards: 1, SweepInterval: 100 * time.Microsecond, Now: clock.Now})
	t.Cleanup(func() { s.Close() })
	toks := auditTokens(20_000)
	for round := range 3 {
		exp := clock.Now().Add(time.Second)
		for i, tok := range toks {
			mustCommit(t, s, tok, auditPayload(tok, uint64(round), i%300), exp)
		}
		if got := s.mapped.Load(); got < 20_000*32 {
			t.Fatalf("round %d: %d bytes mapped for 20,000 sessions", round, got)
		}
		clock.Add(2 * time.Second)
		var wg sync.WaitGroup
		end := time.Now().Add(400 * time.Millisecond)
		wg.Go(func() {
			for time.Now().Before(end) {
				all, err := s.All()
				if err != nil {
					t.Error(err)
					return
				}
				for tok, b := range all {
					if msg := checkPayload(tok, b); msg != "" {
						t.Errorf("round %d: All()[%q]: %s", round, tok, msg)
						return
					}
				}
			}
		})
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(round), 1))
			for i := 0; time.Now().Before(end); i++ {
				tok := toks[rng.IntN(len(toks))]
				if i%2 == 0 {
					size := rng.IntN(300)
					if i%64 == 0 {
						size = maxSlabRecord + rng.IntN(200_000)
					}
					life := time.Duration(rng.IntN(100)) * time.Millisecond
					mustCommit(t, s, tok, auditPayload(tok, uint64(i)+10, size), clock.Now().Add(life))
				} else if b, found := mustFind(t, s, tok); found {
					if msg := checkPayload(tok, b); msg != "" {
						t.Errorf("round %d: Find(%q): %s", round, tok, msg)
						return
					}
				}
				if i%16 == 0 {
					clock.Add(time.Millisecond)
				}
			}
		})
		wg.Wait()
		clock.Add(time.Second)
	}
	s.Close()
	checkInvariants(t, s)
}

// TestAuditForcedHashCollisions gives every token of a shard one of three
// index hashes, so that every lookup walks past other tokens' slots with
// its own hash, among them the same value spelled canonically and not,
// and its decoded bytes. A token must only ever find its own session.
func TestAuditForcedHashCollisions(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 200, Shards: 1, EvictWhenFull: true})
	sh := &s.shards[0]
	toks := auditTokens(300)
	rng := rand.New(rand.NewPCG(21, 22))
	model := map[string]uint64{} // token: version stored
	lost := 0
	exp := clock.Now().Add(time.Hour).UnixNano()
	now := clock.Now().UnixNano()
	for step := range 20_000 {
		tok := toks[rng.IntN(len(toks))]
		k := key{raw: tok, table: s.b64}
		h := uint32(len(tok) % 3)
		sh.mu.Lock()
		slot, pos, found := sh.lookup(&k, h)
		var got []byte
		if found {
			got = bytes.Clone(sh.payload(&sh.entries[pos]))
		}
		sh.mu.Unlock()
		want, ok := model[tok]
		switch {
		case found && !ok:
			t.Fatalf("step %d: %q found a session never stored", step, tok)
		case found:
			if !bytes.Equal(got, auditPayload(tok, want, len(got))) {
				t.Fatalf("step %d: %q found %q", step, tok, got[:min(len(got), 80)])
			}
		case ok:
			delete(model, tok)
			if lost++; lost > int(sh.evicted.Load()) {
				t.Fatalf("step %d: %q lost: %d lost, %d evicted", step, tok, lost, sh.evicted.Load())
			}
		}
		sh.mu.Lock()
		switch r := rng.IntN(4); {
		case r < 3 && !found:
			version := uint64(step)
			if err := sh.insert(&k, h, auditPayload(tok, version, rng.IntN(300)), exp, now); err != nil {
				t.Fatal(err)
			}
			model[tok] = version
		case r == 3 && found:
			sh.removeAt(pos, slot)
			sh.deleted.Add(1)
			delete(model, tok)
		}
		sh.mu.Unlock()
	}
	for tok := range model { // what eviction took since it was last looked up
		k := key{raw: tok, table: s.b64}
		sh.mu.Lock()
		_, _, ok := sh.lookup(&k, uint32(len(tok)%3))
		sh.mu.Unlock()
		if !ok {
			delete(model, tok)
		}
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.evicted.Load() == 0 || sh.idx.count != len(sh.entries) || len(model) != len(sh.entries) {
		t.Fatalf("%d evicted, index %d, entries %d, model %d", sh.evicted.Load(), sh.idx.count, len(sh.entries), len(model))
	}
	for p := range sh.entries {
		e := &sh.entries[p]
		tok := tokenOf(sh.storedKey(e), e.compact)
		k := key{raw: tok, table: s.b64}
		if _, pos, ok := sh.lookup(&k, uint32(len(tok)%3)); !ok || pos != int32(p) {
			t.Fatalf("entry %d (%q): lookup = %d, %v", p, tok, pos, ok)
		}
	}
}
