package ratelimit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told to. Reading it takes no
// lock, so it adds no synchronisation the race detector could mistake for
// the limiter's own.
type fakeClock struct {
	start   time.Time
	elapsed atomic.Int64
}

func (c *fakeClock) Now() time.Time      { return c.start.Add(time.Duration(c.elapsed.Load())) }
func (c *fakeClock) Add(d time.Duration) { c.elapsed.Add(int64(d)) }

// newTestLimiter returns a Limiter on a fake clock.
func newTestLimiter(opts Options) (*Limiter, *fakeClock) {
	clock := &fakeClock{start: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	opts.Now = clock.Now
	return New(opts), clock
}

// wantAllow checks one call of Allow.
func wantAllow(tb testing.TB, l *Limiter, key string, wantOK bool, wantRetry time.Duration) {
	tb.Helper()
	ok, retry := l.Allow(key)
	if ok != wantOK || retry != wantRetry {
		tb.Fatalf("Allow(%q) = %v, %v; want %v, %v", key, ok, retry, wantOK, wantRetry)
	}
}

// allowed counts the calls of Allow(key) that succeed out of n.
func allowed(l *Limiter, key string, n int) int {
	got := 0
	for range n {
		if ok, _ := l.Allow(key); ok {
			got++
		}
	}
	return got
}

// TestRefill: with the default burst (Rate), a client may act Rate times
// at once, then once per Per/Rate; retryAfter says exactly when; an idle
// bucket refills to Burst and no further.
func TestRefill(t *testing.T) {
	l, clock := newTestLimiter(Options{Rate: 3, Per: time.Minute})
	for range 3 {
		wantAllow(t, l, "a", true, 0)
	}
	wantAllow(t, l, "a", false, 20*time.Second)
	clock.Add(19 * time.Second)
	wantAllow(t, l, "a", false, time.Second)
	clock.Add(time.Second)
	wantAllow(t, l, "a", true, 0)
	wantAllow(t, l, "a", false, 20*time.Second)

	clock.Add(50 * time.Second) // two tokens and a half
	wantAllow(t, l, "a", true, 0)
	wantAllow(t, l, "a", true, 0)
	wantAllow(t, l, "a", false, 10*time.Second)

	clock.Add(time.Hour) // refills to the burst, not to 180
	if got, want := allowed(l, "a", 10), 3; got != want {
		t.Fatalf("after an hour idle, %d of 10 allowed, want %d", got, want)
	}
}

// TestBurst: Burst sets how many actions an idle client may take at once,
// independently of the rate.
func TestBurst(t *testing.T) {
	tests := []struct {
		rate, burst int
		per         time.Duration
		want        int // allowed at once
		retry       time.Duration
	}{
		{rate: 1, burst: 5, per: time.Second, want: 5, retry: time.Second},
		{rate: 10, burst: 1, per: time.Second, want: 1, retry: 100 * time.Millisecond},
		{rate: 4, burst: 0, per: 0, want: 4, retry: 15 * time.Second}, // defaults: Burst = Rate, Per = a minute
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("rate=%d,burst=%d,per=%v", tt.rate, tt.burst, tt.per), func(t *testing.T) {
			l, clock := newTestLimiter(Options{Rate: tt.rate, Burst: tt.burst, Per: tt.per})
			if got := allowed(l, "a", 100); got != tt.want {
				t.Fatalf("%d of 100 allowed at once, want %d", got, tt.want)
			}
			wantAllow(t, l, "a", false, tt.retry)
			clock.Add(tt.retry)
			wantAllow(t, l, "a", true, 0)
		})
	}
}

// TestKeysIndependent: one client using up its bucket leaves another's
// alone.
func TestKeysIndependent(t *testing.T) {
	l, _ := newTestLimiter(Options{Rate: 2})
	if got := allowed(l, "a", 5); got != 2 {
		t.Fatalf("a: %d of 5 allowed, want 2", got)
	}
	if got := allowed(l, "b", 5); got != 2 {
		t.Fatalf("b, after a used its bucket: %d of 5 allowed, want 2", got)
	}
	wantAllow(t, l, "a", false, 30*time.Second)
}

// TestOffAllowsAll: a Rate of 0 or less, and a nil Limiter, allow
// everything and hold nothing.
func TestOffAllowsAll(t *testing.T) {
	for _, l := range []*Limiter{nil, New(Options{}), New(Options{Rate: -1, Burst: 1, MaxKeys: 1})} {
		for i := range 1000 {
			wantAllow(t, l, fmt.Sprint(i%3), true, 0)
		}
		if l != nil {
			if got := l.buckets(); got != 0 {
				t.Fatalf("an off limiter holds %d buckets, want 0", got)
			}
		}
	}
}

// TestMaxKeysBound: however many distinct clients arrive, and none of
// their buckets has refilled, no more than MaxKeys buckets are held, and a
// client new to the limiter is allowed.
func TestMaxKeysBound(t *testing.T) {
	for _, maxKeys := range []int{1, 100, 5000} {
		t.Run(fmt.Sprint("MaxKeys=", maxKeys), func(t *testing.T) {
			l, _ := newTestLimiter(Options{Rate: 1, Per: time.Hour, MaxKeys: maxKeys})
			for i := range 50_000 {
				key := fmt.Sprintf("10.0.%d.%d", i/256, i%256)
				wantAllow(t, l, key, true, 0)
				if i%1000 == 0 || i < 2*maxKeys {
					if got := l.buckets(); got > maxKeys {
						t.Fatalf("after %d clients, %d buckets held, over MaxKeys %d", i+1, got, maxKeys)
					}
				}
			}
			if got := l.buckets(); got > maxKeys || got < maxKeys-maxKeys/roomDivisor-len(l.shards) {
				t.Fatalf("%d buckets held, want at most %d and no fewer than the room scans leave", got, maxKeys)
			}
		})
	}
}

