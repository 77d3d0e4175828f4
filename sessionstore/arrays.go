package sessionstore

import "sync/atomic"

// The shard's arrays (entries, heap, index, slabs) grow and shrink through
// these two functions, so that every array comes from makeArray and goes
// back through freeArray; Go's append would silently move an array that
// is full to the Go heap.

// growArray returns a with room for extra more elements, moving its
// elements to a new array of at least twice the capacity (and at least
// least elements) when it has no room. On failure a is returned unchanged.
func growArray[T any](a []T, extra, least int, mapped *atomic.Int64) ([]T, error) {
	if len(a)+extra <= cap(a) {
		return a, nil
	}
	b, err := makeArray[T](max(2*cap(a), len(a)+extra, least), mapped)
	if err != nil {
		return a, err
	}
	b = b[:len(a)]
	copy(b, a)
	freeArray(a, mapped)
	return b, nil
}

// shrinkArray moves a's elements to an array of twice their number (and
// at least floor) once a uses less than a quarter of its capacity, so
// that memory comes back after a mass expiry at an O(len) cost that
// growing back amortizes. If the smaller array cannot be had, a stays.
func shrinkArray[T any](a []T, floor int, mapped *atomic.Int64) []T {
	if cap(a) <= floor || len(a) >= cap(a)/4 {
		return a
	}
	b, err := makeArray[T](max(floor, 2*len(a)), mapped)
	if err != nil {
		return a
	}
	b = b[:len(a)]
	copy(b, a)
	freeArray(a, mapped)
	return b
}
