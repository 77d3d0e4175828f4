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
//
// Only the canonical form is kept decoded, the one base64.RawURLEncoding
// writes (the two bits past the last byte zero), so that encoding the key
// gives the token back: two spellings of one value never share a key.
// Hashes are always of the token as given, so a lookup decodes nothing
// until it meets a stored session whose hash matches.
const (
	compactTokenLen = 43
	compactKeyLen   = 32
)

// A base64Table maps each byte to its value as a base64url digit, or to
// 0xff if it is not one. Each Store builds one.
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

// decode decodes a canonical compact token into dst and reports whether
// s is one. It is encoding/base64's work for this one length, without a
// branch per digit: lookups take half a Find's time otherwise.
func (t *base64Table) decode(dst *[compactKeyLen]byte, s string) bool {
	if len(s) != compactTokenLen {
		return false
	}
	var bad byte // any digit's value over 63 marks a byte that is not a digit
	for i, j := 0, 0; i < 40; i, j = i+8, j+6 {
		d := s[i : i+8]
		a, b, c, e, f, g, h, k := t[d[0]], t[d[1]], t[d[2]], t[d[3]], t[d[4]], t[d[5]], t[d[6]], t[d[7]]
		bad |= a | b | c | e | f | g | h | k
		v := uint64(a)<<42 | uint64(b)<<36 | uint64(c)<<30 | uint64(e)<<24 |
			uint64(f)<<18 | uint64(g)<<12 | uint64(h)<<6 | uint64(k)
		o := dst[j : j+6 : j+6]
		o[0], o[1], o[2], o[3], o[4], o[5] = byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	a, b, c := t[s[40]], t[s[41]], t[s[42]]
	bad |= a | b | c
	v := uint32(a)<<12 | uint32(b)<<6 | uint32(c)
	dst[30], dst[31] = byte(v>>10), byte(v>>2)
	return bad < 64 && c&3 == 0 // the last digit's low bits lie past the last byte
}

// A key is a token being looked up or stored.
type key struct {
	raw   string
	table *base64Table
	dec   [compactKeyLen]byte
	form  uint8 // formUnknown until compact is first asked
}

const (
	formUnknown uint8 = iota
	formCompact
	formRaw
)

// compact reports whether the key is a canonical 43-character token,
// decoding it into k.dec the first time it is asked.
func (k *key) compact() bool {
	if k.form == formUnknown {
		k.form = formRaw
		if k.table.decode(&k.dec, k.raw) {
			k.form = formCompact
		}
	}
	return k.form == formCompact
}

// len is the number of bytes the key takes in a record.
func (k *key) len() int {
	if k.compact() {
		return compactKeyLen
	}
	return len(k.raw)
}

// copyTo writes the key's bytes at the start of dst.
func (k *key) copyTo(dst []byte) {
	if k.compact() {
		copy(dst, k.dec[:])
	} else {
		copy(dst, k.raw)
	}
}

// equal reports whether the stored key b, compact or not, is k. A raw
// stored key is never a canonical token (that would have been stored
// compact), so comparing the strings is enough.
func (k *key) equal(b []byte, compact bool) bool {
	if !compact {
		return string(b) == k.raw
	}
	return len(k.raw) == compactTokenLen && k.compact() && bytes.Equal(b, k.dec[:])
}

// hashToken returns the 64-bit hash of a token; the store picks the shard
// from its low bits and the shard's index uses its high 32 bits.
func hashToken(seed maphash.Seed, token string) uint64 { return maphash.String(seed, token) }

func indexHash(h uint64) uint32 { return uint32(h >> 32) }

// tokenOf returns the token a stored key was made from.
func tokenOf(stored []byte, compact bool) string {
	if compact {
		return base64.RawURLEncoding.EncodeToString(stored)
	}
	return string(stored)
}
