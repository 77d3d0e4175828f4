package sessionlock

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"
)

// Leaser grants short leases on keys in a store that several processes
// share. A lease ends by Release or, if its holder died, by itself after
// its time to live.
type Leaser interface {
	// Acquire takes the lease on key for owner if nobody holds it (or the
	// holder's lease ran out), and reports whether it did.
	Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error)
	// Release ends owner's lease on key; a lease owner no longer holds is
	// left alone.
	Release(ctx context.Context, key, owner string) error
}

// Lease locks a session across processes: first within this process (so a
// process's own requests queue without polling the store), then with a
// lease in the shared store. Keys are SHA-256 hashes of session tokens, so
// the store never holds a token.
type Lease struct {
	local  *Local
	leaser Leaser
	ttl    time.Duration
}

// NewLease returns a cross-process locker whose leases last ttl: long
// enough for any request, short enough that a crashed holder blocks its
// session only briefly.
func NewLease(leaser Leaser, ttl time.Duration) *Lease {
	return &Lease{local: NewLocal(), leaser: leaser, ttl: ttl}
}

// Lock waits for the session's lock until ctx ends.
func (l *Lease) Lock(ctx context.Context, token string) (func(), error) {
	key := hashKey(token)
	unlockLocal, err := l.local.Lock(ctx, key)
	if err != nil {
		return nil, err
	}
	owner := newOwner()
	wait := time.Millisecond
	for {
		ok, err := l.leaser.Acquire(ctx, key, owner, l.ttl)
		if err != nil {
			unlockLocal()
			return nil, fmt.Errorf("acquire session lease: %w", err)
		}
		if ok {
			break
		}
		// Back off with jitter, up to 20 ms: another process holds it.
		t := time.NewTimer(wait/2 + rand.N(wait))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			unlockLocal()
			return nil, fmt.Errorf("wait for session lease: %w", ctx.Err())
		}
		wait = min(2*wait, 20*time.Millisecond)
	}
	return func() {
		// Release even if the request's context is gone; if it fails, the
		// lease runs out by itself.
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		l.leaser.Release(rctx, key, owner)
		unlockLocal()
	}, nil
}

func hashKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:16])
}

func newOwner() string { return crand.Text() }
