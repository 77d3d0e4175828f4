package sessionstore

// The shard's arrays (entries, heap, index, slabs) grow through growArray
// and shrink through shrinkTarget and moveArray, so that every array comes
// from makeArray and its memory goes back through detach; Go's append
// would silently move a full array to the Go heap.

// growArray returns a with room for extra more elements, moving its
// elements to a new array of at least twice the capacity (and at least
// least elements) when it has no room. The old array's memory is returned
// for the caller to unmap once it holds no lock. On failure a is returned
// unchanged.
func growArray[T any](a []T, extra, least int, s *shard) ([]T, error) {
	if len(a)+extra <= cap(a) {
		return a, nil
	}
	b, err := makeArray[T](max(2*cap(a), len(a)+extra, least), s.mapped)
	if err != nil {
		return a, err
	}
	s.retire(moveArray(a, b))
	return b[:len(a)], nil
}

// shrinkTarget returns the capacity an array of n elements in cap should
// move to, or 0 to stay: once it uses less than a quarter of its capacity,
// twice its length (at least floor), so memory comes back after a mass
// expiry at an O(n) cost that growing back amortizes.
func shrinkTarget(n, capacity, floor int) int {
	if capacity <= floor || n >= capacity/4 {
		return 0
	}
	return max(floor, 2*n)
}

// moveArray copies a's elements into b, which has room for them, and
// returns a's memory to be unmapped.
func moveArray[T any](a, b []T) mapping {
	copy(b[:len(a)], a)
	return detach(a)
}
