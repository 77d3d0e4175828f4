package sinks

import (
	"encoding/binary"
	"strings"
)

// idAlphabet is Crockford's base32 alphabet, in which handlers makes
// submission IDs: 25 characters, 5 bits each.
const idAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// idLen is the length of a submission ID made by handlers: 125 bits.
const idLen = 25

// idSet holds the IDs a sink has stored. An ID of the shape handlers makes
// (idLen characters of idAlphabet, upper case) is kept as the 16 bytes its
// 125 bits fit in, inline in the map's slots, instead of a string header
// pointing at a separate 32-byte allocation; any other ID, which the Sink
// interface allows, is kept as a string. The packing is one-to-one on that
// shape and every other string goes to the other map, so two different IDs
// never meet (a lower-case ID is not its upper-case twin).
//
// BenchmarkJSONLHeldIDs measures the live heap per ID after opening a file
// of a million: 37.7 bytes, against 87.7 for the map[string]bool this
// replaced (at 200,000 IDs: 23.6 against 67.0; a map's load varies as it
// grows).
//
// The set still grows by one entry per submission ever stored, for the
// life of the process: a sink that must hold millions should be a database
// with a unique index, not a file and a map.
type idSet struct {
	packed map[[16]byte]struct{}
	other  map[string]struct{}
}

func newIDSet() idSet {
	return idSet{packed: map[[16]byte]struct{}{}}
}

// add records id.
func (s *idSet) add(id string) {
	if k, ok := packID(id); ok {
		s.packed[k] = struct{}{}
		return
	}
	if s.other == nil {
		s.other = map[string]struct{}{}
	}
	s.other[id] = struct{}{}
}

// has reports whether id was added.
func (s *idSet) has(id string) bool {
	if k, ok := packID(id); ok {
		_, held := s.packed[k]
		return held
	}
	_, held := s.other[id]
	return held
}

// merge adds the IDs of o.
func (s *idSet) merge(o idSet) {
	for k := range o.packed {
		s.packed[k] = struct{}{}
	}
	for id := range o.other {
		s.add(id)
	}
}

// packID returns the 125 bits of an ID of the shape handlers makes,
// big-endian in the low bits of 16 bytes; ok is false for any other ID.
func packID(id string) (k [16]byte, ok bool) {
	if len(id) != idLen {
		return k, false
	}
	var hi, lo uint64
	for i := range len(id) {
		v := strings.IndexByte(idAlphabet, id[i])
		if v < 0 {
			return k, false
		}
		hi = hi<<5 | lo>>59
		lo = lo<<5 | uint64(v)
	}
	binary.BigEndian.PutUint64(k[:8], hi)
	binary.BigEndian.PutUint64(k[8:], lo)
	return k, true
}
