package sessionstore

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
)

// The benchmarks compare this store ("ours") with scs's memstore ("scs")
// in the same run, with the same tokens and the same ~300-byte payloads.

const payloadSize = 300

// storeKinds names the stores every benchmark compares.
var storeKinds = []string{"ours", "scs"}

// subject is a store under benchmark.
type subject struct {
	scs.Store
	held    func() int   // sessions held, expired or not
	offHeap func() int64 // bytes held outside the Go heap
	close   func()       // stops the store and frees its memory
}

// subjectOptions sets what the two stores have in common.
type subjectOptions struct {
	maxSessions int              // ours only; scs has no cap
	evict       bool             // ours only: Options.EvictWhenFull
	sweep       time.Duration    // how often expired sessions are swept
	now         func() time.Time // ours only; scs always uses time.Now
}

func newSubject(kind string, o subjectOptions) subject {
	switch kind {
	case "ours":
		s := New(Options{MaxSessions: o.maxSessions, SweepInterval: o.sweep, Now: o.now, EvictWhenFull: o.evict})
		return subject{
			Store:   s,
			held:    func() int { return int(s.Stats().Live) },
			offHeap: s.mapped.Load,
			close:   func() { s.Close(); freeShards(s.shards) },
		}
	case "scs":
		m := memstore.NewWithCleanupInterval(o.sweep)
		return subject{
			Store: m,
			// All skips expired sessions; memstore cannot count them.
			held:    func() int { all, _ := m.All(); return len(all) },
			offHeap: func() int64 { return 0 },
			close:   m.StopCleanup,
		}
	}
	panic("unknown store kind " + kind)
}

// benchToken returns the i-th token: 43 characters, like scs's tokens
// (32 random bytes, base64url without padding), but reproducible.
func benchToken(i int) string {
	var raw [32]byte
	x := uint64(i)
	for w := range 4 {
		binary.LittleEndian.PutUint64(raw[w*8:], splitmix(&x))
	}
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// benchPayload returns a new payloadSize-byte slice whose content depends
// on i and version, standing in for a freshly encoded session.
func benchPayload(i, version int) []byte { return benchPayloadOf(payloadSize, i, version) }

// benchPayloadOf is benchPayload of size bytes, in an allocation of that
// size.
func benchPayloadOf(size, i, version int) []byte {
	b := make([]byte, size)
	x := uint64(i)<<20 ^ uint64(version)
	var w [8]byte
	for j := 0; j < len(b); j += 8 {
		binary.LittleEndian.PutUint64(w[:], splitmix(&x))
		copy(b[j:], w[:])
	}
	return b
}

func splitmix(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// sizeLabel names a session count the way the benchmark names show it.
func sizeLabel(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// heapAlloc returns the live heap after a full collection.
func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// fixture is a store filled with n sessions that expire in an hour, with
// the tokens and payloads that went in.
type fixture struct {
	store    subject
	tokens   []string
	payloads [][]byte
}

// fixtureCache keeps the last fixture built, so the many runs of one
// sub-benchmark (each b.N, each -cpu value) share one 1M-session setup,
// while a different sub-benchmark frees it.
type fixtureCache struct {
	mu  sync.Mutex
	key string
	f   *fixture
}

// benchFixtures is test-only state: benchmark setup shared across runs.
var benchFixtures fixtureCache

func (c *fixtureCache) get(tb testing.TB, kind string, n int) *fixture {
	tb.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	key := fmt.Sprint(kind, n)
	if c.key == key {
		return c.f
	}
	c.dropLocked()
	f := &fixture{
		store:    newSubject(kind, subjectOptions{maxSessions: 2 * n, sweep: time.Second}),
		tokens:   make([]string, n),
		payloads: make([][]byte, n),
	}
	exp := time.Now().Add(time.Hour)
	for i := range n {
		f.tokens[i], f.payloads[i] = benchToken(i), benchPayload(i, 0)
		if err := f.store.Commit(f.tokens[i], f.payloads[i], exp); err != nil {
			tb.Fatal(err)
		}
	}
	c.key, c.f = key, f
	return f
}

// drop frees the cached fixture before a benchmark that measures the heap
// or the collector's effect on latency.
func (c *fixtureCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked()
}

func (c *fixtureCache) dropLocked() {
	if c.f != nil {
		c.f.store.close()
	}
	c.key, c.f = "", nil
	runtime.GC()
}

// latencies is a histogram of call durations with 100 ns buckets up to
// 100 ms, plus the exact maximum.
type latencies struct {
	buckets []uint32
	over    uint64 // calls slower than the last bucket
	count   uint64
	max     time.Duration
	maxAt   time.Time // when the slowest call started
}

const latencyBucket = 100 * time.Nanosecond

func newLatencies() *latencies {
	return &latencies{buckets: make([]uint32, int(100*time.Millisecond/latencyBucket))}
}

func (l *latencies) add(start time.Time, d time.Duration) {
	l.count++
	if d > l.max {
		l.max, l.maxAt = d, start
	}
	if i := int(d / latencyBucket); i < len(l.buckets) {
		l.buckets[i]++
	} else {
		l.over++
	}
}

// slowerThan counts the calls that took longer than d, to bucket
// precision.
func (l *latencies) slowerThan(d time.Duration) uint64 {
	n := l.over
	for i := int(d / latencyBucket); i < len(l.buckets); i++ {
		n += uint64(l.buckets[i])
	}
	return n
}

// quantile returns the upper bound of the bucket holding quantile q.
func (l *latencies) quantile(q float64) time.Duration {
	rank := uint64(q * float64(l.count))
	var seen uint64
	for i, c := range l.buckets {
		seen += uint64(c)
		if seen > rank {
			return time.Duration(i+1) * latencyBucket
		}
	}
	return l.max
}

// cpuSample is the machine's busy CPU time and this process's CPU time
// at one instant, read from /proc on Linux.
type cpuSample struct {
	at        time.Time
	busy, own time.Duration
	ok        bool
}

func sampleCPU() cpuSample {
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	c := cpuSample{at: time.Now()}
	stat, err1 := os.ReadFile("/proc/stat")
	self, err2 := os.ReadFile("/proc/self/stat")
	if err1 != nil || err2 != nil {
		return c
	}
	line, _, _ := strings.Cut(string(stat), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 8 || f[0] != "cpu" {
		return c
	}
	var total, idle int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		switch i {
		case 3, 4: // idle, iowait
			idle += n
		case 8, 9: // guest time is counted in user already
			continue
		}
		total += n
	}
	// The command name, in parentheses, may hold spaces; utime and stime
	// are the 12th and 13th fields after it.
	_, rest, found := strings.Cut(string(self), ") ")
	g := strings.Fields(rest)
	if !found || len(g) < 13 {
		return c
	}
	ut, _ := strconv.ParseInt(g[11], 10, 64)
	st, _ := strconv.ParseInt(g[12], 10, 64)
	c.busy, c.own, c.ok = time.Duration(total-idle)*tick, time.Duration(ut+st)*tick, true
	return c
}

// othersPercent returns the share of the machine's CPU time, in percent,
// that other processes used between a and b: when it is high, slow calls
// may just be this process waiting for a CPU. -1 if /proc cannot say.
func othersPercent(a, b cpuSample) float64 {
	if !a.ok || !b.ok {
		return -1
	}
	others := (b.busy - a.busy) - (b.own - a.own)
	return 100 * max(0, others.Seconds()) / (b.at.Sub(a.at).Seconds() * float64(runtime.NumCPU()))
}
