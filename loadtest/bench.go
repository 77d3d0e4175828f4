package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// defaultMaxSessions is the wizard's -max-sessions default; the harness
// never passes less.
const defaultMaxSessions = 100_000

// sizeResult is what the benchmark measured at one session count. The
// embedded storeResult is the first -store's wizard (memory by default),
// which the main table shows; others holds the rest, side by side.
type sizeResult struct {
	n int
	storeResult
	others   []storeResult
	fixed    serverRuns
	partial  response // the probe's hot-path response
	pageSize int
}

// storeResult is what one wizard, on one store, measured at one N.
type storeResult struct {
	label               string // the store's kind, as the report names it
	ss                  *sessions
	seedTime            time.Duration
	rssBefore, rssAfter int64 // wizard VmRSS before and after seeding
	rssLoaded           int64 // after the runs (every session touched has a job too)
	wizard              serverRuns
	// store holds the wizard's session counters after the runs, when
	// storeOK; storeProblem says what is wrong with them.
	store        storeCounters
	storeOK      bool
	storeProblem string
	// hangUps is how many requests were abandoned mid-flight at the end;
	// hangUpProblem says how the wizard failed them.
	hangUps       int
	hangUpProblem string
}

// serverRuns gathers one server's runs at one N.
type serverRuns struct {
	rps      []float64
	latency  []uint32 // all runs, sorted
	requests int
	cpu      time.Duration // the server process, during the runs
	loadgen  time.Duration // this process, during the runs
	others   time.Duration // every other process, during the runs
	busy     time.Duration // the whole machine, during the runs
	failures int
	failure  string
	errors   int
	errorMsg string
	cookies  int
}

func (s *serverRuns) add(r runStats, u cpuUse) {
	s.rps = append(s.rps, r.rps())
	s.cpu += u.server
	s.loadgen += u.self
	s.busy += u.machine
	s.others += max(0, u.machine-u.server-u.self)
	s.latency = append(s.latency, r.latency...)
	s.requests += r.requests
	s.failures += r.failures
	s.errors += r.errors
	s.cookies += r.cookies
	if s.failure == "" {
		s.failure = r.failure
	}
	if s.errorMsg == "" {
		s.errorMsg = r.errorMsg
	}
}

// perRequest returns d divided by the requests served.
func (s *serverRuns) perRequest(d time.Duration) time.Duration {
	if s.requests == 0 {
		return 0
	}
	return d / time.Duration(s.requests)
}

// bench measures every N of cfg.sizes and prints the report.
func bench(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	started := time.Now()
	maxFlag, err := hasFlag(cfg.wizardBin, "-max-sessions")
	if err != nil {
		return err
	}
	// The harness seeds every session from one address: a server that
	// limits new sessions per client must not limit it.
	rateFlag, err := hasFlag(cfg.wizardBin, "-session-rate")
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	if cfg.logDir != "" {
		if err := os.MkdirAll(cfg.logDir, 0o755); err != nil {
			return fmt.Errorf("log directory: %w", err)
		}
	}
	var (
		results []sizeResult
		first   []pageItem
	)
	for k, n := range cfg.sizes {
		logf(stderr, "N=%d: starting", n)
		r, items, err := benchSize(ctx, cfg, n, maxFlag, rateFlag, k == 0, tmp, stderr)
		if err != nil {
			return fmt.Errorf("size %d: %w", n, err)
		}
		if k == 0 {
			first = items
		}
		results = append(results, r)
	}
	rep := report{cfg: cfg, results: results, firstPage: first, maxFlag: maxFlag, took: time.Since(started)}
	rep.write(stdout)
	if bad := rep.failures(); bad > 0 {
		return fmt.Errorf("%d checks failed (responses, store counters or hang-ups); see the report", bad)
	}
	return nil
}

