package sessionstore

import (
	"runtime"
	"time"
)

// sweepEvery runs sweep every interval until Close.
func (s *Store) sweepEvery(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.sweep()
		case <-s.stop:
			return
		}
	}
}

// sweep removes every session expired by now, one shard and one bounded
// batch at a time, yielding the processor between batches so that even
// with GOMAXPROCS=1 a request waits for one batch at most, then shrinks
// the shard's arrays if they are mostly empty: the sweep is what gives
// memory back after a mass expiry. It stops between shards once Close is
// called, since unmapping a large store's memory can take seconds.
func (s *Store) sweep() {
	for i := range s.shards {
		select {
		case <-s.stop: // nil, and never ready, when the sweep runs by hand
			return
		default:
		}
		for !s.sweepStep(i) {
			runtime.Gosched()
		}
		s.shrinkShard(&s.shards[i])
		runtime.Gosched()
	}
}

// sweepStep takes shard i's lock once, for at most sweepBatch steps of
// expiry, and reports whether the shard has no expired session left.
func (s *Store) sweepStep(i int) (finished bool) {
	sh := &s.shards[i]
	now := s.now().UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, finished = sh.expire(now, sweepBatch)
	return finished
}
