// Package sessionlock serializes the requests of one session: in this
// process (Local), and across processes sharing a store (Lease, over a
// Leaser such as a Redis key or a PostgreSQL row).
package sessionlock

import (
	"context"
	"fmt"
	"sync"
)

// Local locks sessions within this process. Entries live only while a
// request holds or waits for them.
type Local struct {
	mu    sync.Mutex
	locks map[string]*entry
}

type entry struct {
	ch   chan struct{} // holds one value while the lock is held
	refs int
}

// NewLocal returns an in-process locker.
func NewLocal() *Local { return &Local{locks: map[string]*entry{}} }

// Lock waits until no other request of this process holds the key, or ctx
// ends. The returned unlock must be called exactly once.
func (l *Local) Lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	e := l.locks[key]
	if e == nil {
		e = &entry{ch: make(chan struct{}, 1)}
		l.locks[key] = e
	}
	e.refs++
	l.mu.Unlock()
	release := func() {
		l.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
		return func() { <-e.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, fmt.Errorf("wait for session lock: %w", ctx.Err())
	}
}

// held returns how many keys have holders or waiters (for tests).
func (l *Local) held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.locks)
}
