package sessionlock

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Leaser grants short leases on keys in a store that several processes
// share. A lease ends by Release or, if its holder died, by itself after
// its time to live.
type Leaser interface {
	// Acquire takes the lease on key for owner if nobody holds it (or the
	// holder's lease ran out), and reports whether it did.
	Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error)
	// Renew gives owner's lease on key a fresh ttl, and reports whether
	// owner still held it.
	Renew(ctx context.Context, key, owner string, ttl time.Duration) (bool, error)
	// Release ends owner's lease on key; a lease owner no longer holds is
	// left alone.
	Release(ctx context.Context, key, owner string) error
}

// ErrLeaseLost is returned (wrapped) by a store asked to save or delete a
// session under a lease that its request no longer holds: another process
// may have taken the session over, and writing now could undo its work.
var ErrLeaseLost = errors.New("session lease lost")

// Held is a lease a request holds, as the context returned by Lease.Lock
// carries it to the store: a store that shares the leases' database saves a
// session only while Owner still holds Key (see HeldFrom).
type Held struct {
	// Key is the lease's key: a hash of the session's token.
	Key string
	// Owner is this request's random owner string.
	Owner string
	// state is shared with the lock's unlock (see Fetched and Released);
	// nil in a Held made by hand.
	state *leaseState
}

type heldKey struct{}

// HeldFrom returns the lease ctx says its request holds, if any.
func HeldFrom(ctx context.Context) (Held, bool) {
	h, ok := ctx.Value(heldKey{}).(Held)
	return h, ok
}

// Lease locks a session across processes: first within this process (so a
// process's own requests queue without polling the store), then with a
// lease in the shared store. Keys are SHA-256 hashes of session tokens, so
// the store never holds a token. While a request holds a lease, the lease
// is renewed every third of its time to live, so a slow request keeps it;
// only a holder that stops (a crash, a stalled process) lets it run out.
type Lease struct {
	local  *Local
	leaser Leaser
	ttl    time.Duration
}

// NewLease returns a cross-process locker whose leases last ttl unless
// renewed: long enough to ride out a slow store call, short enough that a
// crashed holder blocks its session only briefly.
func NewLease(leaser Leaser, ttl time.Duration) *Lease {
	return &Lease{local: NewLocal(), leaser: leaser, ttl: ttl}
}

// Lock waits for the session's lock until ctx ends. The returned context
// carries the lease (see HeldFrom), for the store's conditional saves, and
// when the leaser is a Fetcher, the session's data read in the same round
// trip (see Held.Fetched). A store that released the lease with its save
// (see Held.Released) spares unlock its round trip.
func (l *Lease) Lock(ctx context.Context, token string) (context.Context, func(), error) {
	sum := tokenSum(token)
	key := hex.EncodeToString(sum[:16]) // the lease's key: half the hash, in hex
	unlockLocal, err := l.local.lock(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	owner := newOwner()
	st := &leaseState{}
	fetcher, fetch := l.leaser.(Fetcher)
	var storeKey string
	if fetch {
		storeKey = storeKeyOf(sum)
	}
	wait := time.Millisecond
	for {
		var ok bool
		if fetch {
			ok, st.data, st.found, err = fetcher.AcquireFetch(ctx, key, owner, l.ttl, storeKey)
			if ok {
				st.storeKey = storeKey
			}
		} else {
			ok, err = l.leaser.Acquire(ctx, key, owner, l.ttl)
		}
		if err != nil {
			unlockLocal()
			return nil, nil, fmt.Errorf("acquire session lease: %w", err)
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
			return nil, nil, fmt.Errorf("wait for session lease: %w", ctx.Err())
		}
		wait = min(2*wait, 20*time.Millisecond)
	}
	r := &renewer{leaser: l.leaser, key: key, owner: owner, ttl: l.ttl}
	r.start()
	return context.WithValue(ctx, heldKey{}, Held{Key: key, Owner: owner, state: st}), func() {
		r.stop()
		if st.wasReleased() {
			unlockLocal()
			return
		}
		// Release even if the request's context is gone; if it fails, the
		// lease runs out by itself.
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		l.leaser.Release(rctx, key, owner)
		unlockLocal()
	}, nil
}

// renewer renews a held lease every third of its time to live, until
// stopped or until a renewal finds the lease gone.
type renewer struct {
	leaser     Leaser
	key, owner string
	ttl        time.Duration

	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
	renewed time.Time // when the lease last had a full ttl ahead of it
}

func (r *renewer) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.renewed = time.Now()
	r.timer = time.AfterFunc(r.ttl/3, r.renew)
}

// renew runs on the timer's goroutine. A renewal that fails for an error
// is tried again at the next tick while the lease may still live; one that
// finds the lease taken, or that has failed for a whole ttl, stops: the
// store's conditional save will refuse.
func (r *renewer) renew() {
	r.mu.Lock()
	stopped := r.stopped
	r.mu.Unlock()
	if stopped {
		return
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), r.ttl/3)
	held, err := r.leaser.Renew(ctx, r.key, r.owner, r.ttl)
	cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	next := r.ttl/3 - time.Since(start) // a third of the ttl after this renewal began
	switch {
	case r.stopped:
		return
	case err == nil && !held:
		return
	case err == nil:
		r.renewed = start
	case time.Since(r.renewed) > r.ttl:
		return
	default:
		next = r.ttl / 10 // try again soon: the lease is running out
	}
	r.timer.Reset(max(next, 0))
}

// stop ends the renewals; a renewal already running finishes but does not
// schedule another.
func (r *renewer) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	r.timer.Stop()
}

func newOwner() string { return crand.Text() }
