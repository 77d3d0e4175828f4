package handlers

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestStringCodecRoundTrip(t *testing.T) {
	deadline := time.Date(2026, 11, 26, 9, 0, 0, 123, time.UTC)
	cases := []map[string]string{
		{},
		{"answers/classic": "name.v1=Ada&name="},
		{"a": "", "b": "é\x00\n", "answers/register": "details.name=Grace"},
	}
	for _, values := range cases {
		b := stringCodec{}.Encode(deadline, values)
		d, got, err := stringCodec{}.Decode(b)
		if err != nil {
			t.Fatalf("%v: %v", values, err)
		}
		if !d.Equal(deadline) || !maps.Equal(got, values) {
			t.Errorf("round trip of %v: got %v at %v", values, got, d)
		}
	}
}

// TestStringCodecReadsGobSessions: sessions saved before this codec still
// load (their string values), with or without the version byte of gob.
func TestStringCodecReadsGobSessions(t *testing.T) {
	old, err := scs.GobCodec{}.Encode(time.Unix(5, 0), map[string]any{"answers/classic": "name.v1=Ada", "__rememberMe": true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"answers/classic": "name.v1=Ada"}
	for _, b := range [][]byte{old, append([]byte{codecGob}, old...)} {
		d, v, err := stringCodec{}.Decode(b)
		if err != nil || !d.Equal(time.Unix(5, 0)) || !maps.Equal(v, want) {
			t.Fatalf("got %v %v %v", d, v, err)
		}
	}
}

func TestStringCodecIsDeterministic(t *testing.T) {
	values := map[string]string{}
	for _, k := range []string{"k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"} {
		values[k] = "v-" + k
	}
	first := stringCodec{}.Encode(time.Unix(1, 0), values)
	for range 20 {
		again := stringCodec{}.Encode(time.Unix(1, 0), values)
		if string(again) != string(first) {
			t.Fatal("the same session encoded to different bytes")
		}
	}
}

func TestStringCodecRejectsCorruptData(t *testing.T) {
	good := stringCodec{}.Encode(time.Unix(1, 0), map[string]string{"key": "value"})
	for name, b := range map[string][]byte{
		"empty":         nil,
		"unknown":       []byte("X"),
		"truncated":     good[:len(good)-2],
		"trailing":      append(append([]byte{}, good...), 'x'),
		"huge count":    {codecStrings, 2, 0xff, 0xff, 0xff, 0x0f},
		"huge key size": {codecStrings, 2, 1, 0xff, 0x0f, 'a'},
	} {
		if _, _, err := (stringCodec{}).Decode(b); err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, errCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzStringCodec: bytes from a store, whatever they are, decode to a
// session or to an error wrapping errCorrupt (never a panic), and a session
// that decodes encodes back to bytes that decode to the same session.
func FuzzStringCodec(f *testing.F) {
	deadline := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for _, values := range []map[string]string{
		{},
		{"answers/classic": "name.v1=Ada&job.v2=Engineer", "pending/classic": "7K3Q9ABCDEFGHJKMNPQRSTVWX"},
		{"submitted/register": "id=X&ref=REG-X&answers=details.name%3DGrace"},
	} {
		f.Add(stringCodec{}.Encode(deadline, values))
	}
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{"__rememberMe": true, "s": "x"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(append([]byte{codecGob}, old...))
	f.Add([]byte{})
	f.Add([]byte("W"))
	f.Add([]byte{'W', 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Add([]byte("G\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, values, err := stringCodec{}.Decode(b)
		if err != nil {
			if !errors.Is(err, errCorrupt) {
				t.Fatalf("Decode(%q): %v does not wrap errCorrupt", b, err)
			}
			return
		}
		again := stringCodec{}.Encode(d, values)
		d2, values2, err := stringCodec{}.Decode(again)
		// Deadlines are kept in Unix nanoseconds, which reach from 1678 to
		// 2262; an old gob record may hold any time, even none.
		inRange := d.Year() > 1678 && d.Year() < 2262
		if err != nil || inRange && !d2.Equal(d) || !maps.Equal(values, values2) {
			t.Fatalf("round trip of %q: %v, %v, %v; want %v, %v", b, d2, values2, err, d, values)
		}
	})
}
