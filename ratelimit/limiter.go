package ratelimit

import (
	"hash/maphash"
	"math"
	"strings"
	"sync"
	"time"
)

// Defaults used when an Options field is left at its zero value.
const (
	// DefaultPer is the period Rate is counted over when Options.Per is 0.
	DefaultPer = time.Minute
	// DefaultMaxKeys bounds the clients tracked when Options.MaxKeys is 0.
	DefaultMaxKeys = 100_000
)

// Tuning that callers have no reason to change.
const (
	// maxShards is the most shards a Limiter splits its buckets between:
	// enough that requests on a few dozen cores rarely wait for a lock.
	maxShards = 32
	// minShardKeys keeps a small MaxKeys from being split so thinly that
	// one busy shard drops buckets while others are empty.
	minShardKeys = 64
	// roomDivisor sets the room a full shard makes when it scans: at
	// least 1/roomDivisor of its share, so scans are amortised.
	roomDivisor = 64
)

// Options configures a Limiter.
type Options struct {
	// Rate is the number of tokens a client's bucket gains every Per,
	// continuously (Rate 60 per minute is one a second). 0 or less turns
	// the limiter off: every action is allowed.
	Rate int
	// Per is the period Rate is counted over. 0 or less means DefaultPer.
	Per time.Duration
	// Burst is the most tokens a bucket holds, so the most actions a
	// client that has been idle may take at once. 0 or less means Rate.
	Burst int
	// MaxKeys bounds the buckets held, and so the memory used; see the
	// package doc for what happens beyond it. 0 or less means
	// DefaultMaxKeys.
	MaxKeys int
	// Now is the clock. nil means time.Now. Tests inject a fake clock.
	Now func() time.Time
}

// A Limiter holds a token bucket per key. It is safe for concurrent use.
// A nil *Limiter, like one whose Rate is 0 or less, allows everything, so
// a caller may leave a limit unset.
type Limiter struct {
	interval int64 // nanoseconds per token: Per/Rate
	tau      int64 // nanoseconds a deadline may run ahead of now: Burst intervals
	now      func() time.Time
	base     time.Time // time 0 of the deadlines
	seed     maphash.Seed
	mask     uint64
	shards   []shard // nil when the limiter is off
}

// A shard is an independently locked part of a Limiter's buckets.
type shard struct {
	mu sync.Mutex
	// deadlines maps a key to the moment its bucket is full again, in
	// nanoseconds since the Limiter's base; a key with no entry is full.
	deadlines map[string]int64
	// latest is the latest time a call has been judged at. The clock is
	// read before the lock is taken, so a call that waited for the lock
	// may bring an earlier time than one that went before it; judged at
	// that time, it would see the other's token as taken in its future,
	// and be refused for as long as it waited. It is judged at latest
	// instead, which is no later than the real time it is judged at.
	latest int64
	max    int // the shard's share of MaxKeys
	room   int // free entries a full shard's scan leaves
	_      [64]byte
}

// New returns a Limiter configured by opts.
func New(opts Options) *Limiter {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	l := &Limiter{now: opts.Now, base: opts.Now(), seed: maphash.MakeSeed()}
	if opts.Rate <= 0 {
		return l
	}
	if opts.Per <= 0 {
		opts.Per = DefaultPer
	}
	if opts.Burst <= 0 {
		opts.Burst = opts.Rate
	}
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	// Both are capped at a quarter of the int64 range, about 73 years, so
	// that sums of them and a time since New cannot overflow: a limit
	// beyond that is no limit.
	const ceiling = math.MaxInt64 / 4
	l.interval = min(ceiling, max(1, int64(opts.Per)/int64(opts.Rate)))
	l.tau = ceiling
	if int64(opts.Burst) < ceiling/l.interval {
		l.tau = int64(opts.Burst) * l.interval
	}
	n := 1
	for n < maxShards && opts.MaxKeys/(2*n) >= minShardKeys {
		n *= 2
	}
	l.mask = uint64(n - 1)
	l.shards = make([]shard, n)
	per, extra := opts.MaxKeys/n, opts.MaxKeys%n
	for i := range l.shards {
		c := per
		if i < extra {
			c++
		}
		l.shards[i] = shard{deadlines: make(map[string]int64), max: c, room: max(1, c/roomDivisor)}
	}
	return l
}

// Allow takes one token from key's bucket and reports whether there was
// one. When there was not, nothing is taken and retryAfter is how long
// until the next token arrives: exact, not rounded; a Retry-After header
// wants it rounded up to whole seconds. A nil Limiter, or one whose Rate
// is 0 or less, always allows.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil || l.shards == nil {
		return true, 0
	}
	now := int64(l.now().Sub(l.base))
	sh := &l.shards[maphash.String(l.seed, key)&l.mask]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now = max(now, sh.latest)
	sh.latest = now
	full, held := sh.deadlines[key]
	if !held || full < now {
		full = now
	}
	next := full + l.interval
	if next-now > l.tau {
		return false, time.Duration(next - l.tau - now)
	}
	if !held {
		sh.makeRoom(now)
		key = strings.Clone(key) // not to pin the caller's larger string
	}
	sh.deadlines[key] = next
	return true, 0
}

// makeRoom ensures the shard can take one more bucket within its share:
// if it is at its share, it drops every full bucket (one whose deadline
// is not after now), then, if that left less than room free, arbitrary
// buckets until it has room free. sh.mu must be held.
func (sh *shard) makeRoom(now int64) {
	if len(sh.deadlines) < sh.max {
		return
	}
	for k, full := range sh.deadlines {
		if full <= now {
			delete(sh.deadlines, k)
		}
	}
	for k := range sh.deadlines {
		if len(sh.deadlines) <= sh.max-sh.room {
			break
		}
		delete(sh.deadlines, k)
	}
}

// buckets returns the number of buckets held, for tests.
func (l *Limiter) buckets() int {
	n := 0
	for i := range l.shards {
		sh := &l.shards[i]
		sh.mu.Lock()
		n += len(sh.deadlines)
		sh.mu.Unlock()
	}
	return n
}
