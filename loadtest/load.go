package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The classic wizard's hot path: step 2's answer posted by htmx.
const (
	hotPath     = "/classic/job"
	seedPath    = "/classic/name"
	nextPath    = "/classic/job" // where a saved step 1 redirects
	nameField   = "v1"
	jobField    = "v2"
	namePrefix  = "name-"
	jobPrefix   = "job-"
	indexDigits = 7 // fixed width, so that no session's name contains another's
)

// hotHeaders are the headers htmx sends that make the server answer with a
// partial. No Origin or Sec-Fetch-Site: the server's cross-origin check
// lets such non-browser requests through.
func hotHeaders() []string {
	return []string{"HX-Request: true", "HX-Request-Type: partial"}
}

// appendIndexed appends prefix and i, zero-padded to indexDigits.
func appendIndexed(b []byte, prefix string, i int) []byte {
	b = append(b, prefix...)
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(i), 10)
	for range indexDigits - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// sessions are live sessions of the wizard server, each with step 1
// answered as appendIndexed(namePrefix, i).
type sessions struct {
	cookie string   // session cookie name
	tokens []string // tokens[i] is session i's cookie value
}

// checker verifies one response to the request for session i whose job
// answer was job. It returns a description of what is wrong, or "".
type checker func(i int, job []byte, rs *response, scratch []byte) string

// checkWizard accepts the review partial of session i: status 200, both
// saved answers echoed, and no cookie other than the session's own (a
// different one would mean the server lost the session and began another).
func checkWizard(ss *sessions) checker {
	return func(i int, job []byte, rs *response, scratch []byte) string {
		if rs.status != 200 {
			return fmt.Sprintf("status %d, want 200", rs.status)
		}
		if rs.hasCookie && string(rs.cookie) != ss.tokens[i] {
			return fmt.Sprintf("Set-Cookie %s=%q, not the session's own token", ss.cookie, rs.cookie)
		}
		if !bytes.Contains(rs.body, appendIndexed(scratch[:0], namePrefix, i)) {
			return fmt.Sprintf("body lacks the saved name %q", appendIndexed(scratch[:0], namePrefix, i))
		}
		if !bytes.Contains(rs.body, job) {
			return fmt.Sprintf("body lacks the job %q", job)
		}
		return ""
	}
}

// checkFixed accepts the fixed page: status 200 and its exact size.
func checkFixed(size int) checker {
	return func(_ int, _ []byte, rs *response, _ []byte) string {
		if rs.status != 200 {
			return fmt.Sprintf("status %d, want 200", rs.status)
		}
		if len(rs.body) != size {
			return fmt.Sprintf("body of %d bytes, want %d", len(rs.body), size)
		}
		return ""
	}
}

// loadSpec is one timed run of the hot path against one server.
type loadSpec struct {
	addr     string
	sessions *sessions
	check    checker
	conns    int
	duration time.Duration
	// freshJob makes every request post a job no request posted before,
	// so that every request changes its session; otherwise session i is
	// always sent job-i, as the wrk driver in ../shared/bench does.
	freshJob bool
}

// runStats is what one run measured.
type runStats struct {
	requests int           // verified responses completed within the run
	elapsed  time.Duration // the run's length
	latency  []uint32      // microseconds, one per request
	failures int           // responses that failed their check
	failure  string        // the first failure
	errors   int           // transport errors (each closes its connection)
	errorMsg string        // the first transport error
	cookies  int           // responses that set the session cookie
	wire     int64         // bytes received
}

func (r runStats) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// runLoad drives spec.conns connections, each sending a request for a
// session chosen uniformly at random as soon as its previous response
// arrived, for spec.duration. Only responses completed within the
// duration count.
func runLoad(ctx context.Context, spec loadSpec) (runStats, error) {
	n := len(spec.sessions.tokens)
	if n == 0 {
		return runStats{}, errors.New("no sessions to drive")
	}
	host := spec.addr
	start := time.Now()
	deadline := start.Add(spec.duration)
	var (
		mu    sync.Mutex
		total = runStats{elapsed: spec.duration}
		wg    sync.WaitGroup
		fatal atomic.Int64 // connections that could not dial at all
	)
	for w := range spec.conns {
		wg.Go(func() {
			st := runStats{latency: make([]uint32, 0, 1<<16)}
			rng := rand.New(rand.NewPCG(uint64(start.UnixNano()), uint64(w)))
			c := newClient(spec.addr, spec.sessions.cookie)
			defer c.close()
			rq := request{method: "POST", path: hotPath, host: host, cookieName: spec.sessions.cookie, headers: hotHeaders()}
			var buf, body, scratch []byte
			seq := 0
			done := ctx.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				i := rng.IntN(n)
				body = appendIndexed(append(body[:0], jobField+"="...), jobPrefix, i)
				if spec.freshJob {
					seq++
					body = append(body, '-', 'w')
					body = strconv.AppendInt(body, int64(w), 10)
					body = append(body, '-')
					body = strconv.AppendInt(body, int64(seq), 10)
				}
				rq.cookieValue, rq.body = spec.sessions.tokens[i], body
				buf = appendRequest(buf[:0], &rq)
				t0 := time.Now()
				rs, err := c.do(buf)
				t1 := time.Now()
				if t1.After(deadline) {
					break
				}
				if err != nil {
					if st.errors == 0 {
						st.errorMsg = err.Error()
					}
					st.errors++
					if c.conn == nil && st.requests == 0 && st.errors > 100 {
						fatal.Add(1)
						break
					}
					continue
				}
				st.requests++
				st.wire += int64(rs.wire)
				st.latency = append(st.latency, uint32(min(t1.Sub(t0).Microseconds(), 1<<32-1)))
				if rs.hasCookie {
					st.cookies++
				}
				if msg := spec.check(i, body[len(jobField)+1:], rs, scratch); msg != "" {
					if st.failures == 0 {
						st.failure = fmt.Sprintf("session %d: %s", i, msg)
					}
					st.failures++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			total.requests += st.requests
			total.failures += st.failures
			total.errors += st.errors
			total.cookies += st.cookies
			total.wire += st.wire
			if total.failure == "" {
				total.failure = st.failure
			}
			if total.errorMsg == "" {
				total.errorMsg = st.errorMsg
			}
			total.latency = append(total.latency, st.latency...)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return total, err
	}
	if fatal.Load() == int64(spec.conns) {
		return total, fmt.Errorf("no connection to %s worked: %s", spec.addr, total.errorMsg)
	}
	return total, nil
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted, by the
// nearest-rank method, or 0 for no values.
func percentile(sorted []uint32, p float64) uint32 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.999999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// median returns the median of xs (the mean of the middle two for an even
// count), or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
