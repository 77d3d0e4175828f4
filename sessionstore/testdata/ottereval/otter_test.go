// Package ottereval measures github.com/maypok86/otter/v2 as a session
// store with the same scenarios as sessionstore's benchmarks (memory, latency
// during a mass expiry, flood), for the store choice recorded in the README.
// It is a separate module under testdata so that the wizard module does not
// depend on otter. Run it from this directory:
//
//	go test -run '^$' -bench . -benchmem -cpu 1,2 -timeout 30m
package ottereval

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maypok86/otter/v2"
)

// value is what a session adapter stores in otter: the data and the
// absolute deadline scs gives Commit.
type value struct {
	data   []byte
	expiry int64
}

// store adapts otter to scs.Store's three methods.
type store struct{ c *otter.Cache[string, value] }

func newStore(maxSize int) store {
	return store{otter.Must(&otter.Options[string, value]{
		MaximumSize: maxSize,
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, value]) time.Duration {
			return time.Until(time.Unix(0, e.Value.expiry))
		}),
	})}
}

func (s store) Find(token string) ([]byte, bool, error) {
	v, ok := s.c.GetIfPresent(token)
	if !ok {
		return nil, false, nil
	}
	return v.data, true, nil
}

func (s store) Commit(token string, b []byte, expiry time.Time) error {
	s.c.Set(token, value{data: b, expiry: expiry.UnixNano()})
	return nil
}

func (s store) Delete(token string) error { s.c.Invalidate(token); return nil }

func BenchmarkOtterMemory(b *testing.B) {
	const n = 1_000_000
	for range b.N {
		before := heapAlloc()
		s := newStore(2 * n)
		deadline := time.Now().Add(8 * time.Second)
		for i := range n {
			s.Commit(benchToken(i), benchPayload(i, 0), deadline)
		}
		peak := heapAlloc()
		time.Sleep(time.Until(deadline.Add(2500 * time.Millisecond)))
		s.c.CleanUp()
		after := heapAlloc()
		b.ReportMetric(float64(s.c.EstimatedSize()), "left")
		runtime.KeepAlive(s)
		used, held := float64(peak)-float64(before), float64(after)-float64(before)
		b.ReportMetric(used/n, "B/session")
		b.ReportMetric(used/(1<<20), "peak-MiB")
		b.ReportMetric(held/(1<<20), "held-MiB")
		b.ReportMetric(100*held/used, "held-after-expiry-%")
	}
}

func BenchmarkOtterExpiryLatency(b *testing.B) {
	const (
		n    = 1_000_000
		live = 1_000
	)
	for range b.N {
		s := newStore(2 * n)
		deadline := time.Now().Add(8 * time.Second)
		for i := range n {
			s.Commit(benchToken(i), benchPayload(i, 0), deadline)
		}
		tokens := make([]string, live)
		for i := range tokens {
			tokens[i] = benchToken(n + i)
			s.Commit(tokens[i], benchPayload(n+i, 0), time.Now().Add(time.Hour))
		}
		start, end := deadline.Add(-time.Second), deadline.Add(3*time.Second)
		if time.Now().After(start) {
			b.Fatal("setup overran")
		}
		time.Sleep(time.Until(start))
		control, lat := newLatencies(), newLatencies()
		done := make(chan struct{})
		go func() {
			defer close(done)
			for k := 0; time.Now().Before(end); k++ {
				i := k % live
				p := benchPayload(n+i, k)
				t0 := time.Now()
				_, found, _ := s.Find(tokens[i])
				t1 := time.Now()
				s.Commit(tokens[i], p, t1.Add(time.Hour))
				t2 := time.Now()
				if !found {
					b.Errorf("live session %d lost", i)
					return
				}
				h := lat
				if t0.Before(deadline) {
					h = control
				}
				h.add(t0, t1.Sub(t0))
				h.add(t1, t2.Sub(t1))
			}
		}()
		<-done
		b.ReportMetric(float64(lat.max)/1e6, "worst-ms")
		b.ReportMetric(lat.maxAt.Sub(deadline).Seconds(), "worst-at-s")
		b.ReportMetric(float64(lat.quantile(0.999))/1e3, "p999-us")
		b.ReportMetric(float64(lat.slowerThan(2*time.Millisecond)), "over-2ms")
		b.ReportMetric(float64(control.max)/1e6, "before-worst-ms")
		b.ReportMetric(float64(control.quantile(0.999))/1e3, "before-p999-us")
		b.ReportMetric(float64(lat.quantile(0.99))/1e3, "p99-us")
		b.ReportMetric(float64(control.slowerThan(2*time.Millisecond)), "before-over-2ms")
		b.ReportMetric(float64(s.c.EstimatedSize()-live), "left")
	}
}

// BenchmarkOtterFlood: the same three variants as sessionstore's
// BenchmarkFlood, on otter capped at 10,000.
func BenchmarkOtterFlood(b *testing.B) {
	for _, mode := range []string{"established", "new", "new-burst"} {
		b.Run("users="+mode, func(b *testing.B) {
			worst := 0
			for range b.N {
				worst = max(worst, runFlood(b, mode))
			}
			b.ReportMetric(float64(worst), "users-lost")
		})
	}
}

func runFlood(b *testing.B, mode string) int {
	const (
		maxSessions = 10_000
		users       = 1_000
		rounds      = 30
		oneShots    = 200_000
	)
	s := newStore(maxSessions)
	expiry := func() time.Time { return time.Now().Add(30 * time.Minute) }
	userToken := func(u int) string { return benchToken(10_000_000 + u) }
	flood := func(from, to int) {
		for j := from; j < to; j++ {
			s.Commit(benchToken(20_000_000+j), benchPayload(j, 0), expiry())
		}
	}
	lost := make([]bool, users)
	step := func(u, r int, first bool) {
		tok := userToken(u)
		if !first {
			if _, found, _ := s.Find(tok); !found {
				lost[u] = true
			}
		}
		s.Commit(tok, benchPayload(u, r), expiry())
	}
	var wg sync.WaitGroup
	switch mode {
	case "established":
		for u := range users {
			step(u, 0, true)
			s.Find(userToken(u))
		}
		wg.Go(func() { flood(0, oneShots) })
		for r := 1; r <= rounds; r++ {
			for u := range users {
				step(u, r, false)
			}
		}
		wg.Wait()
	case "new":
		const slack = 64
		perStep := float64(oneShots) / float64(users*rounds)
		var stepsDone, shotsDone atomic.Int64
		wg.Go(func() {
			for j := range oneShots {
				for float64(j) > float64(stepsDone.Load())*perStep+slack {
					runtime.Gosched()
				}
				flood(j, j+1)
				shotsDone.Store(int64(j + 1))
			}
		})
		for r := range rounds {
			for u := range users {
				k := r*users + u
				for float64(shotsDone.Load())+slack < float64(k)*perStep {
					runtime.Gosched()
				}
				step(u, r, r == 0)
				stepsDone.Store(int64(k + 1))
			}
		}
		wg.Wait()
	case "new-burst":
		wg.Go(func() { flood(0, oneShots) })
		for r := range rounds {
			for u := range users {
				step(u, r, r == 0)
			}
			wg.Wait()
		}
	}
	n := 0
	for _, l := range lost {
		if l {
			n++
		}
	}
	return n
}
