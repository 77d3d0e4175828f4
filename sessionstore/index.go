package sessionstore

import "sync/atomic"

// minIndexSlots is the smallest index a shard keeps.
const minIndexSlots = 16

// An index maps a token to the position of its entry in a shard's entries
// slice. It is an open-addressing table with linear probing: each slot
// packs the token's 32-bit hash (high half) with the entry's position + 1
// (low half), and 0 marks an empty slot. Deletion shifts later slots back
// instead of leaving tombstones, so a missing token's probe stops at the
// first empty slot and the table can be rebuilt at any size from the
// hashes alone, without touching the entries.
//
// The index grows when it is three-quarters full and shrinks (by the
// sweep) when it is less than an eighth full, so it never keeps the peak
// after a mass expiry.
// Its slots come from makeArray.
type index struct {
	slots  []uint64
	count  int
	mapped *atomic.Int64
}

func newIndex(mapped *atomic.Int64) index {
	slots, _ := makeArray[uint64](minIndexSlots, mapped) // on the Go heap: cannot fail
	return index{slots: slots, mapped: mapped}
}

func packSlot(h uint32, pos int32) uint64 { return uint64(h)<<32 | uint64(uint32(pos)+1) }

// slotHash and slotPos unpack a non-empty slot.
func slotHash(v uint64) uint32 { return uint32(v >> 32) }
func slotPos(v uint64) int32   { return int32(uint32(v) - 1) }

func (x *index) mask() int { return len(x.slots) - 1 }

// reserve makes room for one more add, growing the index when it would
// be more than three-quarters full. It returns the old slots' memory for
// the caller to unmap once it holds no lock.
func (x *index) reserve() (mapping, error) {
	if (x.count+1)*4 <= len(x.slots)*3 {
		return mapping{}, nil
	}
	slots, err := makeArray[uint64](len(x.slots)*2, x.mapped)
	if err != nil {
		return mapping{}, err
	}
	return x.rebuild(slots), nil
}

// add records that the entry at pos has hash h. The caller ensures the
// key is not already present and has called reserve.
func (x *index) add(h uint32, pos int32) {
	mask := x.mask()
	i := int(h) & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = packSlot(h, pos)
	x.count++
}

// slotOf returns the slot holding the entry at pos, whose hash is h. The
// entry must be present.
func (x *index) slotOf(h uint32, pos int32) int {
	want := packSlot(h, pos)
	mask := x.mask()
	i := int(h) & mask
	for x.slots[i] != want {
		i = (i + 1) & mask
	}
	return i
}

// remove empties slot i and shifts back the slots after it that would
// otherwise become unreachable from their home slot.
func (x *index) remove(i int) {
	mask := x.mask()
	for {
		x.slots[i] = 0
		j := i
		for {
			j = (j + 1) & mask
			v := x.slots[j]
			if v == 0 {
				x.count--
				return
			}
			home := int(slotHash(v)) & mask
			// Slot j's entry may stay if its home lies cyclically in (i, j].
			if i <= j {
				if i < home && home <= j {
					continue
				}
			} else if i < home || home <= j {
				continue
			}
			x.slots[i] = v
			i = j
			break
		}
	}
}

// shrinkTarget returns the number of slots the index should shrink to, or
// 0 to stay: once it is less than an eighth full, the least power of two
// that leaves it at most half full.
func (x *index) shrinkTarget() int {
	if len(x.slots) <= minIndexSlots || x.count*8 >= len(x.slots) {
		return 0
	}
	n := minIndexSlots
	for n < x.count*2 {
		n *= 2
	}
	return n
}

// rebuild moves the index into slots, whose length is a power of two with
// room for every entry at under three-quarters full, and returns the old
// slots' memory for the caller to unmap once it holds no lock.
func (x *index) rebuild(slots []uint64) mapping {
	old := x.slots
	x.slots = slots
	mask := len(slots) - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := int(slotHash(v)) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = v
	}
	return detach(old)
}
