package sessionstore

// A deadline is one element of a shard's expiry heap: the entry at pos
// expires no earlier than at, in Unix nanoseconds. Keeping the time in the
// heap as well as in the entry means sifting compares neighbouring memory
// instead of chasing entries. The entry's index hash fills what would be
// padding, so removing an entry finds its index slot without hashing its
// token again or touching its record.
type deadline struct {
	at   int64
	pos  int32
	hash uint32
}

// The expiry heap is a binary min-heap on deadline.at; entries record
// their heap position in heapPos so any entry can be removed in O(log n).
//
// The heap is lazy about deadlines that move later, which is what every
// Commit of a live session does: the entry's expiry changes and the heap
// keeps the old, earlier time, a lower bound. Only when that element
// reaches the top with its time passed does expire re-key it to the
// entry's real deadline. So a Commit costs O(1) instead of a sift to the
// bottom of the heap, and a session is re-keyed at most once per lifetime
// it outlives. A deadline moved earlier is sifted up at once.

func (s *shard) heapSwap(i, j int) {
	h := s.heap
	h[i], h[j] = h[j], h[i]
	s.entries[h[i].pos].heapPos = int32(i)
	s.entries[h[j].pos].heapPos = int32(j)
}

func (s *shard) heapUp(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if s.heap[parent].at <= s.heap[i].at {
			return
		}
		s.heapSwap(i, parent)
		i = parent
	}
}

// heapDown sifts element i down and reports whether it moved.
func (s *shard) heapDown(i int) bool {
	start, n := i, len(s.heap)
	for {
		least := 2*i + 1
		if least >= n {
			break
		}
		if r := least + 1; r < n && s.heap[r].at < s.heap[least].at {
			least = r
		}
		if s.heap[i].at <= s.heap[least].at {
			break
		}
		s.heapSwap(i, least)
		i = least
	}
	return i > start
}

// heapPush adds the entry at pos, whose index hash is h, with deadline
// at. The heap must have room (growArray), so that it never moves to the
// Go heap.
func (s *shard) heapPush(pos int32, at int64, h uint32) {
	n := len(s.heap)
	s.entries[pos].heapPos = int32(n)
	s.heap = s.heap[:n+1]
	s.heap[n] = deadline{at: at, pos: pos, hash: h}
	s.heapUp(n)
}

// setExpiry sets the entry at pos to expire at at.
func (s *shard) setExpiry(pos int32, at int64) {
	e := &s.entries[pos]
	// The heap's time is at most the old expiry, so a later deadline
	// needs no look at the heap at all.
	later := at >= e.expiry
	e.expiry = at
	if i := int(e.heapPos); !later && at < s.heap[i].at {
		s.heap[i].at = at
		s.heapUp(i)
	}
}

// heapRemove drops heap element i.
func (s *shard) heapRemove(i int) {
	last := len(s.heap) - 1
	if i != last {
		s.heapSwap(i, last)
	}
	s.heap = s.heap[:last]
	if i != last && !s.heapDown(i) {
		s.heapUp(i)
	}
}
