package sessionlock

import (
	"context"
	"testing"
	"time"
)

// fetchLeaser is a memLeaser that also serves sessions' data with the
// lease, as the Redis and PostgreSQL leasers do.
type fetchLeaser struct {
	*memLeaser
	data     map[string]string // by store key
	releases int
}

func (f *fetchLeaser) AcquireFetch(ctx context.Context, key, owner string, ttl time.Duration, storeKey string) (bool, []byte, bool, error) {
	ok, err := f.Acquire(ctx, key, owner, ttl)
	if !ok || err != nil {
		return ok, nil, false, err
	}
	v, found := f.data[storeKey]
	return true, []byte(v), found, nil
}

func (f *fetchLeaser) Release(ctx context.Context, key, owner string) error {
	f.releases++
	return f.memLeaser.Release(ctx, key, owner)
}

// TestLeaseHandsFetchedDataToTheStore: with a Fetcher, the context Lock
// returns carries the session read with the lease, under the key scs
// stores it by, until the store forgets it; a lease the store released
// with its save is not released again by unlock.
func TestLeaseHandsFetchedDataToTheStore(t *testing.T) {
	f := &fetchLeaser{memLeaser: newMemLeaser(), data: map[string]string{StoreKey("token"): "saved"}}
	l := NewLease(f, time.Hour)

	ctx, unlock, err := l.Lock(context.Background(), "token")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := HeldFrom(ctx)
	if data, found, ok := h.Fetched(StoreKey("token")); !ok || !found || string(data) != "saved" {
		t.Errorf("Fetched = %q, %v, %v; want %q, true, true", data, found, ok, "saved")
	}
	if _, _, ok := h.Fetched(StoreKey("other")); ok {
		t.Error("Fetched answers for a key the lock did not read")
	}
	h.Forget()
	if _, _, ok := h.Fetched(StoreKey("token")); ok {
		t.Error("Fetched answers after Forget")
	}
	unlock()
	if f.releases != 1 {
		t.Errorf("unlock released %d times, want 1", f.releases)
	}

	ctx, unlock, err = l.Lock(context.Background(), "new")
	if err != nil {
		t.Fatal(err)
	}
	h, _ = HeldFrom(ctx)
	if _, found, ok := h.Fetched(StoreKey("new")); !ok || found {
		t.Errorf("Fetched of a session not stored: found %v, ok %v; want false, true", found, ok)
	}
	h.Released() // the store's save ended the lease
	f.memLeaser.Release(context.Background(), h.Key, h.Owner)
	unlock()
	if f.releases != 1 {
		t.Errorf("unlock after the store released the lease: %d releases, want still 1", f.releases)
	}
	if _, _, ok := h.Fetched(StoreKey("new")); ok {
		t.Error("Fetched answers after Released")
	}
}

// A Held made by hand (no lock behind it) has nothing fetched, and its
// methods do nothing.
func TestHandMadeHeld(t *testing.T) {
	h := Held{Key: "k", Owner: "o"}
	h.Forget()
	h.Released()
	if _, _, ok := h.Fetched("k"); ok {
		t.Error("a hand-made Held has fetched data")
	}
}
