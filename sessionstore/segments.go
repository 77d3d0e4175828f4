package sessionstore

// A segment is the LRU list an entry is on.
type segment uint8

const (
	// probation holds sessions used once: created and not yet found or
	// committed again. Eviction takes from here first.
	probation segment = iota
	// protected holds sessions used at least twice.
	protected
)

// none marks the end of a list.
const none int32 = -1

// A list is a doubly linked LRU list threaded through the entries by
// position: head is the most recently used, tail the least.
type list struct {
	head, tail int32
	len        int
}

func emptyList() list { return list{head: none, tail: none} }

// pushFront puts the entry at pos at the head of seg.
func (s *shard) pushFront(pos int32, seg segment) {
	l := &s.lists[seg]
	e := &s.entries[pos]
	e.seg, e.prev, e.next = seg, none, l.head
	if l.head != none {
		s.entries[l.head].prev = pos
	} else {
		l.tail = pos
	}
	l.head = pos
	l.len++
}

// unlink takes the entry at pos off its list.
func (s *shard) unlink(pos int32) {
	e := &s.entries[pos]
	l := &s.lists[e.seg]
	if e.prev != none {
		s.entries[e.prev].next = e.next
	} else {
		l.head = e.next
	}
	if e.next != none {
		s.entries[e.next].prev = e.prev
	} else {
		l.tail = e.prev
	}
	l.len--
}

// touch records a use of the entry at pos. A session on probation is
// promoted to the head of protected; if that overfills protected, one
// protected session is demoted to the head of probation.
//
// Probation is a strict LRU list: its entries have been used once, so its
// order is the order they arrived in. Protected is kept in CLOCK order,
// an approximation of LRU that a hit does not reorder: a hit only sets the
// entry's referenced bit, so a Find or Commit of an active session writes
// to no other entry.
func (s *shard) touch(pos int32) {
	e := &s.entries[pos]
	e.ref = true
	if e.seg == protected {
		return
	}
	s.unlink(pos)
	s.pushFront(pos, protected)
	for s.lists[protected].len > s.protectedCap {
		s.demote()
	}
}

// demote moves the protected session least recently used, by CLOCK, to the
// head of probation: entries at the tail with their referenced bit set get
// a second chance, the bit cleared and moved to the head. Every pass over
// an entry clears its bit, so demote ends within one lap of the list. The
// protected list must not be empty.
func (s *shard) demote() {
	for {
		t := s.lists[protected].tail
		s.unlink(t)
		if e := &s.entries[t]; e.ref {
			e.ref = false
			s.pushFront(t, protected)
			continue
		}
		s.pushFront(t, probation)
		return
	}
}

// victim returns the entry to evict: probation's least recently used, or,
// if probation is empty, the protected session demote picks. The shard
// must not be empty.
func (s *shard) victim() int32 {
	if s.lists[probation].len == 0 {
		s.demote()
	}
	return s.lists[probation].tail
}