// benchSize measures one session count: a wizard per -store and the
// fixed page, side by side. When firstPage is set it also measures the
// first page's transfer size (before any session exists).
func benchSize(ctx context.Context, cfg config, n int, maxFlag, rateFlag, firstPage bool, tmp string, stderr io.Writer) (sizeResult, []pageItem, error) {
	res := sizeResult{n: n}
	all := make([]storeResult, len(cfg.stores))
	wizards := make([]*server, len(cfg.stores))
	var items []pageItem
	for k, store := range cfg.stores {
		st := &all[k]
		st.label = storeKind(store)
		url, cleanup, err := prepareStore(ctx, store)
		if err != nil {
			return res, nil, err
		}
		defer func() {
			if err := cleanup(st.ss); err != nil {
				logf(stderr, "N=%d: %v", n, err)
			}
		}()
		addr, err := freeAddr()
		if err != nil {
			return res, nil, err
		}
		// Each its own file of submissions: a file takes one instance.
		argv := []string{cfg.wizardBin, "-addr", addr, "-submissions", filepath.Join(tmp, fmt.Sprintf("submissions-%d.jsonl", k))}
		if st.label != "memory" {
			argv = append(argv, "-store", url)
		}
		if maxFlag {
			argv = append(argv, "-max-sessions", strconv.Itoa(max(defaultMaxSessions, n+n/4+1024)))
		}
		if rateFlag {
			argv = append(argv, "-session-rate", "0")
		}
		name := "wizard"
		if len(cfg.stores) > 1 {
			name += " " + st.label
		}
		wz, err := startServer(ctx, name, addr, "/healthz", logPath(cfg, strings.ReplaceAll(name, " ", "-"), n), argv...)
		if err != nil {
			return res, nil, err
		}
		defer wz.stop() // before the store's cleanup: deferred calls run last first
		wizards[k] = wz

		if k == 0 && firstPage {
			if items, err = measureFirstPage(addr); err != nil {
				return res, nil, err
			}
		} else if _, err := measureFirstPage(addr); err != nil { // the same warm-up
			return res, nil, err
		}
		if st.rssBefore, err = settledRSS(ctx, wz, cfg.settle); err != nil {
			return res, nil, err
		}
		t0 := time.Now()
		if st.ss, err = seed(ctx, addr, "session", n, cfg.seedConns); err != nil {
			return res, nil, fmt.Errorf("%s: %w", name, err)
		}
		st.seedTime = time.Since(t0)
		logf(stderr, "N=%d: %s: seeded %d sessions in %v (%.0f/s)", n, name, n, st.seedTime.Round(time.Millisecond), float64(n)/st.seedTime.Seconds())
		if st.rssAfter, err = settledRSS(ctx, wz, cfg.settle); err != nil {
			return res, nil, err
		}

		// One verified request gives the partial's size and the page the
		// fixed server answers with.
		probe := newClient(addr, "session")
		body := appendIndexed([]byte(jobField+"="), jobPrefix, 0)
		rs, err := probe.do(appendRequest(nil, &request{method: "POST", path: hotPath, host: addr,
			cookieName: "session", cookieValue: st.ss.tokens[0], headers: hotHeaders(), body: body}))
		probe.close()
		if err != nil {
			return res, nil, fmt.Errorf("probe of %s: %w", name, err)
		}
		if msg := checkWizard(st.ss)(0, body[len(jobField)+1:], rs, nil); msg != "" {
			return res, nil, fmt.Errorf("probe of the hot path of %s: %s\n%s", name, msg, rs.body)
		}
		if k == 0 {
			res.partial = *rs
			res.partial.body = bytes.Clone(rs.body)
			res.pageSize = len(rs.body)
		}
	}
	page := filepath.Join(tmp, "page.html")
	if err := os.WriteFile(page, res.partial.body, 0o644); err != nil {
		return res, nil, fmt.Errorf("fixed page: %w", err)
	}

	faddr, err := freeAddr()
	if err != nil {
		return res, nil, err
	}
	fx, err := startServer(ctx, "fixed page server", faddr, "/", logPath(cfg, "fixed", n), cfg.self, "fixed-server", "-addr", faddr, "-page", page)
	if err != nil {
		return res, nil, err
	}
	defer fx.stop()

	type target struct {
		srv   *server
		ss    *sessions
		check checker
		runs  *serverRuns
	}
	var targets []target
	for k := range all {
		targets = append(targets, target{wizards[k], all[k].ss, checkWizard(all[k].ss), &all[k].wizard})
	}
	targets = append(targets, target{fx, all[0].ss, checkFixed(res.pageSize), &res.fixed})
	spec := func(t target, d time.Duration) loadSpec {
		return loadSpec{addr: t.srv.addr, sessions: t.ss, check: t.check, conns: cfg.conns, duration: d, freshJob: cfg.freshJob}
	}
	for _, t := range targets {
		if cfg.warmup <= 0 {
			break
		}
		w, err := runLoad(ctx, spec(t, cfg.warmup))
		if err != nil {
			return res, nil, fmt.Errorf("warm-up of the %s: %w", t.srv.name, err)
		}
		// Warm-up responses are verified like the rest; they only do not
		// count towards the figures.
		t.runs.failures += w.failures
		t.runs.errors += w.errors
		if t.runs.failure == "" {
			t.runs.failure = w.failure
		}
		if t.runs.errorMsg == "" {
			t.runs.errorMsg = w.errorMsg
		}
	}
	for run := range cfg.runs {
		// Each run starts with another server, against drift.
		for j := range targets {
			t := targets[(j+run)%len(targets)]
			if err := t.srv.alive(); err != nil {
				return res, nil, err
			}
			u0, err := readCPU(t.srv.pid())
			if err != nil {
				return res, nil, err
			}
			r, err := runLoad(ctx, spec(t, cfg.duration))
			if err != nil {
				return res, nil, fmt.Errorf("run %d of the %s: %w", run+1, t.srv.name, err)
			}
			u1, err := readCPU(t.srv.pid())
			if err != nil {
				return res, nil, err
			}
			use := u1.sub(u0)
			t.runs.add(r, use)
			logf(stderr, "N=%d: run %d %-17s %8.0f req/s  p50 %s  p99 %s  failed %d  errors %d  other processes %.0f%% of busy CPU",
				n, run+1, t.srv.name, r.rps(), micros(pct(r.latency, 50)), micros(pct(r.latency, 99)), r.failures, r.errors, 100*use.othersShare())
		}
	}
	for _, t := range targets {
		slices.Sort(t.runs.latency)
	}
	for k := range all {
		st, wz := &all[k], wizards[k]
		if st.rssLoaded, err = residentBytes(wz.pid()); err != nil {
			return res, nil, err
		}
		// No request may have created a session, nor may the store have
		// lost one, when the wizard says so.
		if st.store, st.storeOK, err = readStoreCounters(wz.addr); err != nil {
			return res, nil, err
		}
		if st.storeOK {
			st.storeProblem = st.store.check(n)
		}
		st.hangUps = hangUpRequests
		st.hangUpProblem = survivesHangUps(ctx, wz, st.ss, cfg.conns)
	}
	res.storeResult, res.others = all[0], all[1:]
	return res, items, nil
}

