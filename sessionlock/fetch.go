package sessionlock

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"
)

// Fetcher is a Leaser that can read a session's stored data in the same
// round trip that takes its lease. Lease.Lock uses it when the leaser has
// it: the data travels to the store in the returned context (see
// Held.Fetched), so that loading the session costs no second round trip.
type Fetcher interface {
	Leaser
	// AcquireFetch is Acquire; when it takes the lease it also returns the
	// data stored under storeKey, found=false if there is none (or none
	// that is still live).
	AcquireFetch(ctx context.Context, key, owner string, ttl time.Duration, storeKey string) (acquired bool, data []byte, found bool, err error)
}

// StoreKey is the key scs keeps token's session under with
// HashTokenInStore on: SHA-256 in unpadded base64url. Lease.Lock fetches
// the session under this key; a store asked for another key (scs without
// HashTokenInStore) finds no fetched data for it and reads its own.
func StoreKey(token string) string { return storeKeyOf(tokenSum(token)) }

// tokenSum is token's SHA-256, which both its store key and its lease key
// come from. A token (43 bytes in scs's form) is hashed from a copy on the
// stack, as a conversion to []byte would allocate.
func tokenSum(token string) [sha256.Size]byte {
	var buf [64]byte
	if len(token) <= len(buf) {
		return sha256.Sum256(buf[:copy(buf[:], token)])
	}
	return sha256.Sum256([]byte(token))
}

// storeKeyOf is StoreKey from the token's sum.
func storeKeyOf(sum [sha256.Size]byte) string {
	var key [43]byte // base64.RawURLEncoding.EncodedLen(sha256.Size)
	base64.RawURLEncoding.Encode(key[:], sum[:])
	return string(key[:])
}

// leaseState is what a request's lease and its store share: the data
// fetched with the lease, and whether the store's final save released the
// lease already. One request uses it, but the lock's unlock and the store
// may run on different goroutines, hence the mutex.
type leaseState struct {
	mu       sync.Mutex
	storeKey string // of the fetched data; "" when there is none (any more)
	data     []byte
	found    bool
	released bool
}

// Fetched returns the data the lock read with the lease under storeKey
// (see Fetcher), while nothing has written that key since: ok=false means
// the store must read it itself.
func (h Held) Fetched(storeKey string) (data []byte, found, ok bool) {
	if h.state == nil {
		return nil, false, false
	}
	h.state.mu.Lock()
	defer h.state.mu.Unlock()
	if h.state.storeKey == "" || h.state.storeKey != storeKey {
		return nil, false, false
	}
	return h.state.data, h.state.found, true
}

// Forget drops the fetched data: a store calls it when it writes or
// deletes the session, after which the data no longer says what is stored.
func (h Held) Forget() {
	if h.state == nil {
		return
	}
	h.state.mu.Lock()
	defer h.state.mu.Unlock()
	h.state.storeKey, h.state.data, h.state.found = "", nil, false
}

// Released records that the store ended the lease itself, in the round
// trip that saved the session (the request's last write): the lock's
// unlock then leaves the store alone. Any later write under this Held is
// refused by the store with ErrLeaseLost, as the lease is no longer held.
func (h Held) Released() {
	if h.state == nil {
		return
	}
	h.state.mu.Lock()
	defer h.state.mu.Unlock()
	h.state.released = true
	h.state.storeKey, h.state.data, h.state.found = "", nil, false
}

// wasReleased reports whether the store released the lease (see Released).
func (s *leaseState) wasReleased() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.released
}
