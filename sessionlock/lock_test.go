package sessionlock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLocalExcludes(t *testing.T) {
	l := NewLocal()
	var inside, maxInside, total atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Go(func() {
			_, unlock, err := l.Lock(context.Background(), "k")
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(100 * time.Microsecond)
			total.Add(1)
			inside.Add(-1)
			unlock()
		})
	}
	wg.Wait()
	if maxInside.Load() != 1 || total.Load() != 50 {
		t.Errorf("max holders %d, total %d; want 1 and 50", maxInside.Load(), total.Load())
	}
	if n := l.held(); n != 0 {
		t.Errorf("%d entries left after every unlock", n)
	}
}

func TestLocalOtherKeysDoNotWait(t *testing.T) {
	l := NewLocal()
	_, unlock, _ := l.Lock(context.Background(), "a")
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, u2, err := l.Lock(ctx, "b")
	if err != nil {
		t.Fatalf("key b waited for key a: %v", err)
	}
	u2()
}

func TestLocalGivesUpWithContext(t *testing.T) {
	l := NewLocal()
	_, unlock, _ := l.Lock(context.Background(), "k")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := l.Lock(ctx, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	unlock()
	if n := l.held(); n != 0 {
		t.Errorf("%d entries left", n)
	}
}

// memLeaser is a Leaser in memory with a settable clock, standing in for
// Redis or PostgreSQL.
type memLeaser struct {
	mu     sync.Mutex
	now    time.Time
	owners map[string]string
	until  map[string]time.Time
	calls  int
	// renewals counts Renew calls.
	renewals int
	// realTime makes the leaser read the wall clock instead of now.
	realTime bool
}

func (m *memLeaser) clock() time.Time {
	if m.realTime {
		return time.Now()
	}
	return m.now
}

func newMemLeaser() *memLeaser {
	return &memLeaser{now: time.Unix(0, 0), owners: map[string]string{}, until: map[string]time.Time{}}
}

func (m *memLeaser) Acquire(_ context.Context, key, owner string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if _, held := m.owners[key]; held && m.clock().Before(m.until[key]) {
		return false, nil
	}
	m.owners[key], m.until[key] = owner, m.clock().Add(ttl)
	return true, nil
}

func (m *memLeaser) Renew(_ context.Context, key, owner string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.renewals++
	if m.owners[key] != owner || !m.clock().Before(m.until[key]) {
		return false, nil
	}
	m.until[key] = m.clock().Add(ttl)
	return true, nil
}

func (m *memLeaser) Release(_ context.Context, key, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.owners[key] == owner {
		delete(m.owners, key)
	}
	return nil
}

func TestLeaseExcludesAcrossProcesses(t *testing.T) {
	shared := newMemLeaser()
	a, b := NewLease(shared, time.Hour), NewLease(shared, time.Hour) // two processes
	_, unlock, err := a.Lock(context.Background(), "token")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := b.Lock(ctx, "token"); err == nil {
		t.Fatal("second process took a held lease")
	}
	unlock()
	_, u, err := b.Lock(context.Background(), "token")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	u()
	for k := range shared.owners {
		if k == "token" {
			t.Error("the store holds the raw token")
		}
	}
}

// TestLeaseOfCrashedHolderRunsOut: a holder that never releases blocks the
// session only until its lease's time to live has passed.
func TestLeaseOfCrashedHolderRunsOut(t *testing.T) {
	shared := newMemLeaser()
	crashed := NewLease(shared, 5*time.Second)
	if _, _, err := crashed.Lock(context.Background(), "token"); err != nil {
		t.Fatal(err)
	}
	other := NewLease(shared, 5*time.Second)
	done := make(chan error, 1)
	go func() {
		_, u, err := other.Lock(context.Background(), "token")
		if err == nil {
			u()
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("got the lock while the lease lived: %v", err)
	case <-time.After(30 * time.Millisecond):
	}
	shared.mu.Lock()
	shared.now = shared.now.Add(5 * time.Second) // the lease's time runs out
	shared.mu.Unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("still blocked after the lease ran out")
	}
}

// TryLock takes a free key at once and refuses a held one, and an entry
// reused after an unlock locks like a new one.
func TestLocalTryLock(t *testing.T) {
	l := NewLocal()
	unlock, ok := l.TryLock("k")
	if !ok {
		t.Fatal("TryLock of a free key: got false")
	}
	if _, ok := l.TryLock("k"); ok {
		t.Fatal("TryLock of a held key: got true")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := l.Lock(ctx, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock of a held key: got %v, want a deadline error", err)
	}
	unlock()
	for range 3 { // the same entry, reused
		u, ok := l.TryLock("k")
		if !ok {
			t.Fatal("TryLock after unlock: got false")
		}
		if _, ok := l.TryLock("k"); ok {
			t.Fatal("TryLock of a held, reused key: got true")
		}
		u()
	}
	if n := l.held(); n != 0 {
		t.Errorf("%d entries left after every unlock", n)
	}
}

// TestLeaseRenewedWhileHeld: a request that holds its lease longer than the
// lease's time to live keeps it, because the lease is renewed; another
// process gets it only once it is released.
func TestLeaseRenewedWhileHeld(t *testing.T) {
	shared := newMemLeaser()
	shared.realTime = true
	const ttl = 200 * time.Millisecond
	a, b := NewLease(shared, ttl), NewLease(shared, ttl)
	ctx, unlock, err := a.Lock(context.Background(), "token")
	if err != nil {
		t.Fatal(err)
	}
	held, ok := HeldFrom(ctx)
	if !ok || held.Key != hashKey("token") || held.Owner == "" {
		t.Fatalf("HeldFrom = %+v, %v; want the lease on the token's hash", held, ok)
	}
	wctx, cancel := context.WithTimeout(context.Background(), 5*ttl)
	defer cancel()
	if _, _, err := b.Lock(wctx, "token"); err == nil {
		t.Fatal("another process took a lease its holder still renews")
	}
	shared.mu.Lock()
	renewals, owner := shared.renewals, shared.owners[held.Key]
	shared.mu.Unlock()
	if renewals < 3 || owner != held.Owner {
		t.Errorf("after 5 TTLs: %d renewals, owner %q; want at least 3 and %q", renewals, owner, held.Owner)
	}
	unlock()
	_, u, err := b.Lock(context.Background(), "token")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	u()
	time.Sleep(ttl / 2) // a renewal under way at the release may still land
	shared.mu.Lock()
	after := shared.renewals
	shared.mu.Unlock()
	time.Sleep(2 * ttl)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.renewals != after {
		t.Errorf("%d renewals after every lease was released", shared.renewals-after)
	}
}

// TestLocalLockCarriesNoLease: an in-process lock needs nothing from the
// store, so its context carries no lease.
func TestLocalLockCarriesNoLease(t *testing.T) {
	ctx, unlock, err := NewLocal().Lock(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if h, ok := HeldFrom(ctx); ok {
		t.Errorf("HeldFrom = %+v; want none", h)
	}
}

// hashKey is the lease key of token, as Lock names it: the first half of
// its SHA-256, in hex.
func hashKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:16])
}
