package sessionstore

import (
	"encoding/binary"
	"math/bits"
)

// A session's key and payload are one record. Records live in slabs, one
// per size class and shard: a slab is a dense array of equal-sized
// records, kept dense the way the entries are (removing a record moves the
// slab's last record into its place), so a slab shrinks when its class
// empties and memory comes back however the removals were scattered.
// Each record starts with the position of the entry that owns it, so the
// entry of a moved record can be told where its record went.
//
// Size classes are multiples of 8 bytes up to 256, then eight classes per
// doubling up to 64 KiB: a record wastes at most 7 bytes, or an eighth of
// its size. Records larger than that are single allocations (large).

const (
	recordHeader  = 4 // the owning entry's position
	smallClasses  = 32
	maxSlabRecord = 64 << 10
	numClasses    = smallClasses + 8*(16-8) // 8-byte steps, then 8 per doubling from 256 B to 64 KiB
	// largeClass marks an entry whose record is in shard.large.
	largeClass = numClasses
	// slabFloor is the fewest records a slab keeps room for.
	slabFloor = 8
)

// classOf returns the size class of an n-byte record (header included)
// and the record size of that class; largeClass if n > maxSlabRecord.
func classOf(n int) (class uint8, size int) {
	if n <= smallClasses*8 {
		c := (max(n, 1) + 7) / 8
		return uint8(c - 1), c * 8
	}
	if n > maxSlabRecord {
		return largeClass, n
	}
	k := bits.Len(uint(n - 1)) // 2^(k-1) < n <= 2^k, 9 <= k <= 16
	half := 1 << (k - 1)
	step := half / 8
	j := (n - half + step - 1) / step // 1..8
	return uint8(smallClasses + (k-9)*8 + j - 1), half + j*step
}

// classSize returns the record size of a slab class.
func classSize(class uint8) int {
	c := int(class)
	if c < smallClasses {
		return (c + 1) * 8
	}
	c -= smallClasses
	half := 1 << (8 + c/8)
	return half + (c%8+1)*half/8
}

// A slab holds the records of one size class: record i is
// data[i*size:(i+1)*size].
type slab struct {
	data []byte
	size int
}

// A largeRecord is a record too big for any slab, held in an array of
// its own (mapped, at that size) with its owner beside it.
type largeRecord struct {
	data  []byte // key then payload, no header
	owner int32
}

// record returns the key and payload of the entry e.
func (s *shard) record(e *entry) []byte {
	if e.class == largeClass {
		return s.large[e.slot].data
	}
	sl := &s.slabs[e.class]
	off := int(e.slot)*sl.size + recordHeader
	return sl.data[off : off+int(e.keyLen)+int(e.payLen)]
}

// storedKey returns the stored key of the entry e.
func (s *shard) storedKey(e *entry) []byte { return s.record(e)[:e.keyLen] }

// payload returns the stored payload of the entry e. It is the store's
// memory: callers copy it before the shard's lock is released.
func (s *shard) payload(e *entry) []byte { return s.record(e)[e.keyLen:] }

// placeRecord stores k and b in a new record owned by the entry at owner
// and returns where it is. On failure to grow the slab nothing changes.
func (s *shard) placeRecord(k *key, b []byte, owner int32) (class uint8, slot uint32, err error) {
	n := k.len() + len(b)
	class, size := classOf(recordHeader + n)
	if class == largeClass {
		data, err := makeArray[byte](n, s.mapped)
		if err != nil {
			return 0, 0, err
		}
		k.copyTo(data)
		copy(data[k.len():], b)
		s.large = append(s.large, largeRecord{data: data, owner: owner})
		return class, uint32(len(s.large) - 1), nil
	}
	for int(class) >= len(s.slabs) {
		s.slabs = append(s.slabs, slab{size: classSize(uint8(len(s.slabs)))})
	}
	sl := &s.slabs[class]
	if sl.data, err = growArray(sl.data, size, slabFloor*size, s); err != nil {
		return 0, 0, err
	}
	slot = uint32(len(sl.data) / size)
	sl.data = sl.data[:len(sl.data)+size]
	rec := sl.data[int(slot)*size:]
	binary.LittleEndian.PutUint32(rec, uint32(owner))
	k.copyTo(rec[recordHeader:])
	copy(rec[recordHeader+k.len():], b)
	return class, slot, nil
}

// setOwner records that the entry e, whose record it is, is now at pos.
func (s *shard) setOwner(e *entry, pos int32) {
	if e.class == largeClass {
		s.large[e.slot].owner = pos
		return
	}
	sl := &s.slabs[e.class]
	binary.LittleEndian.PutUint32(sl.data[int(e.slot)*sl.size:], uint32(pos))
}

// freeRecord removes the record at slot of class, moving the last record
// of its slab (or of large) into its place and telling that record's
// entry. The sweep shrinks the slab when it is mostly empty.
func (s *shard) freeRecord(class uint8, slot uint32) {
	if class == largeClass {
		s.retire(detach(s.large[slot].data))
		last := len(s.large) - 1
		if int(slot) != last {
			s.large[slot] = s.large[last]
			s.entries[s.large[slot].owner].slot = slot
		}
		s.large[last] = largeRecord{}
		s.large = s.large[:last]
		if len(s.large) == 0 {
			s.large = nil
		}
		return
	}
	sl := &s.slabs[class]
	size := sl.size
	last := len(sl.data)/size - 1
	if int(slot) != last {
		dst := sl.data[int(slot)*size : (int(slot)+1)*size]
		copy(dst, sl.data[last*size:])
		s.entries[binary.LittleEndian.Uint32(dst)].slot = slot
	}
	sl.data = sl.data[:last*size]
}
