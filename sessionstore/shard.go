package sessionstore

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// An entry is one session. It holds no pointers: its key and payload are
// a record in one of the shard's slabs, found by class and slot, so the
// collector has nothing to scan or mark per session, and the entries
// array can live outside the Go heap.
type entry struct {
	expiry     int64 // deadline in Unix nanoseconds
	prev, next int32 // neighbours on the entry's segment list
	heapPos    int32 // position of the entry's deadline in the expiry heap
	slot       uint32
	payLen     uint16 // slab records only; a large record knows its length
	keyLen     uint16
	class      uint8
	seg        segment
	ref        bool // used since it was last passed over by demote
	compact    bool // the key is a canonical 43-character token, decoded
}

// A shard is an independently locked part of the store. Entries are kept
// dense: removing one moves the last entry into its place, so the entries
// array, the heap, the index and the slabs are all sized by the live count
// and can shrink when it falls.
type shard struct {
	mu      sync.Mutex
	entries []entry
	heap    []deadline
	idx     index
	lists   [2]list
	slabs   []slab // by size class, as far as the largest class used
	large   []largeRecord
	// retired is memory no array uses any more, for the sweep to unmap
	// with no lock held.
	retired []mapping

	capacity     int
	protectedCap int
	evict        bool // Options.EvictWhenFull: a full shard evicts instead of refusing
	seed         maphash.Seed
	mapped       *atomic.Int64 // the store's bytes mapped outside the Go heap

	live                                        atomic.Int64
	created, expired, evicted, deleted, refused atomic.Uint64

	_ [64]byte // keeps neighbouring shards' locks off one cache line
}

// entriesFloor is the fewest entries (and heap elements) a shard keeps
// room for.
const entriesFloor = 64

func newShard(capacity int, evict bool, seed maphash.Seed, mapped *atomic.Int64) shard {
	return shard{
		idx:          newIndex(mapped),
		lists:        [2]list{emptyList(), emptyList()},
		capacity:     capacity,
		protectedCap: max(1, capacity*protectedPercent/100),
		evict:        evict,
		seed:         seed,
		mapped:       mapped,
	}
}

// lookup finds k, whose index hash is h. It returns the index slot and
// entry position, or ok=false.
func (s *shard) lookup(k *key, h uint32) (slot int, pos int32, ok bool) {
	mask := s.idx.mask()
	for i := int(h) & mask; ; i = (i + 1) & mask {
		v := s.idx.slots[i]
		if v == 0 {
			return 0, none, false
		}
		if slotHash(v) == h {
			p := slotPos(v)
			if e := &s.entries[p]; k.equal(s.storedKey(e), e.compact) {
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

// insert stores a new session on probation. The key must not be present.
// If the shard is full, it first drops expired sessions (roomScan steps at
// a time, for as long as that frees room); if none is found, it refuses
// with ErrFull, changing no session, or, when the shard evicts, removes
// the victim. If memory for the session cannot be had, it is not stored
// (removals made for it stand).
func (s *shard) insert(k *key, h uint32, b []byte, at, now int64) error {
	for len(s.entries) >= s.capacity {
		if removed, _ := s.expire(now, roomScan); removed > 0 {
			continue
		}
		if !s.evict {
			s.refused.Add(1)
			return fmt.Errorf("shard at its cap of %d unexpired sessions: %w", s.capacity, ErrFull)
		}
		v := s.victim()
		s.removeAt(v, s.slotOfPos(v))
		s.evicted.Add(1)
	}
	// Everything that can fail comes first, and only makes room.
	var err error
	if s.entries, err = growArray(s.entries, 1, entriesFloor, s); err != nil {
		return err
	}
	if s.heap, err = growArray(s.heap, 1, entriesFloor, s); err != nil {
		return err
	}
	old, err := s.idx.reserve()
	if err != nil {
		return err
	}
	s.retire(old)
	pos := int32(len(s.entries))
	class, slot, err := s.placeRecord(k, b, pos)
	if err != nil {
		return err
	}
	s.entries = s.entries[:pos+1]
	s.entries[pos] = entry{
		expiry: at, slot: slot, class: class, keyLen: uint16(k.len()), compact: k.compact(),
	}
	if class != largeClass {
		s.entries[pos].payLen = uint16(len(b))
	}
	s.idx.add(h, pos)
	s.heapPush(pos, at, h)
	s.pushFront(pos, probation)
	s.live.Add(1)
	s.created.Add(1)
	return nil
}

// update replaces the payload of the entry at pos, whose key is k, with
// b. Identical bytes are left alone; bytes of the same size class are
// written over the old ones (Find hands out copies, so nobody else sees
// them); otherwise the record moves to b's class.
func (s *shard) update(pos int32, k *key, b []byte) error {
	e := &s.entries[pos]
	if bytes.Equal(s.payload(e), b) {
		return nil
	}
	if class, _ := classOf(recordHeader + k.len() + len(b)); class == e.class && class != largeClass {
		rec := s.record(e)
		copy(rec[e.keyLen:cap(rec)], b)
		e.payLen = uint16(len(b))
		return nil
	}
	class, slot, err := s.placeRecord(k, b, pos)
	if err != nil {
		return err
	}
	e = &s.entries[pos]
	oldClass, oldSlot := e.class, e.slot
	e.class, e.slot, e.payLen = class, slot, 0
	if class != largeClass {
		e.payLen = uint16(len(b))
	}
	s.freeRecord(oldClass, oldSlot)
	return nil
}

// slotOfPos returns the index slot of the entry at pos, whose hash its
// heap element keeps.
func (s *shard) slotOfPos(pos int32) int {
	return s.idx.slotOf(s.heap[s.entries[pos].heapPos].hash, pos)
}

// removeAt deletes the entry at pos, whose index slot is slot, and moves
// the last entry into its place. Positions other than the last entry's
// stay valid. The caller counts the removal by its cause.
func (s *shard) removeAt(pos int32, slot int) {
	e := &s.entries[pos]
	s.freeRecord(e.class, e.slot)
	s.heapRemove(int(e.heapPos))
	s.unlink(pos)
	s.idx.remove(slot)
	last := int32(len(s.entries) - 1)
	if pos != last {
		s.move(last, pos)
	}
	s.entries = s.entries[:last]
	s.live.Add(-1)
}

// retire keeps m for the sweep to unmap.
func (s *shard) retire(m mapping) {
	if !m.none() {
		s.retired = append(s.retired, m)
	}
}

// move relocates the entry at from to the free position to, updating the
// index, the heap, its record and its list neighbours.
func (s *shard) move(from, to int32) {
	slot := s.slotOfPos(from)
	s.idx.slots[slot] = packSlot(slotHash(s.idx.slots[slot]), to)
	e := s.entries[from]
	s.entries[to] = e
	s.setOwner(&e, to)
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

// free gives back every array the shard holds, as if all its sessions had
// been deleted, without counting them. The shard stays usable.
func (s *shard) free() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.large {
		s.retire(detach(l.data))
	}
	for _, sl := range s.slabs {
		s.retire(detach(sl.data))
	}
	s.retire(detach(s.entries))
	s.retire(detach(s.heap))
	s.retire(detach(s.idx.slots))
	for _, m := range s.retired {
		m.unmap(s.mapped)
	}
	s.entries, s.heap, s.slabs, s.large, s.retired = nil, nil, nil, nil, nil
	s.idx = newIndex(s.mapped)
	s.lists = [2]list{emptyList(), emptyList()}
	s.live.Store(0)
}
