package sessionstore

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestFindReturnsCopy: the store reuses its memory, so what Find returns
// must be the caller's own.
func TestFindReturnsCopy(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	mustCommit(t, s, "tok", []byte("data"), clock.Now().Add(time.Minute))
	a, _ := mustFind(t, s, "tok")
	b, _ := mustFind(t, s, "tok")
	if &a[0] == &b[0] {
		t.Fatalf("two Finds returned the same memory")
	}
	copy(a, "XXXX")
	if c, _ := mustFind(t, s, "tok"); string(c) != "data" {
		t.Fatalf("after the caller wrote to a found slice, Find = %q, want %q", c, "data")
	}
	mustCommit(t, s, "tok", []byte("new!"), clock.Now().Add(time.Minute))
	if string(b) != "data" {
		t.Fatalf("a Commit of the same size changed a found slice to %q", b)
	}
}

// TestClassOf: every record size has a class whose records fit it, the
// next smaller class does not, and the waste is bounded.
func TestClassOf(t *testing.T) {
	prev := uint8(0)
	for n := 1; n <= maxSlabRecord; n++ {
		c, size := classOf(n)
		if c >= numClasses || size < n || classSize(c) != size {
			t.Fatalf("classOf(%d) = %d, %d; classSize = %d", n, c, size, classSize(c))
		}
		if c > 0 && classSize(c-1) >= n {
			t.Fatalf("classOf(%d) = %d, but class %d (%d bytes) fits", n, c, c-1, classSize(c-1))
		}
		if c < prev {
			t.Fatalf("classOf(%d) = %d, below classOf(%d) = %d", n, c, n-1, prev)
		}
		if waste := size - n; waste > max(7, size/8) {
			t.Fatalf("classOf(%d): %d-byte records waste %d bytes", n, size, waste)
		}
		prev = c
	}
	if c, _ := classOf(maxSlabRecord + 1); c != largeClass {
		t.Fatalf("classOf(%d) = %d, want largeClass", maxSlabRecord+1, c)
	}
}

// TestCompactTokens: scs's tokens are kept as the 32 bytes they decode to
// and come back unchanged from All; tokens that are not in that exact form
// are kept as they are, each its own session.
func TestCompactTokens(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 1000})
	exp := clock.Now().Add(time.Minute)
	raw := bytes.Repeat([]byte{0xfb}, 32)
	canonical := base64.RawURLEncoding.EncodeToString(raw) // ends in "-w"
	tokens := map[string]bool{                             // token: want it stored compact
		canonical:            true,
		benchToken(1):        true,
		benchToken(2):        true,
		canonical[:42] + "x": false, // bits past the last byte set: not what the encoder writes
		"+" + canonical[1:]:  false, // standard base64, not URL-safe
		canonical[:42]:       false,
		canonical + "A":      false,
		string(raw):          false, // the decoded bytes themselves are another token
	}
	for tok := range tokens {
		mustCommit(t, s, tok, []byte("data of "+tok), exp)
	}
	for tok, compact := range tokens {
		k, sh, h := s.keyOf(tok)
		sh.mu.Lock()
		_, pos, ok := sh.lookup(&k, h)
		e := sh.entries[pos]
		sh.mu.Unlock()
		if !ok || e.compact != compact || (compact && e.keyLen != compactKeyLen) || k.compact() != compact {
			t.Errorf("%q: found %v, compact %v (key %d bytes), want compact %v", tok, ok, e.compact, e.keyLen, compact)
		}
		if b, _ := mustFind(t, s, tok); string(b) != "data of "+tok {
			t.Errorf("Find(%q) = %q", tok, b)
		}
	}
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(tokens) {
		t.Errorf("All() holds %d sessions, want %d", len(all), len(tokens))
	}
	for tok := range tokens {
		if string(all[tok]) != "data of "+tok {
			t.Errorf("All()[%q] = %q", tok, all[tok])
		}
	}
	checkInvariants(t, s)
}

// TestStoreMatchesModel runs random commits (of sizes in one class, across
// classes and too big for any slab), finds, deletes and expiries against
// a map, checking contents and invariants as it goes.
func TestStoreMatchesModel(t *testing.T) {
	s, clock := newTestStore(t, Options{MaxSessions: 100_000, Shards: 2})
	type session struct {
		data []byte
		exp  time.Time
	}
	model := map[string]session{}
	rng := rand.New(rand.NewPCG(3, 4))
	size := func() int {
		switch r := rng.IntN(20); {
		case r == 0:
			return maxSlabRecord + rng.IntN(3*maxSlabRecord)
		case r == 1:
			return 0
		case r < 5:
			return 200 + rng.IntN(3000)
		}
		return rng.IntN(120)
	}
	token := func() string {
		i := rng.IntN(400)
		if i%3 == 0 {
			return fmt.Sprintf("tok-%d", i)
		}
		return benchToken(i)
	}
	for step := range 6000 {
		tok := token()
		now := clock.Now()
		switch r := rng.IntN(10); {
		case r < 5:
			b := make([]byte, size())
			for j := range b {
				b[j] = byte(rng.Uint32())
			}
			if old, ok := model[tok]; ok && !now.After(old.exp) && rng.IntN(3) == 0 {
				b = bytes.Clone(old.data) // an unchanged session
			}
			exp := now.Add(time.Duration(1+rng.IntN(50)) * time.Second)
			mustCommit(t, s, tok, b, exp)
			model[tok] = session{data: b, exp: exp}
		case r < 8:
			got, found := mustFind(t, s, tok)
			want, ok := model[tok]
			if ok && now.After(want.exp) {
				ok, want = false, session{}
				delete(model, tok)
			}
			if found != ok || !bytes.Equal(got, want.data) {
				t.Fatalf("step %d: Find(%q) = %d bytes, %v; want %d bytes, %v", step, tok, len(got), found, len(want.data), ok)
			}
		case r < 9:
			if err := s.Delete(tok); err != nil {
				t.Fatal(err)
			}
			delete(model, tok)
		default:
			clock.Add(time.Duration(rng.IntN(3)) * time.Second)
			if rng.IntN(4) == 0 {
				s.sweep()
			}
		}
		if step%500 == 0 {
			checkInvariants(t, s)
		}
	}
	now := clock.Now()
	for tok, want := range model {
		if now.After(want.exp) {
			delete(model, tok)
		}
	}
	all, _ := s.All()
	if len(all) != len(model) {
		t.Fatalf("All() holds %d sessions, the model %d", len(all), len(model))
	}
	for tok, want := range model {
		if !bytes.Equal(all[tok], want.data) {
			t.Fatalf("All()[%q] differs from the model", tok)
		}
	}
	checkInvariants(t, s)
}

