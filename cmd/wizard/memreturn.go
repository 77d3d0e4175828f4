package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/wizard/wizard/sessionstore"
)

// After a mass expiry the memory store unmaps what its sessions held (its
// sweep does, see sessionstore/shrink.go), but the Go heap keeps what the
// requests that made them left behind. At GOGC=400 the heap may grow to
// five times what is live before a collection; once the traffic stops,
// nothing allocates, no collection comes to lower that goal, and the
// runtime's scavenger only returns what lies above it. 100,000 sessions
// expiring left about 70% of the resident memory they had added, three
// quarters of it heap (TestMassExpiryGivesMemoryBack). So when the
// store's live sessions have fallen by half or more, and stopped falling,
// the server collects and returns the heap's free pages once
// (debug.FreeOSMemory: a collection of a heap of a few megabytes, and one
// madvise per free span), and not again until they have risen and fallen
// again. That left 10%.
//
// Under steady load the number of live sessions barely moves, so no
// collection is ever forced there, and GOGC=400 keeps its savings. What
// this does not undo: under light traffic after the return, the heap grows
// back towards five times what is live before the next collection, as it
// did before the sessions came.

// Thresholds of heapReturn, in one place.
const (
	// heapReturnEvery is how often the store's live sessions are read.
	heapReturnEvery = time.Second
	// heapReturnShare is the fraction of the high-water mark of live
	// sessions that must have gone.
	heapReturnShare = 0.5
	// heapReturnMinDrop is the fewest sessions that must have gone: below
	// this a store's sessions and their requests' garbage are a few
	// megabytes at most, not worth a collection.
	heapReturnMinDrop = 10_000
	// heapReturnSettled and heapReturnQuiet say when a fall is over: no
	// reading for heapReturnQuiet has found more than heapReturnSettled
	// of the high-water mark gone since the reading before. Returning
	// memory midway through an expiry would leave the rest of its garbage
	// behind, and sessions made over a minute expire over a minute, in
	// steps of one sweep (a second): two readings between the same two
	// sweeps see no change.
	heapReturnSettled = 0.01
	heapReturnQuiet   = 5 * time.Second
	// heapReturnGap is the least time between two returns, whatever the
	// sessions do.
	heapReturnGap = time.Minute
)

// A heapReturn decides when the heap's memory is given back: after the
// live sessions have fallen to at most (1-heapReturnShare) of their
// highest since the last return, by at least heapReturnMinDrop, and have
// stopped falling, at most once per gap. Make one with newHeapReturn.
type heapReturn struct {
	quiet, gap time.Duration // heapReturnQuiet and heapReturnGap; shorter in tests
	high, prev int64         // highest live count since the last return; the last reading
	lastFall   time.Time     // the last reading that found the count falling
	last       time.Time     // when memory was last returned; zero if never
}

func newHeapReturn() *heapReturn {
	return &heapReturn{quiet: heapReturnQuiet, gap: heapReturnGap}
}

// observe takes a reading of the live sessions at now and reports whether
// memory should be returned now; if so it counts as returned.
func (h *heapReturn) observe(live int64, now time.Time) bool {
	prev := h.prev
	h.prev = live
	h.high = max(h.high, live)
	if float64(prev-live) > heapReturnSettled*float64(h.high) {
		h.lastFall = now
	}
	dropped := h.high - live
	if dropped < heapReturnMinDrop || float64(dropped) < heapReturnShare*float64(h.high) {
		return false
	}
	if now.Sub(h.lastFall) < h.quiet {
		return false // still falling: the expiry is not over
	}
	if !h.last.IsZero() && now.Sub(h.last) < h.gap {
		return false
	}
	h.high, h.last = live, now
	return true
}

// heapReturnedMsg is what the log says when memory was returned.
const heapReturnedMsg = "returned free heap memory after sessions ended"

// returnHeapAfterExpiry returns the heap's free memory to the system
// after a mass expiry, as a heapReturn decides from the store's live
// sessions read every heapReturnEvery, until ctx ends. It does nothing for
// a store without counters (stats nil): only the memory store has them.
func returnHeapAfterExpiry(ctx context.Context, stats func() sessionstore.Stats, log *slog.Logger) {
	if stats == nil {
		return
	}
	newHeapReturn().watch(ctx, heapReturnEvery, stats, debug.FreeOSMemory, log)
}

// watch reads the live sessions every interval until ctx ends and calls
// free whenever observe says so.
func (h *heapReturn) watch(ctx context.Context, every time.Duration, stats func() sessionstore.Stats, free func(), log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			high, live := h.high, stats().Live
			if h.observe(live, now) {
				free()
				log.Info(heapReturnedMsg, "sessions_before", high, "sessions_now", live, "took", time.Since(now).Round(time.Microsecond))
			}
		}
	}
}
