package sessionstore

// Stats counts what a Store has done since New. Every counter only grows
// except Live and Mapped, and Live = Created - Expired - Evicted - Deleted:
// a refused session was never created, so Refused is not part of it.
type Stats struct {
	// Live is the number of sessions held now. A session past its
	// deadline counts until it is removed: by a Find or Commit of its
	// token, by the expiry each Commit does in its shard, or by the next
	// background sweep.
	Live int64
	// Created counts Commits of a token not held (or held but expired):
	// each starts a new session.
	Created uint64
	// Expired counts sessions removed because their deadline had passed.
	Expired uint64
	// Evicted counts unexpired sessions removed to make room under
	// MaxSessions; always 0 unless Options.EvictWhenFull is set.
	Evicted uint64
	// Refused counts Commits of a new session turned away with ErrFull
	// because its shard was full and no expired session was found;
	// always 0 when Options.EvictWhenFull is set. A client that retries
	// is counted each time.
	Refused uint64
	// Deleted counts sessions removed by Delete.
	Deleted uint64
	// Mapped is the bytes the store holds outside the Go heap now (on
	// Linux; elsewhere always 0): its large arrays, which it gives back
	// to the system as sessions go (see shrink.go). Mapped pages not yet
	// written to are not resident, so this is an upper bound on what the
	// store adds to the process's resident size beyond the heap.
	Mapped int64
}

// Stats returns the store's counters. Each shard's counters are read
// atomically but not all at one instant, so under load the totals may be
// off by the operations that ran while they were read.
func (s *Store) Stats() Stats {
	var st Stats
	for i := range s.shards {
		sh := &s.shards[i]
		st.Live += sh.live.Load()
		st.Created += sh.created.Load()
		st.Expired += sh.expired.Load()
		st.Evicted += sh.evicted.Load()
		st.Deleted += sh.deleted.Load()
		st.Refused += sh.refused.Load()
	}
	st.Mapped = s.mapped.Load()
	return st
}
