package sessionstore

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ErrFull is returned, wrapped, by a Commit that would start a new session
// in a shard whose every session is unexpired, unless the store was made
// with Options.EvictWhenFull.
var ErrFull = errors.New("session store full")

// Store is an in-memory session store for scs. It implements scs.Store and
// scs.IterableStore and is safe for concurrent use. Create one with New and
// stop its background sweep with Close.
//
// The store holds at most Options.MaxSessions sessions, split evenly
// between shards. A new session whose shard is full of unexpired sessions
// is refused (ErrFull) and every session held is kept, so that a flood of
// new sessions can delay other new ones but never destroys a session in
// progress; Options.EvictWhenFull makes it evict instead.
//
// The store keeps its own copies: Commit copies the data it is given and
// Find returns a new copy each time, because the store reuses and gives
// back its memory as soon as a session changes or goes.
type Store struct {
	shards []shard
	mask   uint64
	seed   maphash.Seed
	now    func() time.Time
	b64    *base64Table
	mapped *atomic.Int64 // bytes mapped outside the Go heap, all shards

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	sweeping  atomic.Bool // the background sweep runs and unmaps what shards retire
}

// New returns a Store configured by opts and, unless opts.SweepInterval is
// negative, starts its background sweep.
//
// On Linux the sessions of a large store are held outside the Go heap
// (see offheap_linux.go). That memory goes back to the system as sessions
// are removed, and all of it once a Store is unreachable, which a Store
// whose sweep runs is not until Close.
func New(opts Options) *Store {
	opts = opts.withDefaults()
	s := &Store{
		shards: make([]shard, opts.Shards),
		mask:   uint64(opts.Shards - 1),
		seed:   maphash.MakeSeed(),
		now:    opts.Now,
		b64:    newBase64Table(),
		mapped: new(atomic.Int64),
	}
	per, extra := opts.MaxSessions/opts.Shards, opts.MaxSessions%opts.Shards
	for i := range s.shards {
		c := per
		if i < extra {
			c++
		}
		s.shards[i] = newShard(c, opts.EvictWhenFull, s.seed, s.mapped)
	}
	runtime.AddCleanup(s, freeShards, s.shards)
	if opts.SweepInterval > 0 {
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		s.sweeping.Store(true)
		go s.sweepEvery(opts.SweepInterval)
	}
	return s
}

// freeShards gives back the memory of a Store that is no longer
// reachable, which the Go heap would not do for memory it does not own.
func freeShards(shards []shard) {
	for i := range shards {
		shards[i].free()
	}
}

// Close stops the background sweep and waits for it to finish. The store
// stays usable; expired sessions are then removed only by Find and
// Commit. Close may be called more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.stop != nil {
			close(s.stop)
			<-s.done
			s.sweeping.Store(false)
		}
	})
	return nil
}

// keyOf returns token's key, the shard holding it and its index hash.
func (s *Store) keyOf(token string) (key, *shard, uint32) {
	h := hashToken(s.seed, token)
	return key{raw: token, table: s.b64}, &s.shards[h&s.mask], indexHash(h)
}

// reclaim unmaps the memory sh has retired, with no lock held, when no
// background sweep runs to do it (SweepInterval negative, or after
// Close): otherwise every session of over 64 KiB replaced or removed
// would stay mapped for the life of the store. Deferred before the
// shard's lock is taken, it runs after the lock is let go, and keeps the
// Store reachable, so its cleanup cannot free the shard mid-call.
func (s *Store) reclaim(sh *shard) {
	if s.sweeping.Load() {
		return
	}
	sh.mu.Lock()
	retired := sh.retired
	sh.retired = nil
	sh.mu.Unlock()
	for _, m := range retired {
		m.unmap(s.mapped)
	}
}

// Find returns a copy of the data for token. A session whose deadline has
// passed is not found, and is removed; at exactly its deadline it is
// still found, as with scs's memstore. A found session counts as used: a
// session on probation moves to the protected segment.
func (s *Store) Find(token string) ([]byte, bool, error) {
	k, sh, h := s.keyOf(token)
	now := s.now().UnixNano()
	defer s.reclaim(sh)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	slot, pos, ok := sh.lookup(&k, h)
	if !ok {
		return nil, false, nil
	}
	if sh.expiredAt(pos, now) {
		sh.removeAt(pos, slot)
		sh.expired.Add(1)
		return nil, false, nil
	}
	sh.touch(pos)
	return bytes.Clone(sh.payload(&sh.entries[pos])), true, nil
}

