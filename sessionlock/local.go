// Package sessionlock serializes the requests of one session: in this
// process (Local), and across processes sharing a store (Lease, over a
// Leaser such as a Redis key or a PostgreSQL row). A Lease is renewed
// while its request runs, and the context Lock returns carries it (Held),
// so that a store can save a session only while its lease is still held.
// A Leaser that is also a Fetcher reads the session with the lease, and a
// store that releases the lease with its save says so (Held.Released):
// then a request costs its store two round trips in all.
package sessionlock

import (
	"context"
	"fmt"
	"sync"
)

// Local locks sessions within this process. Entries live only while a
// request holds or waits for them, and are reused afterwards: locking a
// free session allocates nothing.
type Local struct {
	mu    sync.Mutex
	locks map[string]*entry
	spare []*entry // entries no key uses, for reuse
}

// maxSpare bounds the entries kept for reuse; more are left to the GC.
const maxSpare = 1024

type entry struct {
	ch     chan struct{} // holds one value while the lock is held
	refs   int           // holders and waiters
	key    string
	unlock func() // releases the lock and the entry; made once per entry
}

// NewLocal returns an in-process locker.
func NewLocal() *Local { return &Local{locks: map[string]*entry{}} }

// acquire returns key's entry, counting the caller in. l.mu must be held.
func (l *Local) acquire(key string) *entry {
	e := l.locks[key]
	if e == nil {
		if n := len(l.spare); n > 0 {
			e, l.spare = l.spare[n-1], l.spare[:n-1]
		} else {
			e = &entry{ch: make(chan struct{}, 1)}
			e.unlock = func() { <-e.ch; l.release(e) }
		}
		e.key = key
		l.locks[key] = e
	}
	e.refs++
	return e
}

// release counts the caller out of e, and retires e when nobody holds or
// waits for it.
func (l *Local) release(e *entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.refs--; e.refs > 0 {
		return
	}
	delete(l.locks, e.key)
	e.key = ""
	if len(l.spare) < maxSpare {
		l.spare = append(l.spare, e)
	}
}

// Lock waits until no other request of this process holds the key, or ctx
// ends, and returns ctx itself: a lock within one process needs nothing
// from the store. The returned unlock must be called exactly once.
func (l *Local) Lock(ctx context.Context, key string) (held context.Context, unlock func(), err error) {
	unlock, err = l.lock(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	return ctx, unlock, nil
}

// lock waits for key's lock until ctx ends.
func (l *Local) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	e := l.acquire(key)
	l.mu.Unlock()
	select {
	case e.ch <- struct{}{}:
		return e.unlock, nil
	case <-ctx.Done():
		l.release(e)
		return nil, fmt.Errorf("wait for session lock: %w", ctx.Err())
	}
}

// TryLock takes the key's lock if nobody holds or waits for it, without
// waiting; ok=false means the caller must Lock. The returned unlock must be
// called exactly once.
func (l *Local) TryLock(key string) (unlock func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.locks[key] != nil {
		return nil, false
	}
	e := l.acquire(key)
	e.ch <- struct{}{} // a new entry's channel is empty: this never blocks
	return e.unlock, true
}

// held returns how many keys have holders or waiters (for tests).
func (l *Local) held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.locks)
}
