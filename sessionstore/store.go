package sessionstore

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// Store is an in-memory session store for scs. It implements scs.Store and
// scs.IterableStore and is safe for concurrent use. Create one with New and
// stop its background sweep with Close.
//
// Find returns the stored slice itself, as scs's memstore does: callers
// must not modify it. Commit copies the data it is given.
type Store struct {
	shards []shard
	mask   uint64
	seed   maphash.Seed
	now    func() time.Time

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// New returns a Store configured by opts and, unless opts.SweepInterval is
// negative, starts its background sweep.
func New(opts Options) *Store {
	opts = opts.withDefaults()
	s := &Store{
		shards: make([]shard, opts.Shards),
		mask:   uint64(opts.Shards - 1),
		seed:   maphash.MakeSeed(),
		now:    opts.Now,
	}
	per, extra := opts.MaxSessions/opts.Shards, opts.MaxSessions%opts.Shards
	for i := range s.shards {
		c := per
		if i < extra {
			c++
		}
		s.shards[i] = newShard(c, s.seed)
	}
	if opts.SweepInterval > 0 {
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		go s.sweepEvery(opts.SweepInterval)
	}
	return s
}

// Close stops the background sweep and waits for it to finish. The store
// stays usable; expired sessions are then removed only by Find and
// Commit. Close may be called more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.stop != nil {
			close(s.stop)
			<-s.done
		}
	})
	return nil
}

// shardOf returns the shard holding token and the token's index hash.
func (s *Store) shardOf(token string) (*shard, uint32) {
	h := hashOf(s.seed, token)
	return &s.shards[h&s.mask], indexHash(h)
}

// Find returns the data for token. A session whose deadline has passed is
// not found, and is removed; at exactly its deadline it is still found,
// as with scs's memstore. A found session counts as used: a session on
// probation moves to the protected segment.
func (s *Store) Find(token string) ([]byte, bool, error) {
	sh, h := s.shardOf(token)
	now := s.now().UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	slot, pos, ok := sh.lookup(token, h)
	if !ok {
		return nil, false, nil
	}
	if sh.expiredAt(pos, now) {
		sh.removeAt(pos, slot)
		sh.expired.Add(1)
		return nil, false, nil
	}
	sh.touch(pos)
	return sh.entries[pos].payload(), true, nil
}

// Commit stores b under token until expiry, replacing any data and expiry
// already stored. A new token goes on probation, evicting an older session
// if its shard is full; an existing one counts as used and moves to the
// protected segment. If b is byte-for-byte the data already stored, as
// when scs re-commits an unchanged session to extend its idle timeout,
// only the deadline moves: nothing is copied or allocated. Tokens longer
// than 65535 bytes are refused.
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	if len(token) > maxTokenLen {
		return fmt.Errorf("commit session: token of %d bytes exceeds the %d-byte limit", len(token), maxTokenLen)
	}
	sh, h := s.shardOf(token)
	now, at := s.now().UnixNano(), expiry.UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	slot, pos, ok := sh.lookup(token, h)
	if ok && sh.expiredAt(pos, now) {
		// The old session is gone; this commit starts a new one.
		sh.removeAt(pos, slot)
		sh.expired.Add(1)
		ok = false
	}
	if !ok {
		sh.insert(token, h, b, at, now)
	} else {
		if e := &sh.entries[pos]; !bytes.Equal(e.buf[e.tokLen:], b) {
			e.buf = join(token, b)
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
	sh, h := s.shardOf(token)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if slot, pos, ok := sh.lookup(token, h); ok {
		sh.removeAt(pos, slot)
		sh.deleted.Add(1)
	}
	return nil
}

// All returns the token and data of every session that Find would find
// now. It locks one shard at a time, only to note where that shard's live
// sessions are (stored sessions are never modified in place), and builds
// the map after letting go. Sessions committed or removed while it runs
// may or may not appear. The map is never nil.
func (s *Store) All() (map[string][]byte, error) {
	now := s.now().UnixNano()
	all := make(map[string][]byte)
	var live []entry
	for i := range s.shards {
		sh := &s.shards[i]
		live = live[:0]
		sh.mu.Lock()
		for _, e := range sh.entries {
			if now <= e.expiry {
				live = append(live, entry{buf: e.buf, tokLen: e.tokLen})
			}
		}
		sh.mu.Unlock()
		for j := range live {
			all[live[j].token()] = live[j].payload()
		}
	}
	return all, nil
}
