//go:build !linux

package sessionstore

import "sync/atomic"

// Elsewhere than Linux, every array comes from the Go heap. The store's
// arrays hold no pointers, so the collector still does not scan them, but
// they count toward its heap goal. The contract is offheap_linux.go's.

// A mapping is memory taken from the kernel; here there is none.
type mapping struct{}

func makeArray[T any](n int, _ *atomic.Int64) ([]T, error) { return make([]T, n), nil }

func detach[T any]([]T) mapping { return mapping{} }

func (mapping) none() bool { return true }

func (mapping) unmap(*atomic.Int64) {}
