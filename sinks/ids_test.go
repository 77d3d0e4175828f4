package sinks_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wizard/wizard"
)

// TestJSONLIDsOfAnyShape: IDs of the shape handlers makes are held
// compactly, any other ID as it is, and no two different IDs are taken for
// one another, before or after reopening the file.
func TestJSONLIDsOfAnyShape(t *testing.T) {
	const canonical = "0123456789ABCDEFGHJKMNPQR" // 25 characters of the alphabet
	stored := []string{
		canonical,
		"ZZZZZZZZZZZZZZZZZZZZZZZZZ",
		"0000000000000000000000000", // all bits zero: not the empty ID
		"short",
		"",
		"0123456789ABCDEFGHJKMNPQRS", // 26 characters
		"0123456789ABCDEFGHJKMNPQRU", // U is not in Crockford's alphabet
		"0123456789abcdefghjkmnpqr",  // lower case: a string of its own
		"É123456789ABCDEFGHJKMNPQ",   // 25 bytes, not 25 characters
	}
	absent := []string{
		"0123456789ABCDEFGHJKMNPQS", // differs in the last character
		"1123456789ABCDEFGHJKMNPQR", // differs in the first
		"0123456789ABCDEFGHJKMNPQ",  // a prefix
		"0123456789ABCDEFGHJKMNPQr", // one character's case
		"0123456789ABCDEFGHJKMNPQRSX",
		"0I23456789ABCDEFGHJKMNPQR", // I read as 1 by a person, not by the sink
		"00000000000000000000000000",
		"ZZZZZZZZZZZZZZZZZZZZZZZZY",
		"short ",
	}
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	s := mustOpen(t, path)
	for _, id := range stored {
		sub := submission(id + "xxx")
		sub.ID = id
		if err := s.Submit(context.Background(), sub); err != nil {
			t.Fatalf("Submit(%q): %v", id, err)
		}
	}
	check := func(when string, held func(string) bool) {
		t.Helper()
		for _, id := range stored {
			if !held(id) {
				t.Errorf("%s: %q not held", when, id)
			}
		}
		for _, id := range absent {
			if held(id) {
				t.Errorf("%s: %q held, but only %q were stored", when, id, stored)
			}
		}
	}
	check("after Submit", func(id string) bool { ok, _ := s.Submitted(context.Background(), id); return ok })
	s.Close()
	s2 := mustOpen(t, path)
	check("after reopening", func(id string) bool { ok, _ := s2.Submitted(context.Background(), id); return ok })
	for _, id := range absent {
		sub := submission(id + "xxx")
		sub.ID = id
		if err := s2.Submit(context.Background(), sub); err != nil {
			t.Errorf("Submit(%q), an ID never stored: %v", id, err)
		}
	}
	for _, id := range stored {
		sub := submission(id + "xxx")
		sub.ID = id
		if err := s2.Submit(context.Background(), sub); !errors.Is(err, wizard.ErrAlreadySubmitted) {
			t.Errorf("Submit(%q) again: err = %v, want ErrAlreadySubmitted", id, err)
		}
	}
}

// TestJSONLHoldsIDsCompactly: the set of stored IDs costs well under what a
// map[string]bool did (67 to 88 bytes an ID; see BenchmarkJSONLHeldIDs).
func TestJSONLHoldsIDsCompactly(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 200,000 lines")
	}
	const most = 48
	got := heldBytesPerID(t, 200_000)
	if got > most {
		t.Errorf("%.1f bytes of heap per ID held, want at most %d", got, most)
	}
	t.Logf("%.1f bytes of heap per ID held", got)
}

// BenchmarkJSONLHeldIDs reports the heap a sink keeps per stored ID after
// opening a file of a million submissions with IDs of handlers' shape.
func BenchmarkJSONLHeldIDs(b *testing.B) {
	var per float64
	for b.Loop() {
		per = heldBytesPerID(b, 1_000_000)
	}
	b.ReportMetric(per, "B/ID")
}

// heldBytesPerID writes n minimal submissions with random IDs of the shape
// handlers makes, opens a sink on them and returns the growth of the live
// heap divided by n.
func heldBytesPerID(tb testing.TB, n int) float64 {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "subs.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var id [25]byte
	for range n {
		for i := range id {
			id[i] = alphabet[rng.IntN(len(alphabet))]
		}
		fmt.Fprintf(w, "{\"id\":%q}\n", id[:])
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := mustOpen(tb, path)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if held, _ := s.Submitted(context.Background(), string(id[:])); !held {
		tb.Fatalf("the last ID, %q, is not held", id)
	}
	runtime.KeepAlive(s)
	s.Close()
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}
