package handlers

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientKey(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:1::/48")}
	cases := []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"direct", "203.0.113.9:5555", nil, proxies, "203.0.113.9"},
		{"untrusted peer's header is ignored", "203.0.113.9:5555", []string{"198.51.100.1"}, proxies, "203.0.113.9"},
		{"no trusted proxies", "10.0.0.2:5555", []string{"198.51.100.1"}, nil, "10.0.0.2"},
		{"through a trusted proxy", "10.0.0.2:5555", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"through two trusted proxies", "10.0.0.2:5555", []string{"198.51.100.1, 10.1.1.1"}, proxies, "198.51.100.1"},
		{"a client's own hops are not believed", "10.0.0.2:5555", []string{"192.0.2.77, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"several header lines", "10.0.0.2:5555", []string{"192.0.2.77", "198.51.100.1, 10.9.9.9"}, proxies, "198.51.100.1"},
		{"garbage ends the walk", "10.0.0.2:5555", []string{"198.51.100.1, nonsense"}, proxies, "10.0.0.2"},
		{"only proxies", "10.0.0.2:5555", []string{"10.3.3.3"}, proxies, "10.3.3.3"},
		{"IPv6 keyed by its /64", "[2001:db8:2:3:4:5:6:7]:443", nil, proxies, "2001:db8:2:3::/64"},
		{"IPv4-mapped IPv6 is IPv4", "[::ffff:203.0.113.9]:443", nil, proxies, "203.0.113.9"},
		{"IPv6 proxy", "[2001:db8:1::1]:443", []string{"2001:db8:9::1"}, proxies, "2001:db8:9::/64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{cfg: Config{TrustedProxies: tc.trusted}}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientKey(r); got != tc.want {
				t.Errorf("clientKey = %q, want %q", got, tc.want)
			}
		})
	}
}
