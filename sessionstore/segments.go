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

// touch records a use of the entry at pos: it moves to the head of the
// protected list, and if that overfills protected, protected's least
// recently used entry drops to the head of probation.
func (s *shard) touch(pos int32) {
	if s.lists[protected].head == pos {
		return
	}
	s.unlink(pos)
	s.pushFront(pos, protected)
	if s.lists[protected].len > s.protectedCap {
		demoted := s.lists[protected].tail
		s.unlink(demoted)
		s.pushFront(demoted, probation)
	}
}

// victim returns the entry to evict: probation's least recently used, or
// protected's if probation is empty. The shard must not be empty.
func (s *shard) victim() int32 {
	if t := s.lists[probation].tail; t != none {
		return t
	}
	return s.lists[protected].tail
}
