package sessionstore

import "time"

// Defaults used when an Options field is left at its zero value.
const (
	// DefaultMaxSessions is the cap on sessions held when
	// Options.MaxSessions is 0.
	DefaultMaxSessions = 100_000
	// DefaultShards is the number of shards when Options.Shards is 0.
	DefaultShards = 64
	// DefaultSweepInterval is how often the background sweep runs when
	// Options.SweepInterval is 0.
	DefaultSweepInterval = time.Second
)

// Tuning that callers have no reason to change.
const (
	// minShardCapacity keeps default sharding from slicing a small cap so
	// thinly that per-shard eviction stops approximating a global LRU: with
	// small shards, chance makes some fill much sooner than the rest.
	minShardCapacity = 1024
	// protectedPercent is the share of a shard's capacity the protected
	// segment may fill; promoting past it demotes the protected LRU to
	// probation, so one-shot sessions always keep some room to land.
	protectedPercent = 80
	// sweepBatch bounds the expired sessions removed per lock hold by the
	// background sweep, which bounds how long it can delay a request.
	sweepBatch = 128
	// commitDrain bounds the expiry work (removals and re-keys) each
	// Commit does in its shard, so a busy store expires sessions without
	// the sweep.
	commitDrain = 2
	// roomScan bounds the expiry work a full shard does looking for an
	// expired session to drop before it refuses a new session (or, with
	// EvictWhenFull, evicts a live one). An expired session hidden behind
	// more than roomScan deadlines that have moved later is found by a
	// later Commit or the next sweep, so a refusal can come while such a
	// session is still held.
	roomScan = 16
	// maxTokenLen is the longest token the store accepts; entries record
	// the token's length in 16 bits. scs tokens are 43 bytes.
	maxTokenLen = 1<<16 - 1
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// MaxSessions caps the sessions held. The cap is split evenly between
	// shards and a token's shard is fixed by its hash, so a shard may be
	// full while others are not: a store may start refusing (or evicting)
	// new sessions when slightly fewer than MaxSessions are held. When a
	// new session's shard is full, the expired sessions a short scan of
	// the shard finds are removed to make room; if it finds none, Commit
	// refuses the new session with ErrFull and every session held stays
	// as it was (unless EvictWhenFull is set). 0 or less means
	// DefaultMaxSessions.
	MaxSessions int

	// EvictWhenFull makes a new session that finds its shard full of
	// unexpired sessions evict the least recently used once-used session,
	// or, if all have been used twice, the least recently used session
	// (in CLOCK order), instead of being refused. For caches, not for
	// sessions that hold answers: a flood of sessions that each make two
	// requests evicts users in the middle of a wizard.
	EvictWhenFull bool

	// Shards is the number of independently locked parts, rounded up to a
	// power of two and lowered so every shard holds at least one session.
	// 0 or less means DefaultShards, lowered so every shard holds at least
	// 1024 sessions.
	Shards int

	// SweepInterval is how often a background goroutine removes expired
	// sessions and shrinks mostly empty shards, so memory comes back even
	// when no requests arrive. It takes one shard lock at a time for at
	// most 128 steps. 0 means DefaultSweepInterval; a negative value
	// starts no goroutine: Commit still removes a few expired sessions
	// each time, but the store's arrays never shrink. Memory a request
	// frees (a replaced or removed session's, an outgrown array's) is
	// then unmapped by that request, after it lets go of the lock.
	SweepInterval time.Duration

	// Now is the clock deciding whether a session has expired. nil means
	// time.Now. Tests inject a fake clock here.
	Now func() time.Time
}

// withDefaults returns o with zero values replaced by defaults and the
// shard count settled.
func (o Options) withDefaults() Options {
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.SweepInterval == 0 {
		o.SweepInterval = DefaultSweepInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Shards <= 0 {
		o.Shards = DefaultShards
		for o.Shards > 1 && o.MaxSessions/o.Shards < minShardCapacity {
			o.Shards /= 2
		}
		return o
	}
	n := 1
	for n < o.Shards {
		n *= 2
	}
	for n > 1 && n > o.MaxSessions {
		n /= 2
	}
	o.Shards = n
	return o
}
