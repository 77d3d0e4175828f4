//go:build linux

package sessionstore

import (
	"fmt"
	"sync/atomic"
	"syscall"
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
//   - freeArray takes an array exactly as makeArray returned it (resliced
//     by length only: its start and capacity unchanged), once. A mapping
//     is unmapped at once, so its pages go back to the kernel; touching
//     the array afterwards crashes the process.
//   - mapped counts the bytes currently mapped, for the benchmarks.

// mmapThreshold is the size from which an array is mapped rather than
// taken from the Go heap: big enough that a small store makes no system
// calls, small enough that a shard of a large store lives off the heap.
const mmapThreshold = 64 << 10

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

func freeArray[T any](a []T, mapped *atomic.Int64) {
	size := int(unsafe.Sizeof(*new(T)))
	if cap(a)*size < mmapThreshold {
		return // the Go heap's; the collector frees it
	}
	length := mappedLength(cap(a) * size)
	// syscall.Munmap finds the mapping by its last byte, so this slice,
	// rebuilt with the same start and length, names the one Mmap made.
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(a))), length)
	if err := syscall.Munmap(b); err != nil {
		// Only an address that is not a mapping fails: a broken
		// contract, not a condition to handle.
		panic(fmt.Sprintf("sessionstore: unmap %d bytes: %v", length, err))
	}
	mapped.Add(-int64(length))
}

// mappedLength rounds n up to whole pages.
func mappedLength(n int) int {
	page := syscall.Getpagesize()
	return (n + page - 1) / page * page
}
