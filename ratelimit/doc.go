// Package ratelimit limits how often each client may do something, such
// as start a session or submit a form, with a token bucket per client.
//
// A client's bucket holds up to Burst tokens and gains Rate tokens every
// Per, continuously; each allowed action takes one. A bucket is stored as
// a single deadline, the moment it will be full again (the "theoretical
// arrival time" of the generic cell rate algorithm, which is a token
// bucket written another way): taking a token moves it one interval
// (Per/Rate) later, and an action is refused when that would put it more
// than Burst intervals past now. So a bucket costs one map entry of a key
// and an int64, and Allow does no arithmetic on fractions of a token.
//
// A bucket whose deadline has passed is full, which is exactly what a
// client with no bucket gets, so it may be dropped at any time without
// changing any answer. Memory is bounded by Options.MaxKeys: the buckets
// are split between shards by a hash of the key, each a map behind its own
// mutex holding at most its share of MaxKeys. When a new key finds its
// shard at that share, the shard drops every full bucket; if that frees
// less than a sixty-fourth of its share, it also drops arbitrary buckets
// (the first the map's randomised iteration yields) until it has. The
// scan costs one pass over the shard, and the room it leaves pays for it:
// at least a sixty-fourth of the shard's share of new keys come in before
// the next scan, so a new key costs O(64) steps amortised, not O(share).
// No goroutine runs in the background.
//
// Dropping a bucket that is not full forgets that its client has been
// limited: the client gets a full burst again. That happens only when a
// shard's share of MaxKeys is taken by buckets that are not yet full,
// which takes about MaxKeys clients being limited at once, so a client
// with more addresses than MaxKeys (an IPv6 prefix, a botnet) can reset
// buckets, its own and others'. The bound exists to keep memory
// fixed under any traffic: about MaxKeys × (key length + 75 bytes), 9 MB
// at the default MaxKeys with 16-byte keys (measured on Go 1.26); a
// limit per address cannot stop an attacker with unlimited addresses, and
// the store a limiter protects must survive one on its own terms.
//
// Time is measured by Options.Now relative to the moment New ran; with
// time.Now that is the monotonic clock, so a change of the wall clock
// neither frees nor blocks anyone. The clock is read before a shard's lock
// is taken, and a call is judged no earlier than the latest time its
// shard has judged one at, so a call that waited for the lock is not
// refused for the tokens of calls that overtook it.
package ratelimit