// TestShardShares: the shards' shares add up to MaxKeys exactly.
func TestShardShares(t *testing.T) {
	for _, maxKeys := range []int{1, 63, 128, 1000, 4097, DefaultMaxKeys} {
		l := New(Options{Rate: 1, MaxKeys: maxKeys})
		sum := 0
		for i := range l.shards {
			sum += l.shards[i].max
		}
		if sum != maxKeys || len(l.shards) > maxShards {
			t.Errorf("MaxKeys %d: %d shards sharing %d, want at most %d sharing %d", maxKeys, len(l.shards), sum, maxShards, maxKeys)
		}
	}
}

// TestFullBucketsDroppedFirst: when a shard is at its share, buckets that
// have refilled make room before a client still being limited is
// forgotten.
func TestFullBucketsDroppedFirst(t *testing.T) {
	const maxKeys = 100 // one shard
	l, clock := newTestLimiter(Options{Rate: 2, Per: time.Minute, MaxKeys: maxKeys})
	if len(l.shards) != 1 {
		t.Fatalf("%d shards, want 1", len(l.shards))
	}
	if got := allowed(l, "limited", 2); got != 2 {
		t.Fatalf("limited: %d of 2 allowed", got)
	}
	for i := range maxKeys - 1 {
		wantAllow(t, l, fmt.Sprint("idle-", i), true, 0)
	}
	// Every idle bucket (one token taken) is full again; limited (two
	// taken) still lacks one.
	clock.Add(30 * time.Second)
	for i := range 50 {
		wantAllow(t, l, fmt.Sprint("new-", i), true, 0)
	}
	if got := l.buckets(); got != 51 {
		t.Fatalf("%d buckets held, want 51 (limited and the new clients)", got)
	}
	wantAllow(t, l, "limited", true, 0)
	wantAllow(t, l, "limited", false, 30*time.Second)
}

// TestConcurrentAllowExactBurst: many goroutines racing for one client's
// bucket, with the clock stopped, get exactly Burst tokens between them,
// while each also uses buckets of its own; run with -race.
func TestConcurrentAllowExactBurst(t *testing.T) {
	const (
		burst   = 500
		workers = 8
		own     = 20 // keys per worker, far below MaxKeys: nothing is dropped
	)
	l, _ := newTestLimiter(Options{Rate: 1, Per: time.Hour, Burst: burst, MaxKeys: 1000})
	var got atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range 1000 {
				if ok, _ := l.Allow("shared"); ok {
					got.Add(1)
				}
				l.Allow(fmt.Sprintf("w%d-%d", w, i%own))
			}
		})
	}
	wg.Wait()
	if got.Load() != burst {
		t.Errorf("%d tokens taken from one bucket, want %d", got.Load(), burst)
	}
	if n, want := l.buckets(), 1+workers*own; n != want {
		t.Errorf("%d buckets held, want %d", n, want)
	}
}

// TestConcurrentManyKeysBounded: goroutines bringing far more distinct
// clients than MaxKeys never push the limiter past it, and every new
// client is allowed; run with -race.
func TestConcurrentManyKeysBounded(t *testing.T) {
	const (
		maxKeys = 1000
		workers = 8
	)
	l, _ := newTestLimiter(Options{Rate: 1, Per: time.Hour, MaxKeys: maxKeys})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range 5000 {
				if ok, retry := l.Allow(fmt.Sprintf("w%d-%d", w, i)); !ok {
					t.Errorf("a new client was refused, retry after %v", retry)
					return
				}
				if i%500 == 0 {
					if n := l.buckets(); n > maxKeys {
						t.Errorf("%d buckets held, over MaxKeys %d", n, maxKeys)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if n := l.buckets(); n > maxKeys {
		t.Errorf("%d buckets held, over MaxKeys %d", n, maxKeys)
	}
}

// TestStaleClockReading: a call whose clock reading is older than one
// already judged in its shard, as when it waited long for the lock, is
// judged at the later time: the token the other took is not in its
// future, so it waits no longer than one interval.
func TestStaleClockReading(t *testing.T) {
	l, clock := newTestLimiter(Options{Rate: 1, Per: time.Second, Burst: 1, MaxKeys: 1})
	clock.Add(10 * time.Second)
	wantAllow(t, l, "a", true, 0)
	clock.Add(-10 * time.Second) // read before the call above took its token
	wantAllow(t, l, "a", false, time.Second)
	wantAllow(t, l, "b", true, 0)
}

// TestRealClock: with time.Now, a limited client is let through again
// once retryAfter has passed.
func TestRealClock(t *testing.T) {
	l := New(Options{Rate: 1, Per: 20 * time.Millisecond})
	wantAllow(t, l, "a", true, 0)
	ok, retry := l.Allow("a")
	if ok || retry <= 0 || retry > 20*time.Millisecond {
		t.Fatalf("Allow = %v, %v; want false, a wait in (0, 20ms]", ok, retry)
	}
	time.Sleep(retry)
	wantAllow(t, l, "a", true, 0)
}
