package sessionstore

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// benchSizes are the live-session counts of BenchmarkFind and
// BenchmarkCommit.
var benchSizes = []int{1_000, 100_000, 1_000_000}

// BenchmarkFind measures Find of a random live session, from GOMAXPROCS
// goroutines (run with -cpu 1,2). Setup, which takes seconds at 1M, is
// outside the timer and shared by the runs of one sub-benchmark. Ours
// returns a copy of the data, since it reuses its memory, so its Find
// reads the payload and allocates; scs's memstore returns its own slice
// without reading it, leaving those cache misses to the caller's decoding.
func BenchmarkFind(b *testing.B) {
	for _, n := range benchSizes {
		for _, kind := range storeKinds {
			b.Run("n="+sizeLabel(n)+"/store="+kind, func(b *testing.B) {
				f := benchFixtures.get(b, kind, n)
				var seed atomic.Uint64
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(seed.Add(1), 1))
					for pb.Next() {
						if _, found, err := f.store.Find(f.tokens[rng.IntN(n)]); !found || err != nil {
							b.Errorf("Find = %v, %v; want found", found, err)
							return
						}
					}
				})
			})
		}
	}
}

// BenchmarkCommit measures Commit to a random live session, its deadline
// moved later each time, from GOMAXPROCS goroutines. Each Commit gets a
// freshly allocated payload, as scs's codec produces one per request, so
// both stores pay for that allocation. payload=changed commits other bytes
// (a session whose answers changed); payload=same commits the stored bytes
// again (what scs does on every request when IdleTimeout is set).
func BenchmarkCommit(b *testing.B) {
	changed := make([][]byte, 64)
	for i := range changed {
		changed[i] = benchPayload(-1, i)
	}
	for _, n := range benchSizes {
		// payload=same runs first: payload=changed leaves the fixture's
		// stored payloads changed.
		for _, same := range []bool{true, false} {
			for _, kind := range storeKinds {
				name := "n=" + sizeLabel(n) + "/payload=changed/store=" + kind
				if same {
					name = "n=" + sizeLabel(n) + "/payload=same/store=" + kind
				}
				b.Run(name, func(b *testing.B) {
					f := benchFixtures.get(b, kind, n)
					var seed atomic.Uint64
					base := time.Now().Add(time.Hour)
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						rng := rand.New(rand.NewPCG(seed.Add(1), 2))
						for k := 0; pb.Next(); k++ {
							i := rng.IntN(n)
							src := changed[k%len(changed)]
							if same {
								src = f.payloads[i]
							}
							p := append(make([]byte, 0, len(src)), src...)
							if err := f.store.Commit(f.tokens[i], p, base.Add(time.Duration(k))); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
			}
		}
	}
}
