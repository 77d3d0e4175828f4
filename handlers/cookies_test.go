package handlers

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// FuzzNamedCookies: namedCookies reads a Cookie header as
// http.Request.CookiesNamed does (below net/http's limit of 3,000 cookies
// a request, past which it reads none).
func FuzzNamedCookies(f *testing.F) {
	for _, h := range []string{
		"session=abc",
		" session = abc ; other=x;session=\"quoted\"",
		"session=bad\\value; session=; session=ok",
		"a=1;;session=x\x7f;session=y",
	} {
		f.Add(h, "")
		f.Add(h, "session=second")
	}
	f.Fuzz(func(t *testing.T, line1, line2 string) {
		if strings.Count(line1, ";")+strings.Count(line2, ";") >= 2998 {
			t.Skip("past net/http's limit")
		}
		r := &http.Request{Header: http.Header{"Cookie": {line1}}}
		if line2 != "" {
			r.Header["Cookie"] = append(r.Header["Cookie"], line2)
		}
		var want []string
		for _, c := range r.CookiesNamed("session") {
			want = append(want, c.Value)
		}
		got := slices.Collect(namedCookies(r.Header, "session"))
		if !slices.Equal(got, want) {
			t.Fatalf("Cookie %q, %q: got %q, want %q", line1, line2, got, want)
		}
	})
}
