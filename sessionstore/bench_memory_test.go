package sessionstore

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"
)

// BenchmarkMemory measures the memory a store takes for 1,000,000
// sessions and what it still holds once they have all expired and been
// swept, with the 43-byte tokens scs hands a store and two payload sizes:
// payload=60, the classic wizard's session after one answer (what the
// server holds most of), and payload=300. Each store is handed a freshly
// allocated token string and payload per session, as scs does.
//
//   - heap-B/session is (HeapAlloc with the sessions) - (HeapAlloc
//     before), each after runtime.GC, per session: what the collector
//     manages, and sees as the live heap its pacing doubles.
//   - offheap-B/session (ours) is the memory the store mapped outside the
//     Go heap, per session.
//   - rss-B/session is (VmRSS with the sessions) - (VmRSS before) per
//     session, read after the seeding goroutine has gone on allocating
//     short-lived garbage through two garbage collections, as a server
//     under load does: it includes the heap's headroom (GOGC) and the
//     store's memory outside the heap, which is what the machine pays.
//   - held-after-expiry-% is the memory (heap and mapped) still held after
//     every session expired and the store's sweep (every 250 ms for both)
//     ran, as a percentage of what the sessions took at the peak.
//
// Each run takes about twelve seconds, most of it waiting for the deadline;
// figures are the worst of b.N runs.
func BenchmarkMemory(b *testing.B) {
	for _, size := range []int{60, payloadSize} {
		for _, kind := range storeKinds {
			b.Run(fmt.Sprintf("payload=%d/store=%s", size, kind), func(b *testing.B) {
				benchFixtures.drop()
				var worst memoryResult
				for range b.N {
					r := runMemory(b, kind, size)
					worst.heap = max(worst.heap, r.heap)
					worst.offHeap = max(worst.offHeap, r.offHeap)
					worst.rss = max(worst.rss, r.rss)
					worst.peakMiB = max(worst.peakMiB, r.peakMiB)
					worst.heldMiB = max(worst.heldMiB, r.heldMiB)
					worst.heldPct = max(worst.heldPct, r.heldPct)
				}
				b.ReportMetric(worst.heap, "heap-B/session")
				if kind == "ours" {
					b.ReportMetric(worst.offHeap, "offheap-B/session")
				}
				if worst.rss > 0 {
					b.ReportMetric(worst.rss, "rss-B/session")
				}
				b.ReportMetric(worst.peakMiB, "peak-MiB")
				b.ReportMetric(worst.heldMiB, "held-MiB")
				b.ReportMetric(worst.heldPct, "held-after-expiry-%")
			})
		}
	}
}

type memoryResult struct {
	heap, offHeap, rss        float64 // bytes per session
	peakMiB, heldMiB, heldPct float64
}

func runMemory(b *testing.B, kind string, size int) memoryResult {
	const (
		n           = 1_000_000
		sweep       = 250 * time.Millisecond
		setupBudget = 10 * time.Second
	)
	heapBefore := heapAlloc()
	debug.FreeOSMemory()
	rssBefore, rssOK := residentBytes()
	s := newSubject(kind, subjectOptions{maxSessions: 2 * n, sweep: sweep})
	defer s.close()

	deadline := time.Now().Add(setupBudget)
	for i := range n {
		if err := s.Commit(benchToken(i), benchPayloadOf(size, i, 0), deadline); err != nil {
			b.Fatal(err)
		}
	}
	if got := s.held(); got != n {
		b.Fatalf("holds %d sessions, want %d", got, n)
	}
	allocateThroughGCs(2)
	rssPeak, _ := residentBytes()
	heapPeak, offPeak := heapAlloc(), s.offHeap()
	if time.Now().After(deadline) {
		b.Fatalf("setup overran its %v budget; raise it", setupBudget)
	}

	// Wait for expiry and a sweep: ours reports when it is done; for scs,
	// allow the sweep interval plus two seconds for the sweep itself.
	time.Sleep(time.Until(deadline.Add(sweep)))
	for wait := time.Now().Add(2 * time.Second); time.Now().Before(wait); time.Sleep(10 * time.Millisecond) {
		if kind == "ours" && s.held() == 0 {
			break
		}
	}
	heapAfter, offAfter := heapAlloc(), s.offHeap()
	runtime.KeepAlive(s)

	heap := float64(heapPeak) - float64(heapBefore)
	used := heap + float64(offPeak)
	held := float64(heapAfter) - float64(heapBefore) + float64(offAfter)
	r := memoryResult{
		heap:    heap / n,
		offHeap: float64(offPeak) / n,
		peakMiB: used / (1 << 20),
		heldMiB: held / (1 << 20),
		heldPct: 100 * held / used,
	}
	if rssOK {
		r.rss = (float64(rssPeak) - float64(rssBefore)) / n
	}
	return r
}

// allocateThroughGCs allocates short-lived garbage, as request handling
// does, until n more garbage collections have finished, so the heap has
// grown to the size its pacing allows for the live data.
func allocateThroughGCs(n uint32) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	until := ms.NumGC + n
	var sink []byte
	for ms.NumGC < until {
		for range 1024 {
			sink = make([]byte, 4096)
		}
		runtime.ReadMemStats(&ms)
	}
	runtime.KeepAlive(sink)
}

// residentBytes returns this process's resident set size (VmRSS), or
// false where /proc/self/status does not tell it.
func residentBytes() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:")); ok {
			kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(v), []byte(" kB"))), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
