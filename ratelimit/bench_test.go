package ratelimit

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAllow measures Allow from parallel goroutines at a rate high
// enough that every call is allowed (so each writes its bucket). With
// clock=fixed the clock is a function returning one instant, which
// measures the limiter alone; with clock=time.Now it pays for reading the
// clock as well, which costs several hundred nanoseconds on a virtual
// machine without a fast clock source.
//
//   - keys=1: every goroutine limits one client, so all of them contend
//     for one shard's lock.
//   - keys=10k: 10,000 clients, spread over the shards.
//   - keys=new: every call is a client not seen before, 1,000,000 of them
//     in turn with MaxKeys 100,000, so shards are always at their share
//     and each call inserts a bucket and pays its part of the scans that
//     make room (and the copy of its key). With clock=fixed no bucket
//     ever refills, so each scan finds nothing full and drops arbitrary
//     buckets: the case of an attacker with more addresses than MaxKeys.
//     With clock=time.Now, at this rate, buckets are full again within
//     nanoseconds and scans drop full buckets.
func BenchmarkAllow(b *testing.B) {
	keys := make([]string, 1_000_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("2001:db8::%x:%x", i>>16, i&0xffff)
	}
	fixed := time.Now()
	clocks := []struct {
		name string
		now  func() time.Time
	}{
		{"fixed", func() time.Time { return fixed }},
		{"time.Now", time.Now},
	}
	keySets := []struct {
		name string
		keys []string
	}{
		{"keys=1", keys[:1]},
		{"keys=10k", keys[:10_000]},
		{"keys=new", keys},
	}
	for _, clock := range clocks {
		for _, tt := range keySets {
			b.Run("clock="+clock.name+"/"+tt.name, func(b *testing.B) {
				benchAllow(b, New(Options{Rate: 1 << 30, Per: time.Second, MaxKeys: DefaultMaxKeys, Now: clock.now}), tt.keys)
			})
		}
	}
}

// benchAllow calls l.Allow from parallel goroutines, each walking keys
// from its own starting point.
func benchAllow(b *testing.B, l *Limiter, keys []string) {
	var start atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		// Goroutines start far apart, so with keys=new none repeats a key
		// another has just used.
		i := int(start.Add(int64(len(keys)/7+1))) % len(keys)
		for pb.Next() {
			if ok, _ := l.Allow(keys[i]); !ok {
				b.Error("refused")
				return
			}
			if i++; i == len(keys) {
				i = 0
			}
		}
	})
}
