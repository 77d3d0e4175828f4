// Package sessionstore is an in-memory scs.Store built for a million
// sessions: lookups, commits and deletes are O(1), expired sessions leave
// a little at a time instead of in one long sweep, a cap bounds how many
// sessions are held, and memory is handed back after a mass expiry.
//
// The store is split into shards, each behind its own mutex. A shard keeps
// its entries in one dense array, finds them through an open-addressing
// index of 8-byte slots, orders their deadlines in a binary min-heap and
// threads them on two lists, probation and protected, for eviction. A
// session's token and payload are one record in a slab of its size class
// (slab.go). None of these holds a pointer, so the garbage collector has
// nothing to scan or mark per session, and on Linux every large array is
// mapped outside the Go heap (offheap_linux.go), so sessions do not count
// toward the heap size the collector's pacing doubles either. A token in
// scs's form, 43 characters of unpadded base64url, is kept as the 32 bytes
// it decodes to (key.go).
//
// Nothing walks a whole shard while holding its lock (All does, but only
// to copy its records): expiry pops the heap a bounded batch at a time.
// The background sweep also shrinks a shard's arrays once they use a
// quarter of their capacity (the index: an eighth), copying only what is
// left, and gives the memory back to the system; it makes the system
// calls that map and unmap memory with no lock held (shrink.go).
//
// A Commit that only extends a session's deadline, which is what scs does
// on every request when IdleTimeout is set, costs O(1): the heap keeps the
// old deadline as a lower bound and catches up when that reaches the top.
// A Commit of bytes identical to those stored copies nothing. Find returns
// a copy, since the store reuses its memory.
//
// The cap is split evenly between shards, and a token's shard is fixed by
// its hash, so one shard can be full while the store holds slightly fewer
// than MaxSessions. When a new session's shard is full, the shard first
// drops expired sessions, as many as a short scan of its heap finds. If
// none has expired, the store refuses the new session: Commit returns an
// error wrapping ErrFull, stores nothing, and every session held stays as
// it was; Stats.Refused counts it. A Commit to a token already held never
// needs room and always goes through. A flood of new sessions can so
// delay other new sessions, until sessions expire or are deleted, but
// never destroys work in progress; the caller decides what a refused user
// sees (a "try again shortly" page), and can limit how fast one client
// creates sessions so that a flood rarely fills the store.
//
// Options.EvictWhenFull keeps every new session instead, for stores used
// as caches: a new session evicts the least recently used session of the
// probation segment, which holds sessions used only once. A second use (a
// Find, or a Commit to an existing token) promotes a session to the
// protected segment, which is evicted from only when probation is empty.
// A flood of one-shot sessions therefore pushes out other one-shot
// sessions, not users in the middle of a wizard; but a flood of sessions
// that each make two requests is promoted too, and pushes them out.
// Protected may fill 80% of a shard; beyond that its least recently used
// session, in CLOCK order, is demoted to probation. The segments are kept
// in both modes, at the cost of a few pointer writes per promotion.
package sessionstore
