//go:build linux

package sessionstore

import (
	"fmt"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// This file is the only one that uses unsafe or asks the kernel for
// memory. Its contract:
//
//   - makeArray returns a zeroed []T of length n. T must contain no
//     pointers: the collector does not look inside memory it did not
//     allocate, so a pointer kept there would not keep its target alive.
//   - An array of at least mmapThreshold bytes is an anonymous private
//     mapping outside the Go heap, so a million sessions add nothing to
//     what the collector scans or to the heap size its pacing doubles;
//     its capacity is rounded up to whole pages. Smaller arrays come from
//     the Go heap, where a pointer-free array is not scanned either.
//   - detach takes an array exactly as makeArray returned it (resliced by
//     length only: its start and capacity unchanged), once, and returns
//     its mapping, to be given back with unmap: the zero mapping if the
//     array is the Go heap's. The array must not be touched afterwards:
//     once unmapped, reading it crashes the process.
//   - unmap gives the pages back to the kernel, a chunk at a time with a
//     short sleep in between. Its system calls make every CPU running
//     the process drop the pages from its TLB, so callers make it with no
//     lock held, and not on a request's path.
//   - mapped counts the bytes currently mapped, for the benchmarks.

// mmapThreshold is the size from which an array is mapped rather than
// taken from the Go heap: big enough that a small store makes no system
// calls, small enough that a shard of a large store lives off the heap.
const mmapThreshold = 64 << 10

// A mapping is memory makeArray took from the kernel, detached from its
// array so that it can be given back later, outside any lock.
type mapping struct{ b []byte }

func makeArray[T any](n int, mapped *atomic.Int64) ([]T, error) {
	size := int(unsafe.Sizeof(*new(T)))
	if n*size < mmapThreshold {
		return make([]T, n), nil
	}
	length := mappedLength(n * size)
	b, err := syscall.Mmap(-1, 0, length, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("map %d bytes: %w", length, err)
	}
	mapped.Add(int64(length))
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), length/size)[:n], nil
}

func detach[T any](a []T) mapping {
	size := int(unsafe.Sizeof(*new(T)))
	if cap(a)*size < mmapThreshold {
		return mapping{} // the Go heap's; the collector frees it
	}
	// syscall.Munmap finds the mapping by its last byte, so this slice,
	// rebuilt with the same start and length, names the one Mmap made.
	return mapping{unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(a))), mappedLength(cap(a)*size))}
}

// none reports whether m is the zero mapping: no memory of the kernel's.
func (m mapping) none() bool { return m.b == nil }

// unmapChunk is how much unmap frees per system call. Freeing a
// shard's megabytes in one call keeps the goroutine in the kernel, and its
// processor from any other goroutine, for most of a millisecond.
const unmapChunk = 256 << 10

// unmapPause is how long unmap sleeps between chunks. Sleeping rather than
// yielding frees the processor, so another one that falls idle can take a
// goroutine queued behind a long garbage-collection worker; a goroutine
// that only yields is taken up again at once, and the queued one waits.
// With GOMAXPROCS=1 and a busy processor a sleep lasts until the running
// goroutine is preempted (10 ms), so memory then comes back over seconds
// rather than milliseconds: the price of never delaying a request.
const unmapPause = 20 * time.Microsecond

func (m mapping) unmap(mapped *atomic.Int64) {
	if m.none() {
		return
	}
	// Free the pages a chunk at a time, letting other goroutines run in
	// between, then drop the mapping, which by then holds no pages.
	for off := 0; off < len(m.b); off += unmapChunk {
		if err := syscall.Madvise(m.b[off:min(off+unmapChunk, len(m.b))], syscall.MADV_DONTNEED); err != nil {
			break // Munmap frees what is left
		}
		time.Sleep(unmapPause)
	}
	if err := syscall.Munmap(m.b); err != nil {
		// Only an address that is not a mapping fails: a broken
		// contract, not a condition to handle.
		panic(fmt.Sprintf("sessionstore: unmap %d bytes: %v", len(m.b), err))
	}
	mapped.Add(-int64(len(m.b)))
}

// mappedLength rounds n up to whole pages.
func mappedLength(n int) int {
	page := syscall.Getpagesize()
	return (n + page - 1) / page * page
}
