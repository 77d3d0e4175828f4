package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// rawServer answers every request read from a connection with resp,
// verbatim, and returns its address.
func rawServer(t *testing.T, resp string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
					if _, err := io.WriteString(c, resp); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestClientParsesResponses(t *testing.T) {
	tests := []struct {
		name, raw          string
		status             int
		body, cookie, loc  string
		hasCookie, closing bool
		encoding           string
	}{
		{
			name:   "content length",
			raw:    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/html\r\n\r\nhello",
			status: 200, body: "hello",
		},
		{
			name:   "redirect with cookie, any header case",
			raw:    "HTTP/1.1 303 See Other\r\nlocation: /classic/job\r\nSET-COOKIE: other=x\r\nSet-Cookie: session=abc123; Path=/; HttpOnly\r\nContent-Length: 0\r\n\r\n",
			status: 303, loc: "/classic/job", cookie: "abc123", hasCookie: true,
		},
		{
			name:   "deleted cookie, gzip, close",
			raw:    "HTTP/1.1 200 OK\r\nSet-Cookie: session=; Max-Age=0\r\nContent-Encoding: gzip\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
			status: 200, body: "ok", hasCookie: true, encoding: "gzip", closing: true,
		},
		{
			name:   "chunked with trailer",
			raw:    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n",
			status: 200, body: "hello, world",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rawServer(t, tt.raw)
			c := newClient(addr, "session")
			defer c.close()
			for range 2 { // the second response reuses the buffers
				rs, err := c.do([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
				if err != nil {
					t.Fatal(err)
				}
				if rs.status != tt.status || string(rs.body) != tt.body || string(rs.location) != tt.loc ||
					rs.hasCookie != tt.hasCookie || string(rs.cookie) != tt.cookie ||
					string(rs.encoding) != tt.encoding || rs.closing != tt.closing {
					t.Errorf("got status %d body %q location %q cookie %v %q encoding %q closing %v",
						rs.status, rs.body, rs.location, rs.hasCookie, rs.cookie, rs.encoding, rs.closing)
				}
				if rs.wire != len(tt.raw) {
					t.Errorf("wire = %d, want %d", rs.wire, len(tt.raw))
				}
			}
		})
	}
}

func TestAppendRequest(t *testing.T) {
	got := string(appendRequest(nil, &request{method: "POST", path: "/classic/job", host: "h:1",
		cookieName: "session", cookieValue: "tok", headers: hotHeaders(), body: []byte("v2=job-0000007")}))
	want := "POST /classic/job HTTP/1.1\r\nHost: h:1\r\nCookie: session=tok\r\nHX-Request: true\r\nHX-Request-Type: partial\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 14\r\n\r\nv2=job-0000007"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if got := string(appendIndexed(nil, "name-", 42)); got != "name-0000042" {
		t.Errorf("appendIndexed = %q", got)
	}
}

func TestStatistics(t *testing.T) {
	lat := []uint32{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	slices.Sort(lat)
	for _, c := range []struct {
		p    float64
		want uint32
	}{{50, 5}, {99, 10}, {100, 10}, {10, 1}, {1, 1}} {
		if got := percentile(lat, c.p); got != c.want {
			t.Errorf("percentile(%v) = %d, want %d", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %d", got)
	}
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median odd = %v", got)
	}
	if got := median([]float64{4, 1, 2, 3}); got != 2.5 {
		t.Errorf("median even = %v", got)
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands = %q", got)
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("1, 1k,100_000,1M")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 1000, 100000, 1000000}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"", "0", "x", "10M", "-1"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q): no error", bad)
		}
	}
}

// TestHarnessVerifiesTheWizard runs the harness's seeding, load and checks
// against the wizard binary, built from cmd/wizard as make bench-load
// builds it: the real server passes, and a server that does not echo the
// session's answers fails every response.
func TestHarnessVerifiesTheWizard(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "wizard")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/wizard").CombinedOutput(); err != nil {
		t.Fatalf("build the wizard: %v\n%s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	wz, err := startServer(ctx, "wizard", addr, "/healthz", "", bin, "-addr", addr, "-submissions", filepath.Join(dir, "submissions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer wz.stop()

	items, err := measureFirstPage(addr)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 4 || items[0].path != firstPagePath {
		t.Errorf("first page items = %+v, want the page, CSS and two scripts", items)
	}

	ss, err := seed(ctx, addr, "session", 20, 4)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ss.tokens, "") || len(slices.Compact(slices.Sorted(slices.Values(ss.tokens)))) != 20 {
		t.Fatalf("tokens = %q, want 20 distinct", ss.tokens)
	}
	for _, fresh := range []bool{false, true} {
		r, err := runLoad(ctx, loadSpec{addr: addr, sessions: ss, check: checkWizard(ss), conns: 4, duration: 300 * time.Millisecond, freshJob: fresh})
		if err != nil {
			t.Fatal(err)
		}
		if r.requests == 0 || r.failures != 0 || r.errors != 0 || len(r.latency) != r.requests {
			t.Errorf("fresh job %v: %d requests, %d failures (%s), %d errors (%s), %d latencies",
				fresh, r.requests, r.failures, r.failure, r.errors, r.errorMsg, len(r.latency))
		}
	}

	switch c, ok, err := readStoreCounters(addr); {
	case err != nil:
		t.Error(err)
	case !ok:
		t.Log("the wizard exports no store counters at /metrics")
	case c.check(20) != "":
		t.Error(c.check(20))
	}

	page := "<p>" + strings.Repeat("x", 1000) + "</p>"
	fixed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) }))
	defer fixed.Close()
	faddr := strings.TrimPrefix(fixed.URL, "http://")
	spec := loadSpec{addr: faddr, sessions: ss, check: checkFixed(len(page)), conns: 2, duration: 200 * time.Millisecond}
	if r, err := runLoad(ctx, spec); err != nil || r.requests == 0 || r.failures != 0 {
		t.Errorf("fixed page: %d requests, %d failures (%s), err %v", r.requests, r.failures, r.failure, err)
	}
	if err := hangUps(ctx, faddr, ss, 100, 4); err != nil {
		t.Errorf("hanging up on a healthy server: %v", err)
	}
	spec.check = checkWizard(ss)
	if r, err := runLoad(ctx, spec); err != nil || r.requests == 0 || r.failures != r.requests ||
		!strings.Contains(r.failure, "lacks the saved name") {
		t.Errorf("a server that echoes nothing: %d requests, %d failures (%s), err %v", r.requests, r.failures, r.failure, err)
	}
}

func TestParseStores(t *testing.T) {
	got, err := parseStores("memory, redis://127.0.0.1:6379/0,postgres://u:secret@h/db")
	if want := []string{"memory", "redis://127.0.0.1:6379/0", "postgres://u:secret@h/db"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("parseStores = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"", "mem", "memory,", "mysql://h/db"} {
		if _, err := parseStores(bad); err == nil {
			t.Errorf("parseStores(%q): no error", bad)
		}
	}
	if _, err := parseStores("postgres://u:secret@h/db,bad"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("parseStores of a bad list: %v; want an error without the password", err)
	}
	args := redactArgs([]string{"-store", "memory,postgres://u:secret@h/db,redis://:pw@h:6379/0", "-runs", "2"})
	if s := strings.Join(args, " "); strings.Contains(s, "secret") || strings.Contains(s, ":pw@") || !strings.Contains(s, "-runs 2") {
		t.Errorf("redactArgs = %q", s)
	}
}
