package sessionstore

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// TestIndexCollisions drives the index with chosen hashes so that probe
// chains collide, wrap around the end of the table and get shifted back
// on deletion, and checks every remaining entry stays reachable.
func TestIndexCollisions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := newIndex(new(atomic.Int64))
	model := map[int32]uint32{} // pos -> hash
	hashes := []uint32{0, 1, 15, 15, 15, 16, 31, 31, 0xffff_ffff}
	next := int32(0)
	for step := range 20_000 {
		if len(model) == 0 || rng.IntN(3) != 0 {
			h := hashes[rng.IntN(len(hashes))]
			if rng.IntN(2) == 0 {
				h = rng.Uint32()
			}
			old, err := x.reserve()
			if err != nil {
				t.Fatal(err)
			}
			old.unmap(x.mapped)
			x.add(h, next)
			model[next] = h
			next++
		} else {
			for pos, h := range model { // delete an arbitrary entry
				x.remove(x.slotOf(h, pos))
				delete(model, pos)
				break
			}
		}
		if step%97 != 0 {
			continue
		}
		if x.count != len(model) {
			t.Fatalf("step %d: count = %d, want %d", step, x.count, len(model))
		}
		for pos, h := range model {
			if got := slotPos(x.slots[x.slotOf(h, pos)]); got != pos {
				t.Fatalf("step %d: slotOf(%#x, %d) holds %d", step, h, pos, got)
			}
		}
	}
	for pos, h := range model {
		x.remove(x.slotOf(h, pos))
	}
	if n := x.shrinkTarget(); n != 0 {
		slots, _ := makeArray[uint64](n, x.mapped)
		x.rebuild(slots).unmap(x.mapped)
	}
	if x.count != 0 || len(x.slots) != minIndexSlots {
		t.Fatalf("emptied index: count %d, %d slots; want 0, %d", x.count, len(x.slots), minIndexSlots)
	}
}