// Commit stores a copy of b under token until expiry, replacing any data
// and expiry already stored. An existing, unexpired token counts as used,
// moves to the protected segment, and is never refused for want of room.
// A new token (or one whose session has expired) goes on probation. If
// its shard is full, Commit first removes the shard's expired sessions
// that a short scan of its deadlines finds (one hidden behind many
// deadlines that have moved later waits for a later Commit or the next
// sweep); if it finds none, it returns an error wrapping ErrFull, stores
// nothing, changes no other session and counts a refusal in
// Stats.Refused; with Options.EvictWhenFull, it evicts the shard's least
// recently used once-used session instead. If b is byte-for-byte the data
// already stored, as when scs re-commits an unchanged session to extend
// its idle timeout, only the deadline moves: nothing is copied or
// allocated.
// An expiry already past ends the session: nothing is stored, and the
// session stored before, if any, is removed (counted as expired).
// Tokens longer than 65535 bytes are refused, and so is a session for
// which no memory can be had; the session stored before, if any, is then
// left as it was.
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	if len(token) > maxTokenLen {
		return fmt.Errorf("commit session: token of %d bytes exceeds the %d-byte limit", len(token), maxTokenLen)
	}
	k, sh, h := s.keyOf(token)
	now, at := s.now().UnixNano(), expiry.UnixNano()
	defer s.reclaim(sh)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	slot, pos, ok := sh.lookup(&k, h)
	if ok && (sh.expiredAt(pos, now) || now > at) {
		// The old session is gone, or ends with this commit, whose
		// deadline has already passed (a request that spanned it).
		sh.removeAt(pos, slot)
		sh.expired.Add(1)
		ok = false
	}
	if now > at {
		return nil // nothing to save past the deadline
	}
	if !ok {
		if err := sh.insert(&k, h, b, at, now); err != nil {
			return fmt.Errorf("commit session of %d bytes: %w", len(b), err)
		}
	} else {
		if err := sh.update(pos, &k, b); err != nil {
			return fmt.Errorf("commit session of %d bytes: %w", len(b), err)
		}
		sh.setExpiry(pos, at)
		sh.touch(pos)
	}
	sh.expire(now, commitDrain)
	return nil
}

// Delete removes token's session. Deleting a token that is not stored is a
// no-op and returns nil.
func (s *Store) Delete(token string) error {
	k, sh, h := s.keyOf(token)
	defer s.reclaim(sh)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if slot, pos, ok := sh.lookup(&k, h); ok {
		sh.removeAt(pos, slot)
		sh.deleted.Add(1)
	}
	return nil
}

// All returns the token and data of every session that Find would find
// now. It locks one shard at a time, long enough to copy that shard's live
// records, and builds the map after letting go. Sessions committed or
// removed while it runs may or may not appear. The map is never nil.
func (s *Store) All() (map[string][]byte, error) {
	now := s.now().UnixNano()
	all := make(map[string][]byte)
	type span struct {
		keyLen, payLen int
		compact        bool
	}
	var spans []span
	for i := range s.shards {
		sh := &s.shards[i]
		spans = spans[:0]
		var flat []byte // new for each shard: the map's payloads point into it
		sh.mu.Lock()
		for p := range sh.entries {
			e := &sh.entries[p]
			if now <= e.expiry {
				rec := sh.record(e)
				flat = append(flat, rec...)
				spans = append(spans, span{keyLen: int(e.keyLen), payLen: len(rec) - int(e.keyLen), compact: e.compact})
			}
		}
		sh.mu.Unlock()
		off := 0
		for _, sp := range spans {
			pay := off + sp.keyLen
			end := pay + sp.payLen
			all[tokenOf(flat[off:pay], sp.compact)] = flat[pay:end:end]
			off = end
		}
	}
	return all, nil
}
