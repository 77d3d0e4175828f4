package sessionstore

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// An entry is one session. Its token and payload share one allocation, so
// a session costs one heap object besides its share of the shard's slices.
type entry struct {
	buf        []byte // token, then payload; never written after it is stored
	expiry     int64  // deadline in Unix nanoseconds
	prev, next int32  // neighbours on the entry's segment list
	heapPos    int32  // position of the entry's deadline in the expiry heap
	tokLen     uint16
	seg        segment
	ref        bool // used since it was last passed over by demote
}

func (e *entry) token() string { return string(e.buf[:e.tokLen]) }

// payload returns the stored data, capped so an append by the caller
// cannot write into memory the store owns.
func (e *entry) payload() []byte { return e.buf[e.tokLen:len(e.buf):len(e.buf)] }

// A shard is an independently locked part of the store. Entries are kept
// dense: removing one moves the last entry into its place, so the entries
// slice, the heap and the index are all sized by the live count and can
// shrink when it falls.
type shard struct {
	mu      sync.Mutex
	entries []entry
	heap    []deadline
	idx     index
	lists   [2]list

	capacity     int
	protectedCap int
	seed         maphash.Seed

	live                               atomic.Int64
	created, expired, evicted, deleted atomic.Uint64

	_ [64]byte // keeps neighbouring shards' locks off one cache line
}

func newShard(capacity int, seed maphash.Seed) shard {
	return shard{
		idx:          newIndex(),
		lists:        [2]list{emptyList(), emptyList()},
		capacity:     capacity,
		protectedCap: max(1, capacity*protectedPercent/100),
		seed:         seed,
	}
}

// lookup finds token, whose hash is h. It returns the index slot and entry
// position, or ok=false.
func (s *shard) lookup(token string, h uint32) (slot int, pos int32, ok bool) {
	mask := s.idx.mask()
	for i := int(h) & mask; ; i = (i + 1) & mask {
		v := s.idx.slots[i]
		if v == 0 {
			return 0, none, false
		}
		if slotHash(v) == h {
			p := slotPos(v)
			if e := &s.entries[p]; string(e.buf[:e.tokLen]) == token {
				return i, p, true
			}
		}
	}
}

// expiredAt reports whether the entry at pos has expired at now. Like
// scs's memstore, a session is still found at exactly its deadline and
// expired one nanosecond after it.
func (s *shard) expiredAt(pos int32, now int64) bool {
	return now > s.entries[pos].expiry
}

// insert stores a new session on probation, evicting first if the shard is
// full. The token must not be present.
func (s *shard) insert(token string, h uint32, b []byte, at, now int64) {
	for len(s.entries) >= s.capacity {
		if removed, _ := s.expire(now, roomScan); removed > 0 {
			continue
		}
		v := s.victim()
		s.removeAt(v, s.slotOfPos(v))
		s.evicted.Add(1)
	}
	pos := int32(len(s.entries))
	s.entries = append(s.entries, entry{buf: join(token, b), expiry: at, tokLen: uint16(len(token))})
	s.idx.add(h, pos)
	s.heapPush(pos, at)
	s.pushFront(pos, probation)
	s.live.Add(1)
	s.created.Add(1)
}

// join returns token and b in one new allocation.
func join(token string, b []byte) []byte {
	buf := make([]byte, len(token)+len(b))
	copy(buf[copy(buf, token):], b)
	return buf
}

// hashOf returns the 64-bit hash of a token; the store picks the shard
// from its low bits and the shard's index uses its high 32 bits.
// maphash.String and maphash.Bytes agree on equal contents.
func hashOf(seed maphash.Seed, token string) uint64 { return maphash.String(seed, token) }

func indexHash(h uint64) uint32 { return uint32(h >> 32) }

// slotOfPos returns the index slot of the entry at pos, rehashing its
// token in place rather than storing the hash in every entry.
func (s *shard) slotOfPos(pos int32) int {
	e := &s.entries[pos]
	return s.idx.slotOf(indexHash(maphash.Bytes(s.seed, e.buf[:e.tokLen])), pos)
}

// removeAt deletes the entry at pos, whose index slot is slot, and moves
// the last entry into its place. Positions other than the last entry's
// stay valid. The caller counts the removal by its cause.
func (s *shard) removeAt(pos int32, slot int) {
	s.heapRemove(int(s.entries[pos].heapPos))
	s.unlink(pos)
	s.idx.remove(slot)
	last := int32(len(s.entries) - 1)
	if pos != last {
		s.move(last, pos)
	}
	s.entries[last] = entry{}
	s.entries = s.entries[:last]
	s.live.Add(-1)
	s.shrink()
}

// move relocates the entry at from to the free position to, updating the
// index, the heap and its list neighbours.
func (s *shard) move(from, to int32) {
	slot := s.slotOfPos(from)
	s.idx.slots[slot] = packSlot(slotHash(s.idx.slots[slot]), to)
	e := s.entries[from]
	s.entries[to] = e
	s.heap[e.heapPos].pos = to
	l := &s.lists[e.seg]
	if e.prev != none {
		s.entries[e.prev].next = to
	} else {
		l.head = to
	}
	if e.next != none {
		s.entries[e.next].prev = to
	} else {
		l.tail = to
	}
}

// shrink reallocates the entries slice and the heap when they use less
// than a quarter of their capacity. Copying costs O(live), which at that
// point is at most a quarter of the shard's peak.
func (s *shard) shrink() {
	const floor = 64
	if n := len(s.entries); cap(s.entries) > floor && n < cap(s.entries)/4 {
		s.entries = append(make([]entry, 0, max(floor, 2*n)), s.entries...)
	}
	if n := len(s.heap); cap(s.heap) > floor && n < cap(s.heap)/4 {
		s.heap = append(make([]deadline, 0, max(floor, 2*n)), s.heap...)
	}
}

// expire removes sessions whose deadline has passed at now, earliest
// first, and re-keys heap elements whose session's deadline has moved
// later. It stops after limit steps of either kind, reporting how many
// sessions it removed and whether it finished (no expired session left).
func (s *shard) expire(now int64, limit int) (removed int, finished bool) {
	for range limit {
		if len(s.heap) == 0 || now <= s.heap[0].at {
			s.expired.Add(uint64(removed))
			return removed, true
		}
		pos := s.heap[0].pos
		if e := &s.entries[pos]; now <= e.expiry {
			s.heap[0].at = e.expiry
			s.heapDown(0)
			continue
		}
		s.removeAt(pos, s.slotOfPos(pos))
		removed++
	}
	s.expired.Add(uint64(removed))
	return removed, len(s.heap) == 0 || now <= s.heap[0].at
}