// TestMappedMemoryComesBack: on Linux a large shard's arrays are mapped
// outside the Go heap; once its sessions are gone every mapping is gone
// too, and so is everything of a store that is garbage collected.
func TestMappedMemoryComesBack(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory is mapped outside the Go heap only on Linux")
	}
	s, clock := newTestStore(t, Options{MaxSessions: 100_000, Shards: 1})
	now := clock.Now()
	big := []byte(strings.Repeat("x", 2*maxSlabRecord))
	for i := range 20_000 {
		mustCommit(t, s, benchToken(i), benchPayload(i, 0)[:60], now.Add(time.Second))
	}
	mustCommit(t, s, "big", big, now.Add(time.Second))
	if got := s.mapped.Load(); got < 20_000*100 {
		t.Fatalf("%d bytes mapped for 20,000 sessions, want at least 2,000,000", got)
	}
	clock.Add(time.Minute)
	s.sweep()
	if got := s.mapped.Load(); got != 0 {
		t.Fatalf("%d bytes still mapped after every session expired", got)
	}
	for i := range 20_000 {
		mustCommit(t, s, benchToken(i), []byte("x"), clock.Now().Add(time.Hour))
	}
	freeShards(s.shards)
	if got := s.mapped.Load(); got != 0 {
		t.Fatalf("%d bytes still mapped after freeShards", got)
	}
	wantFound(t, s, benchToken(1), false)
	mustCommit(t, s, benchToken(1), []byte("again"), clock.Now().Add(time.Hour))
	wantFound(t, s, benchToken(1), true)
}

// TestAllocations: a Find allocates only the copy it returns, and a
// Commit that changes nothing allocates nothing, whatever the token.
func TestAllocations(t *testing.T) {
	s, clock := newTestStore(t, Options{})
	exp := clock.Now().Add(time.Hour)
	for _, tok := range []string{benchToken(7), "not-an-scs-token"} {
		data := benchPayloadOf(60, 7, 0)
		mustCommit(t, s, tok, data, exp)
		if n := testing.AllocsPerRun(100, func() { mustFind(t, s, tok) }); n != 1 {
			t.Errorf("Find(%q) allocates %v times, want 1", tok, n)
		}
		if n := testing.AllocsPerRun(100, func() { mustCommit(t, s, tok, data, exp) }); n != 0 {
			t.Errorf("an unchanged Commit(%q) allocates %v times, want 0", tok, n)
		}
		other := benchPayloadOf(60, 7, 1)
		if n := testing.AllocsPerRun(100, func() { mustCommit(t, s, tok, other, exp) }); n != 0 {
			t.Errorf("a Commit(%q) of as many other bytes allocates %v times, want 0", tok, n)
		}
	}
}

// TestTokenDecoding: the decoder agrees with encoding/base64 on what is a
// canonical token and on what it decodes to.
func TestTokenDecoding(t *testing.T) {
	table := newBase64Table()
	strict := base64.RawURLEncoding.Strict()
	rng := rand.New(rand.NewPCG(5, 6))
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.\n"
	for i := range 20_000 {
		var tok string
		if i%2 == 0 {
			tok = benchToken(i)
		} else {
			b := make([]byte, compactTokenLen)
			for j := range b {
				b[j] = digits[rng.IntN(64+rng.IntN(2)*len(digits[64:]))]
			}
			tok = string(b)
		}
		var got [compactKeyLen]byte
		ok := table.decode(&got, tok)
		want, err := strict.DecodeString(tok)
		wantOK := err == nil && len(want) == compactKeyLen
		if ok != wantOK || (ok && !bytes.Equal(got[:], want)) {
			t.Fatalf("decode(%q) = %x, %v; encoding/base64 says %x, %v", tok, got, ok, want, err)
		}
	}
	var got [compactKeyLen]byte
	for _, tok := range []string{"", "short", strings.Repeat("A", 44)} {
		if table.decode(&got, tok) {
			t.Errorf("decode(%q) = true, want false", tok)
		}
	}
}
