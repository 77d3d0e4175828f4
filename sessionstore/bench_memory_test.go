package sessionstore

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkMemory measures the heap a store holds for 1,000,000 sessions
// and what it still holds once they have all expired and been swept.
//
// B/session is (HeapAlloc with the sessions) - (HeapAlloc before), each
// after runtime.GC, divided by 1,000,000. It includes the ~300-byte
// payload and the 43-byte token: each store is handed a freshly allocated
// 300-byte payload and token string per session; scs's memstore keeps
// both (payload 320 B and token 48 B in Go's size classes), ours copies
// them into one 352-byte allocation and lets the originals go.
//
// held-after-expiry-% is the heap still held after every session expired
// and the store's sweep (every 250 ms for both) ran, as a percentage of
// what the sessions took at the peak. Each run takes about ten seconds,
// most of it waiting for the deadline; figures are the worst of b.N runs.
func BenchmarkMemory(b *testing.B) {
	for _, kind := range storeKinds {
		b.Run("store="+kind, func(b *testing.B) {
			benchFixtures.drop()
			var worst memoryResult
			for range b.N {
				r := runMemory(b, kind)
				worst.perSession = max(worst.perSession, r.perSession)
				worst.peakMiB = max(worst.peakMiB, r.peakMiB)
				worst.heldMiB = max(worst.heldMiB, r.heldMiB)
				worst.heldPct = max(worst.heldPct, r.heldPct)
			}
			b.ReportMetric(worst.perSession, "B/session")
			b.ReportMetric(worst.peakMiB, "peak-MiB")
			b.ReportMetric(worst.heldMiB, "held-MiB")
			b.ReportMetric(worst.heldPct, "held-after-expiry-%")
		})
	}
}

type memoryResult struct {
	perSession, peakMiB, heldMiB, heldPct float64
}

func runMemory(b *testing.B, kind string) memoryResult {
	const (
		n           = 1_000_000
		sweep       = 250 * time.Millisecond
		setupBudget = 8 * time.Second
	)
	before := heapAlloc()
	s := newSubject(kind, subjectOptions{maxSessions: 2 * n, sweep: sweep})
	defer s.close()

	deadline := time.Now().Add(setupBudget)
	for i := range n {
		if err := s.Commit(benchToken(i), benchPayload(i, 0), deadline); err != nil {
			b.Fatal(err)
		}
	}
	peak := heapAlloc()
	if time.Now().After(deadline) {
		b.Fatalf("setup overran its %v budget; raise it", setupBudget)
	}
	if got := s.held(); got != n {
		b.Fatalf("holds %d sessions, want %d", got, n)
	}

	// Wait for expiry and a sweep: ours reports when it is done; for scs,
	// allow the sweep interval plus two seconds for the sweep itself.
	time.Sleep(time.Until(deadline.Add(sweep)))
	for wait := time.Now().Add(2 * time.Second); time.Now().Before(wait); time.Sleep(10 * time.Millisecond) {
		if kind == "ours" && s.held() == 0 {
			break
		}
	}
	after := heapAlloc()
	runtime.KeepAlive(s)

	used, held := float64(peak)-float64(before), float64(after)-float64(before)
	return memoryResult{
		perSession: used / n,
		peakMiB:    used / (1 << 20),
		heldMiB:    held / (1 << 20),
		heldPct:    100 * held / used,
	}
}
