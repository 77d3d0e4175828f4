// Package sessionstore is an in-memory scs.Store built for a million
// sessions: lookups, commits and deletes are O(1), expired sessions leave
// a little at a time instead of in one long sweep, a cap bounds how many
// sessions are held, and memory is handed back after a mass expiry.
//
// The store is split into shards, each behind its own mutex. A shard keeps
// its entries in one dense slice (token and payload in one allocation per
// session), finds them through an open-addressing index of 8-byte slots,
// orders their deadlines in a binary min-heap and threads them on two
// lists, probation and protected, for eviction. Nothing walks a whole
// shard while holding its lock (All does, but only to copy slice
// headers): expiry pops the heap a bounded batch at a time, and a shard's slices and index shrink once it
// holds a quarter (index: an eighth) of what they have room for, copying
// only what is left.
//
// A Commit that only extends a session's deadline, which is what scs does
// on every request when IdleTimeout is set, costs O(1): the heap keeps the
// old deadline as a lower bound and catches up when that reaches the top.
// A Commit of bytes identical to those stored copies nothing.
//
// When a shard is full, a new session evicts the least recently used
// session of the probation segment, which holds sessions used only once.
// A second use (a Find, or a Commit to an existing token) promotes a session
// to the protected segment, which is evicted from only when probation is
// empty. A flood of one-shot sessions therefore pushes out other one-shot
// sessions, not users in the middle of a wizard. Protected may fill 80% of
// a shard; beyond that its least recently used session, in CLOCK order, is
// demoted to probation.
package sessionstore
