package sessionstore

import (
	"bytes"
	"encoding/base64"
	"hash/maphash"
)

// scs tokens are 32 random bytes in unpadded base64url: 43 characters.
// With HashTokenInStore the token the store sees is the same form (a
// SHA-256 digest). Such a token is kept as the 32 bytes it decodes to,
// eleven bytes less per session; any other token is kept as it is.
const (
	compactTokenLen = 43
	compactKeyLen   = 32
)

// A key is a token in the form the store compares and keeps.
type key struct {
	raw     string              // the token as given
	dec     [compactKeyLen]byte // compact only: what raw decodes to
	compact bool
}

// base64Table maps each byte to its value as a base64url digit, or to
// 0xff if it is not one. It is built once per Store.
type base64Table [256]byte

func newBase64Table() *base64Table {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var t base64Table
	for i := range t {
		t[i] = 0xff
	}
	for i := range len(digits) {
		t[digits[i]] = byte(i)
	}
	return &t
}

// keyOf returns token's key. A token is compact only in its canonical
// form, the one base64.RawURLEncoding produces (the two bits past the
// last byte zero), so that encoding the key gives the token back: two
// spellings of one value never share a key.
func (t *base64Table) keyOf(token string) key {
	k := key{raw: token}
	if len(token) != compactTokenLen {
		return k
	}
	j := 0
	for i := 0; i < 40; i += 4 {
		a, b, c, d := t[token[i]], t[token[i+1]], t[token[i+2]], t[token[i+3]]
		if a|b|c|d > 63 {
			return k
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		k.dec[j], k.dec[j+1], k.dec[j+2] = byte(v>>16), byte(v>>8), byte(v)
		j += 3
	}
	a, b, c := t[token[40]], t[token[41]], t[token[42]]
	if a|b|c > 63 || c&3 != 0 {
		return k
	}
	v := uint32(a)<<12 | uint32(b)<<6 | uint32(c)
	k.dec[30], k.dec[31] = byte(v>>10), byte(v>>2)
	k.compact = true
	return k
}

// len is the number of bytes the key takes in a record.
func (k *key) len() int {
	if k.compact {
		return compactKeyLen
	}
	return len(k.raw)
}

// copyTo writes the key's bytes at the start of dst.
func (k *key) copyTo(dst []byte) {
	if k.compact {
		copy(dst, k.dec[:])
	} else {
		copy(dst, k.raw)
	}
}

// equal reports whether the stored key b, compact or not, is k.
func (k *key) equal(b []byte, compact bool) bool {
	if compact != k.compact {
		return false
	}
	if compact {
		return bytes.Equal(b, k.dec[:])
	}
	return string(b) == k.raw
}

// hash returns the key's 64-bit hash, the same as hashOf of its stored
// bytes (maphash.String and maphash.Bytes agree on equal contents).
func (k *key) hash(seed maphash.Seed) uint64 {
	if k.compact {
		return maphash.Bytes(seed, k.dec[:])
	}
	return maphash.String(seed, k.raw)
}

// hashOf returns the 64-bit hash of a stored key; the store picks the
// shard from its low bits and the shard's index uses its high 32 bits.
func hashOf(seed maphash.Seed, stored []byte) uint64 { return maphash.Bytes(seed, stored) }

func indexHash(h uint64) uint32 { return uint32(h >> 32) }

// tokenOf returns the token a stored key was made from.
func tokenOf(stored []byte, compact bool) string {
	if compact {
		return base64.RawURLEncoding.EncodeToString(stored)
	}
	return string(stored)
}
