// Package sessionstore is an in-memory scs.Store built for a million
// sessions: lookups, commits and deletes are O(1), expired sessions leave
// a little at a time instead of in one long sweep, a cap bounds how many
// sessions are held, and memory is handed back after a mass expiry.
//
// The store is split into shards, each behind its own mutex. A shard keeps
// its entries in one dense slice, finds them through an open-addressing
// index of 8-byte slots, orders their deadlines in a binary min-heap and
// threads them on two LRU lists (probation and protected) for eviction.
// Nothing ever walks a whole shard while holding its lock: expiry pops the
// heap a bounded batch at a time, and a shard's slices and index shrink
// once it holds a quarter (index: an eighth) of what it has room for.
//
// When a shard is full, a new session evicts the least recently used
// session of the probation segment, which holds sessions used only once.
// A second use (a Find, or a Commit to an existing token) promotes a session
// to the protected segment, which is evicted from only when probation is
// empty. A flood of one-shot sessions therefore pushes out other one-shot
// sessions, not users in the middle of a wizard.
package sessionstore
