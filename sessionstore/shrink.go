package sessionstore

// Shrinking is the sweep's job, not a request's: it maps and unmaps
// memory, and unmapping makes every CPU the process runs on drop the
// pages from its TLB, which in a virtual machine can take milliseconds.
// A goroutine in such a system call can also lose its processor to
// another, so a request that made it could wait far longer than the call.
// So the sweep decides what to shrink under the shard's lock, makes the
// new arrays (and faults their pages in) with the lock let go, takes the
// lock again only to copy, and unmaps the old arrays, and whatever a
// growing Commit retired, after letting go.

// A shrinkPlan is the capacity each of a shard's arrays should move to;
// 0 leaves an array as it is.
type shrinkPlan struct {
	entries, heap, index int
	slabs                []int // by class; nil if no slab shrinks
}

// shrunk holds the new arrays made for a shrinkPlan.
type shrunk struct {
	entries []entry
	heap    []deadline
	index   []uint64
	slabs   [][]byte
}

// shrinkShard gives back what sh no longer needs: arrays using less than
// a quarter of their capacity move to smaller ones, and retired memory is
// unmapped.
func (s *Store) shrinkShard(sh *shard) {
	sh.mu.Lock()
	plan, ok := sh.planShrink()
	sh.mu.Unlock()
	var fresh shrunk
	if ok {
		fresh = plan.make(sh)
	}
	sh.mu.Lock()
	if ok {
		sh.applyShrink(&plan, &fresh)
	}
	sh.dropEmptySlabs()
	retired := sh.retired
	sh.retired = nil
	sh.mu.Unlock()
	for _, m := range retired {
		m.unmap(sh.mapped)
	}
}

// planShrink says which arrays should shrink, and to what.
func (s *shard) planShrink() (p shrinkPlan, any bool) {
	p.entries = shrinkTarget(len(s.entries), cap(s.entries), entriesFloor)
	p.heap = shrinkTarget(len(s.heap), cap(s.heap), entriesFloor)
	p.index = s.idx.shrinkTarget()
	any = p.entries != 0 || p.heap != 0 || p.index != 0
	for c := range s.slabs {
		sl := &s.slabs[c]
		if len(sl.data) == 0 {
			continue // dropEmptySlabs gives it all back
		}
		if t := shrinkTarget(len(sl.data), cap(sl.data), slabFloor*sl.size); t != 0 {
			if p.slabs == nil {
				p.slabs = make([]int, len(s.slabs))
			}
			p.slabs[c], any = t, true
		}
	}
	return p, any
}

// make makes the arrays of the plan, with no lock held, and faults in the
// pages the copy will fill (assuming nothing changed meanwhile), so that
// the copy under the lock does not stop on page faults. An array that
// cannot be had is left nil: that one stays as it is.
func (p *shrinkPlan) make(sh *shard) (n shrunk) {
	n.entries = makeTouched[entry](p.entries, p.entries/2, sh)
	n.heap = makeTouched[deadline](p.heap, p.heap/2, sh)
	if p.index != 0 {
		n.index, _ = makeArray[uint64](p.index, sh.mapped) // a rebuild writes anywhere in it
	}
	if p.slabs != nil {
		n.slabs = make([][]byte, len(p.slabs))
		for c, t := range p.slabs {
			n.slabs[c] = makeTouched[byte](t, t/2, sh)
		}
	}
	return n
}

// makeTouched returns an array of n elements with the first used ones
// written, or nil if n is 0 or the array cannot be had.
func makeTouched[T any](n, used int, sh *shard) []T {
	if n == 0 {
		return nil
	}
	a, err := makeArray[T](n, sh.mapped)
	if err != nil {
		return nil
	}
	clear(a[:used])
	return a
}

// applyShrink moves each array into its new one, if it still wants the
// capacity planned (one that changed while the lock was let go is left
// for the next sweep), and retires the arrays left over.
func (s *shard) applyShrink(p *shrinkPlan, n *shrunk) {
	swapArray(s, &s.entries, n.entries, p.entries, entriesFloor)
	swapArray(s, &s.heap, n.heap, p.heap, entriesFloor)
	if n.index != nil {
		if s.idx.shrinkTarget() == p.index {
			s.retire(s.idx.rebuild(n.index))
		} else {
			s.retire(detach(n.index))
		}
	}
	for c, b := range n.slabs {
		sl := &s.slabs[c]
		swapArray(s, &sl.data, b, p.slabs[c], slabFloor*sl.size)
	}
}

// dropEmptySlabs gives up the arrays of slabs holding no record. A slab
// never shrinks below eight records, up to half a megabyte in the largest
// classes: too much to keep for every class a shard has ever used.
func (s *shard) dropEmptySlabs() {
	for c := range s.slabs {
		if sl := &s.slabs[c]; len(sl.data) == 0 && sl.data != nil {
			s.retire(detach(sl.data))
			sl.data = nil
		}
	}
}

// swapArray moves *a into b if *a still wants the capacity want, and
// retires whichever of the two is left over. A nil b does nothing.
func swapArray[T any](s *shard, a *[]T, b []T, want, floor int) {
	if b == nil {
		return
	}
	if shrinkTarget(len(*a), cap(*a), floor) != want {
		s.retire(detach(b))
		return
	}
	n := len(*a)
	s.retire(moveArray(*a, b))
	*a = b[:n]
}
