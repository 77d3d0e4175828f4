package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// storeCounters are the wizard's session store counters from /metrics.
type storeCounters struct {
	live, created, expired, evicted float64
}

// readStoreCounters reads the store counters the wizard exports at
// /metrics. ok is false when the server exports none (no /metrics, or a
// store without counters).
func readStoreCounters(addr string) (c storeCounters, ok bool, err error) {
	cl := newClient(addr, "session")
	defer cl.close()
	rs, err := cl.do(appendRequest(nil, &request{method: "GET", path: "/metrics", host: addr}))
	if err != nil {
		return c, false, fmt.Errorf("GET /metrics: %w", err)
	}
	if rs.status != 200 || len(rs.encoding) > 0 {
		return c, false, nil
	}
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(rs.body))
	for sc.Scan() {
		name, value, cut := strings.Cut(sc.Text(), " ")
		var dst *float64
		switch name {
		case "wizard_sessions_live":
			dst = &c.live
		case "wizard_sessions_created_total":
			dst = &c.created
		case "wizard_sessions_expired_total":
			dst = &c.expired
		case "wizard_sessions_evicted_total":
			dst = &c.evicted
		}
		if dst == nil || !cut {
			continue
		}
		if *dst, err = strconv.ParseFloat(strings.TrimSpace(value), 64); err != nil {
			return c, false, fmt.Errorf("/metrics: %s %q: %w", name, value, err)
		}
		found++
	}
	return c, found == 4, nil
}

// check returns what is wrong with the counters of a store that was
// seeded with n sessions and then only saw requests for them, or "".
func (c storeCounters) check(n int) string {
	if c.created != float64(n) || c.live != float64(n) || c.evicted != 0 || c.expired != 0 {
		return fmt.Sprintf("store counters: %.0f sessions live, %.0f created, %.0f evicted, %.0f expired; want %d, %d, 0, 0",
			c.live, c.created, c.evicted, c.expired, n, n)
	}
	return ""
}
