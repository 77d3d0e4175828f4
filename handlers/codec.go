package handlers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// stringCodec encodes sessions, whose values are all strings, in a compact
// binary form: a version byte, the deadline, then length-prefixed keys and
// values in key order. It is several times cheaper than scs's gob codec
// and deterministic, so an unchanged session encodes to the same bytes and
// a store can recognise it. It reads sessions that scs's gob codec saved
// before, with or without the version byte of gob that this codec once
// wrote for values other than strings; only their string values are kept
// (the only kind the server ever read).
type stringCodec struct{}

const (
	codecStrings = 'W'
	codecGob     = 'G'
)

// Encode encodes a session's deadline and values.
func (stringCodec) Encode(deadline time.Time, values map[string]string) []byte {
	keys := make([]string, 0, len(values))
	size := 1 + binary.MaxVarintLen64 + binary.MaxVarintLen32
	for k, v := range values {
		keys = append(keys, k)
		size += 2*binary.MaxVarintLen32 + len(k) + len(v)
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, codecStrings)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		v := values[k]
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return b
}

// errCorrupt is the error (wrapped) of session data that cannot be
// decoded: the server deletes such a session rather than fail on it.
var errCorrupt = errors.New("corrupt session data")

// Decode decodes what Encode encoded, or scs's gob codec. Data it cannot
// decode is an error wrapping errCorrupt.
func (stringCodec) Decode(b []byte) (time.Time, map[string]string, error) {
	if len(b) == 0 {
		return time.Time{}, nil, errCorrupt
	}
	switch b[0] {
	case codecGob:
		return decodeGob(b[1:])
	case codecStrings:
	default: // saved by scs's gob codec before this one was used
		return decodeGob(b)
	}
	b = b[1:]
	nanos, n := binary.Varint(b)
	if n <= 0 {
		return time.Time{}, nil, errCorrupt
	}
	b = b[n:]
	count, n := binary.Uvarint(b)
	if n <= 0 || count > uint64(len(b)) {
		return time.Time{}, nil, errCorrupt
	}
	// One copy of the rest: every key and value is a substring of it. The
	// store may reuse b once Decode returns.
	b = b[n:]
	all := string(b)
	values := make(map[string]string, count)
	for range count {
		var k, v string
		var ok bool
		if k, b, ok = readString(b, all); !ok {
			return time.Time{}, nil, errCorrupt
		}
		if v, b, ok = readString(b, all); !ok {
			return time.Time{}, nil, errCorrupt
		}
		values[k] = v
	}
	if len(b) != 0 {
		return time.Time{}, nil, errCorrupt
	}
	return time.Unix(0, nanos), values, nil
}

// decodeGob decodes a session saved by scs's gob codec, keeping its
// string values.
func decodeGob(b []byte) (time.Time, map[string]string, error) {
	d, v, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("session data: %w", errors.Join(errCorrupt, err))
	}
	values := make(map[string]string, len(v))
	for k, v := range v {
		if s, ok := v.(string); ok {
			values[k] = s
		}
	}
	return d, values, nil
}

// readString reads a length-prefixed string off b, which is a suffix of
// the bytes all was made from; the string is a substring of all.
func readString(b []byte, all string) (string, []byte, bool) {
	l, n := binary.Uvarint(b)
	if n <= 0 || l > uint64(len(b)-n) {
		return "", nil, false
	}
	start := len(all) - len(b) + n
	return all[start : start+int(l)], b[n+int(l):], true
}
