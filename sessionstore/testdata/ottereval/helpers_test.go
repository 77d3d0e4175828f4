package ottereval

import (
	"encoding/base64"
	"encoding/binary"
	"runtime"
	"time"
)

const payloadSize = 300

// benchToken returns the i-th token: 43 characters, like scs's tokens
// (32 random bytes, base64url without padding), but reproducible.
func benchToken(i int) string {
	var raw [32]byte
	x := uint64(i)
	for w := range 4 {
		binary.LittleEndian.PutUint64(raw[w*8:], splitmix(&x))
	}
	return base64.RawURLEncoding.EncodeToString(raw[:])
}

// benchPayload returns a new payloadSize-byte slice whose content depends
// on i and version, standing in for a freshly encoded session.
func benchPayload(i, version int) []byte {
	b := make([]byte, payloadSize)
	x := uint64(i)<<20 ^ uint64(version)
	var w [8]byte
	for j := 0; j < len(b); j += 8 {
		binary.LittleEndian.PutUint64(w[:], splitmix(&x))
		copy(b[j:], w[:])
	}
	return b
}

func splitmix(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// heapAlloc returns the live heap after a full collection.
func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// latencies is a histogram of call durations with 100 ns buckets up to
// 100 ms, plus the exact maximum.
type latencies struct {
	buckets []uint32
	over    uint64 // calls slower than the last bucket
	count   uint64
	max     time.Duration
	maxAt   time.Time // when the slowest call started
}

const latencyBucket = 100 * time.Nanosecond

func newLatencies() *latencies {
	return &latencies{buckets: make([]uint32, int(100*time.Millisecond/latencyBucket))}
}

func (l *latencies) add(start time.Time, d time.Duration) {
	l.count++
	if d > l.max {
		l.max, l.maxAt = d, start
	}
	if i := int(d / latencyBucket); i < len(l.buckets) {
		l.buckets[i]++
	} else {
		l.over++
	}
}

// slowerThan counts the calls that took longer than d, to bucket
// precision.
func (l *latencies) slowerThan(d time.Duration) uint64 {
	n := l.over
	for i := int(d / latencyBucket); i < len(l.buckets); i++ {
		n += uint64(l.buckets[i])
	}
	return n
}

// quantile returns the upper bound of the bucket holding quantile q.
func (l *latencies) quantile(q float64) time.Duration {
	rank := uint64(q * float64(l.count))
	var seen uint64
	for i, c := range l.buckets {
		seen += uint64(c)
		if seen > rank {
			return time.Duration(i+1) * latencyBucket
		}
	}
	return l.max
}
