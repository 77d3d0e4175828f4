package handlers

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name   string
		header []string // one Accept-Encoding line each; none sends no header
		want   bool
	}{
		{"no header", nil, false},
		{"empty", []string{""}, false},
		{"gzip", []string{"gzip"}, true},
		{"browser list", []string{"gzip, deflate, br, zstd"}, true},
		{"case-insensitive coding", []string{"GZip"}, true},
		{"x-gzip alias", []string{"x-gzip"}, true},
		{"gzip among others with spaces", []string{"br;q=1.0 ,  gzip ; q=0.8"}, true},

		// A weight of zero refuses, however it is written.
		{"q=0", []string{"gzip;q=0"}, false},
		{"q=0.0", []string{"gzip;q=0.0"}, false},
		{"q=0.00", []string{"gzip;q=0.00"}, false},
		{"q=0.000", []string{"gzip;q=0.000"}, false},
		{"q=0. (no decimals)", []string{"gzip;q=0."}, false},
		{"capital Q", []string{"gzip;Q=0.0"}, false},
		{"spaces around everything", []string{"gzip ; q = 0.0 "}, false},
		{"tab before q", []string{"gzip;\tq=0"}, false},
		{"zero among others", []string{"br, gzip;q=0, deflate"}, false},
		{"zero x-gzip", []string{"x-gzip;q=0"}, false},

		// Other weights.
		{"q=0.5", []string{"gzip;q=0.5"}, true},
		{"q=0.001", []string{"gzip;q=0.001"}, true},
		{"q=1", []string{"gzip;q=1"}, true},
		{"q=1.000", []string{"gzip;q=1.000"}, true},
		{"other parameter before q", []string{"gzip;level=9;q=0"}, false},
		{"other parameter only", []string{"gzip;level=9"}, true},
		{"weight above 1 is no weight", []string{"gzip;q=1.5"}, false},
		{"four decimals is no weight", []string{"gzip;q=0.5000"}, false},
		{"negative is no weight", []string{"gzip;q=-1"}, false},
		{"empty weight", []string{"gzip;q="}, false},
		{"words are no weight", []string{"gzip;q=high"}, false},

		// The wildcard.
		{"star", []string{"*"}, true},
		{"star with weight", []string{"*;q=0.1"}, true},
		{"star refused, gzip unnamed", []string{"*;q=0"}, false},
		{"star refused with identity", []string{"identity, *;q=0"}, false},
		{"star refused, gzip named", []string{"gzip, *;q=0"}, true},
		{"star accepted, gzip refused", []string{"*, gzip;q=0"}, false},
		{"gzip refused before star", []string{"gzip;q=0, *"}, false},

		// Codings that are not gzip.
		{"identity only", []string{"identity"}, false},
		{"deflate and br", []string{"deflate, br"}, false},
		{"gzip as a prefix", []string{"gzipx"}, false},

		// Several lines, and entries that disagree.
		{"second line names gzip", []string{"br", "gzip"}, true},
		{"second line refuses gzip", []string{"gzip", "gzip;q=0"}, false},
		{"refusal then acceptance", []string{"gzip;q=0, gzip"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/static/app.css", nil)
			for _, h := range tt.header {
				r.Header.Add("Accept-Encoding", h)
			}
			if got := acceptsGzip(r); got != tt.want {
				t.Errorf("Accept-Encoding %q: got %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}
