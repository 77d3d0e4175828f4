package handlers

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientKey names the client a request comes from, for the per-client
// rate limits: its IPv4 address, or its IPv6 /64 network (what one
// subscriber is usually given, so one household cannot use 2^64 keys).
func (s *Server) clientKey(r *http.Request) string {
	a := clientAddr(r, s.cfg.TrustedProxies)
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// clientAddr returns the address of the request's client: the connection's
// peer, unless that is a trusted proxy; then X-Forwarded-For is read from
// the right (each proxy appends the address it received from), skipping
// trusted proxies, and the first other address is the client. A hop that
// is not an address ends the walk at the last one known, so a client
// cannot pick its own key by sending garbage.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	addr := ap.Addr().Unmap()
	if !isTrusted(addr, trusted) {
		return addr
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return addr
			}
			addr = a.Unmap()
			if !isTrusted(addr, trusted) {
				return addr
			}
		}
	}
	return addr
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