// hangUpRequests is how many requests survivesHangUps abandons.
const hangUpRequests = 5000

// survivesHangUps abandons requests mid-flight, then checks that the
// wizard goes idle (no runaway work on requests nobody waits for), still
// runs, and answers a verified request. It returns what went wrong, or "".
func survivesHangUps(ctx context.Context, wz *server, ss *sessions, conns int) string {
	err := hangUps(ctx, wz.addr, ss, hangUpRequests, conns)
	pause := func(d time.Duration) bool {
		select {
		case <-time.After(d):
			return true
		case <-ctx.Done():
			return false
		}
	}
	if !pause(500 * time.Millisecond) {
		return ctx.Err().Error()
	}
	cpu0, err0 := cpuTime(wz.pid())
	if !pause(time.Second) {
		return ctx.Err().Error()
	}
	cpu1, err1 := cpuTime(wz.pid())
	if dead := wz.alive(); dead != nil {
		return fmt.Sprintf("the wizard died when clients hung up mid-request (%v); -log-dir keeps its output", dead)
	}
	if err0 == nil && err1 == nil && cpu1-cpu0 > 300*time.Millisecond {
		return fmt.Sprintf("the wizard kept working after clients hung up mid-request: %v of CPU in the idle second that followed (-log-dir keeps its output)", cpu1-cpu0)
	}
	if err != nil {
		return fmt.Sprintf("abandoning requests: %v", err)
	}
	c := newClient(wz.addr, ss.cookie)
	defer c.close()
	body := appendIndexed([]byte(jobField+"="), jobPrefix, 0)
	rs, err := c.do(appendRequest(nil, &request{method: "POST", path: hotPath, host: wz.addr,
		cookieName: ss.cookie, cookieValue: ss.tokens[0], headers: hotHeaders(), body: body}))
	if err != nil {
		return fmt.Sprintf("after clients hung up: %v", err)
	}
	if msg := checkWizard(ss)(0, body[len(jobField)+1:], rs, nil); msg != "" {
		return "after clients hung up: " + msg
	}
	return ""
}

// pct sorts a copy of lat and returns its p-th percentile.
func pct(lat []uint32, p float64) uint32 {
	return percentile(slices.Sorted(slices.Values(lat)), p)
}

// settledRSS waits d, then reads the server's VmRSS.
func settledRSS(ctx context.Context, s *server, d time.Duration) (int64, error) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	if err := s.alive(); err != nil {
		return 0, err
	}
	return residentBytes(s.pid())
}

// hasFlag reports whether the binary's -h output lists the flag.
func hasFlag(bin, flag string) (bool, error) {
	out, err := exec.Command(bin, "-h").CombinedOutput()
	if len(out) == 0 && err != nil {
		return false, fmt.Errorf("run %s -h: %w", bin, err)
	}
	return bytes.Contains(out, []byte(flag+" ")), nil
}

// logPath names a server's log file, or "" to discard its output.
func logPath(cfg config, name string, n int) string {
	if cfg.logDir == "" {
		return ""
	}
	return filepath.Join(cfg.logDir, fmt.Sprintf("%s-%d.log", name, n))
}

// logf prints a progress line.
func logf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// micros formats microseconds as milliseconds.
func micros(us uint32) string { return fmt.Sprintf("%.2f ms", float64(us)/1000) }
