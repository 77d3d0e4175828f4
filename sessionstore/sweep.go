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

// sweep removes every session expired by now, one shard and at most
// sweepBatch sessions per lock hold, yielding the processor between
// batches so that even with GOMAXPROCS=1 a request waits for one batch at
// most. Removing entries is also what shrinks a shard after a mass expiry.
func (s *Store) sweep() {
	for i := range s.shards {
		sh := &s.shards[i]
		for {
			now := s.now().UnixNano()
			sh.mu.Lock()
			_, finished := sh.expire(now, sweepBatch)
			sh.mu.Unlock()
			if finished {
				break
			}
			runtime.Gosched()
		}
	}
}
