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
	cases := []map[string]any{
		{},
		{"answers/classic": "name.v1=Ada&name="},
		{"a": "", "b": "é\x00\n", "answers/register": "details.name=Grace"},
		{"__rememberMe": true, "s": "x"}, // not a string: gob fallback
	}
	for _, values := range cases {
		b, err := stringCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
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
// load.
func TestStringCodecReadsGobSessions(t *testing.T) {
	old, err := scs.GobCodec{}.Encode(time.Unix(5, 0), map[string]any{"answers/classic": "name.v1=Ada"})
	if err != nil {
		t.Fatal(err)
	}
	d, v, err := stringCodec{}.Decode(old)
	if err != nil || !d.Equal(time.Unix(5, 0)) || v["answers/classic"] != "name.v1=Ada" {
		t.Fatalf("got %v %v %v", d, v, err)
	}
}

func TestStringCodecIsDeterministic(t *testing.T) {
	values := map[string]any{}
	for _, k := range []string{"k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"} {
		values[k] = "v-" + k
	}
	first, _ := stringCodec{}.Encode(time.Unix(1, 0), values)
	for range 20 {
		again, _ := stringCodec{}.Encode(time.Unix(1, 0), values)
		if string(again) != string(first) {
			t.Fatal("the same session encoded to different bytes")
		}
	}
}

func TestStringCodecRejectsCorruptData(t *testing.T) {
	good, _ := stringCodec{}.Encode(time.Unix(1, 0), map[string]any{"key": "value"})
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
