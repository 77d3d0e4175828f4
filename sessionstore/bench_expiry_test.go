package sessionstore

import (
	"testing"
	"time"
)

// BenchmarkExpiryLatency measures how long Find and Commit calls take
// while 1,000,000 sessions expire at the same instant. It fills each store
// with 1,000,000 sessions that all expire at one deadline, plus 1,000 that
// stay live, then from a second goroutine calls Find and Commit on the
// live sessions, back to back, from one second before the deadline until
// two seconds after the first sweep that can see it expired (both stores
// sweep every second here: scs's memstore in one pass under its write
// lock, ours one shard and at most 256 sessions per lock hold). It
// reports the slowest call (worst-ms), the 99.9th and 99th percentiles
// (p999-us, p99-us, at 0.1 µs resolution) and the calls made; for ours
// also the expired sessions still held at the end (left; scs cannot say).
// Every Commit gets a freshly allocated payload, as from scs's codec.
// Each run takes about twelve seconds; figures are the worst of b.N runs.
func BenchmarkExpiryLatency(b *testing.B) {
	for _, kind := range storeKinds {
		b.Run("store="+kind, func(b *testing.B) {
			benchFixtures.drop()
			var worst expiryResult
			for range b.N {
				r := runExpiry(b, kind)
				worst.max = max(worst.max, r.max)
				worst.p999 = max(worst.p999, r.p999)
				worst.p99 = max(worst.p99, r.p99)
				worst.calls = max(worst.calls, r.calls)
				worst.left = max(worst.left, r.left)
			}
			b.ReportMetric(float64(worst.max)/1e6, "worst-ms")
			b.ReportMetric(float64(worst.p999)/1e3, "p999-us")
			b.ReportMetric(float64(worst.p99)/1e3, "p99-us")
			b.ReportMetric(float64(worst.calls), "calls")
			if kind == "ours" {
				b.ReportMetric(float64(worst.left), "left")
			}
		})
	}
}

type expiryResult struct {
	max, p999, p99 time.Duration
	calls          uint64
	left           int
}

func runExpiry(b *testing.B, kind string) expiryResult {
	const (
		n           = 1_000_000
		live        = 1_000
		sweep       = time.Second
		setupBudget = 8 * time.Second
	)
	s := newSubject(kind, subjectOptions{maxSessions: 2 * n, sweep: sweep})
	defer s.close()

	deadline := time.Now().Add(setupBudget)
	for i := range n {
		if err := s.Commit(benchToken(i), benchPayload(i, 0), deadline); err != nil {
			b.Fatal(err)
		}
	}
	tokens := make([]string, live)
	for i := range tokens {
		tokens[i] = benchToken(n + i)
		if err := s.Commit(tokens[i], benchPayload(n+i, 0), time.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
		if _, found, _ := s.Find(tokens[i]); !found {
			b.Fatalf("live session %d not found", i)
		}
	}
	start, end := deadline.Add(-time.Second), deadline.Add(sweep+2*time.Second)
	if time.Now().After(start) {
		b.Fatalf("setup overran its %v budget; raise it", setupBudget)
	}
	time.Sleep(time.Until(start))

	lat := newLatencies()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for k := 0; time.Now().Before(end); k++ {
			i := k % live
			p := benchPayload(n+i, k)
			t0 := time.Now()
			_, found, err := s.Find(tokens[i])
			t1 := time.Now()
			err2 := s.Commit(tokens[i], p, t1.Add(time.Hour))
			t2 := time.Now()
			if !found || err != nil || err2 != nil {
				b.Errorf("live session %d: found %v, %v, %v", i, found, err, err2)
				return
			}
			lat.add(t1.Sub(t0))
			lat.add(t2.Sub(t1))
		}
	}()
	<-done

	r := expiryResult{max: lat.max, p999: lat.quantile(0.999), p99: lat.quantile(0.99), calls: lat.count}
	if kind == "ours" {
		r.left = s.held() - live
	}
	return r
}
