package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wizard/wizard/sessionstore"
)

// readings feeds live counts, one a second from start, to h and returns
// the indexes of those after which memory was returned.
func readings(h *heapReturn, start time.Time, lives ...int64) (fired []int) {
	for i, live := range lives {
		if h.observe(live, start.Add(time.Duration(i)*time.Second)) {
			fired = append(fired, i)
		}
	}
	return fired
}

// repeat returns n copies of v.
func repeat(v int64, n int) []int64 { return slices.Repeat([]int64{v}, n) }

func TestHeapReturnOnceAfterMassExpiry(t *testing.T) {
	h := newHeapReturn()
	t0 := time.Unix(1_000_000, 0)
	var lives []int64
	for live := int64(0); live <= 100_000; live += 10_000 { // sessions made
		lives = append(lives, live)
	}
	lives = append(lives, repeat(100_000, 30)...) // in use
	expiry := len(lives)
	// The sweep removes them, in steps: the third reading falls between
	// the same two sweeps as the second.
	lives = append(lives, 80_000, 55_000, 55_000, 30_000, 8_000, 0)
	lives = append(lives, repeat(0, 300)...)
	got := readings(h, t0, lives...)
	// Not while the count still falls, nor in the pause between two
	// steps: five seconds after it stopped (at expiry+5), and never again
	// while nothing comes back.
	if want := []int{expiry + 10}; !slices.Equal(got, want) {
		t.Errorf("returned after readings %v, want %v (the first after the fall ended)", got, want)
	}
}

func TestHeapReturnNotUnderSteadyChurn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, level := range []int64{1_000, 50_000, 1_000_000} {
		h := newHeapReturn()
		lives := make([]int64, 24*3600) // a day of readings
		for i := range lives {
			// Sessions come and go; the count wanders by up to 30% either
			// way, and never halves.
			lives[i] = level + int64(float64(level)*0.3*(2*rng.Float64()-1))
		}
		if got := readings(h, time.Unix(0, 0), lives...); len(got) != 0 {
			t.Errorf("around %d live sessions: returned %d times, first after reading %d, want never", level, len(got), got[0])
		}
	}
}

func TestHeapReturnThresholds(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	tests := []struct {
		name  string
		lives []int64
		want  []int
	}{
		{"small store: 9,000 sessions gone is not worth a collection", slices.Concat([]int64{9_000}, repeat(0, 10)), nil},
		{"10,000 gone of 15,000", slices.Concat([]int64{15_000}, repeat(5_000, 10)), []int{6}},
		{"a slow decline counts once it is past half", slices.Concat(
			[]int64{100_000, 99_500, 99_000, 60_000, 50_500, 49_000}, // falls by over 1,000 at 3, 4, 5
			repeat(48_800, 10),
		), []int{10}},
		{"45% gone is not enough", slices.Concat([]int64{100_000}, repeat(55_000, 10)), nil},
		{"a second fall within the gap waits for it", slices.Concat(
			[]int64{100_000}, repeat(0, 11), // gone at 1, returned at 6
			repeat(100_000, 10), // back at 12
			repeat(0, 60),       // gone at 22; 60 s after 6 is 66
		), []int{6, 66}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readings(newHeapReturn(), t0, tt.lives...); !slices.Equal(got, tt.want) {
				t.Errorf("returned after readings %v, want %v", got, tt.want)
			}
		})
	}
}

// TestHeapReturnWithStore runs the watch against a real store: once its
// sessions have expired and been swept, memory is returned once, and the
// store's own memory outside the heap has gone back too.
func TestHeapReturnWithStore(t *testing.T) {
	const n = 40_000
	var clock atomic.Int64 // the store's time, in nanoseconds
	clock.Store(time.Now().UnixNano())
	s := sessionstore.New(sessionstore.Options{
		MaxSessions: 2 * n, Shards: 4, SweepInterval: 10 * time.Millisecond,
		Now: func() time.Time { return time.Unix(0, clock.Load()) },
	})
	defer s.Close()
	exp := time.Unix(0, clock.Load()).Add(time.Minute)
	payload := make([]byte, 60) // a classic session's
	for i := range n {
		if err := s.Commit(fmt.Sprintf("token-%07d", i), payload, exp); err != nil {
			t.Fatal(err)
		}
	}
	peak := s.Stats().Mapped
	var freed atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h := newHeapReturn()
		h.quiet = 50 * time.Millisecond
		h.watch(ctx, 5*time.Millisecond, s.Stats, func() { freed.Add(1) }, slog.New(slog.DiscardHandler))
	}()
	time.Sleep(50 * time.Millisecond) // readings of the sessions in use
	if got := freed.Load(); got != 0 {
		t.Fatalf("memory returned %d times while every session was in use", got)
	}
	clock.Add(int64(time.Hour)) // every session expires
	deadline := time.Now().Add(10 * time.Second)
	for freed.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // forty more readings of nothing
	cancel()
	<-done
	st := s.Stats()
	if got := freed.Load(); got != 1 {
		t.Errorf("memory returned %d times after %d sessions expired, want once", got, n)
	}
	if st.Live != 0 {
		t.Errorf("%d sessions live after all expired", st.Live)
	}
	if runtime.GOOS == "linux" && (peak == 0 || st.Mapped > peak/10) {
		t.Errorf("store holds %d bytes outside the heap after all expired, %d at the peak: want under a tenth", st.Mapped, peak)
	}
}

// TestMassExpiryGivesMemoryBack measures, on the real binary, how much of
// the resident memory that 100,000 sessions added the process keeps once
// they have all expired: it seeds them through the classic wizard's first
// step (as make bench-load does), lets them expire, waits for the sweep
// and for the server to give memory back, and fails if more than a
// quarter of what they added is still resident. It takes about two minutes,
// so it runs only when WIZARD_EXPIRY_RSS is set (to the number of
// sessions, or 1 for 100,000):
//
//	WIZARD_EXPIRY_RSS=1 go test -run MassExpiry -v ./cmd/wizard/
func TestMassExpiryGivesMemoryBack(t *testing.T) {
	n := expiryRSSSessions(t)
	const idle = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := buildWizard(t, ctx, t.TempDir())
	p := startWizard(t, ctx, bin, "-addr", "127.0.0.1:0", "-idle-timeout", idle.String(),
		"-max-sessions", strconv.Itoa(n+n/4+1024), "-session-rate", "0",
		"-submissions", t.TempDir()+"/s.jsonl")
	pid := p.cmd.Process.Pid
	base := strings.TrimSuffix(p.url, "/")

	// Warm up as the load test does, then read where the process starts.
	rs, err := http.Get(base + "/classic/name")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, rs.Body)
	rs.Body.Close()
	before := settledRSS(t, pid)
	logHeap(t, base, "before seeding")
	t0 := time.Now()
	seedSessions(t, ctx, base, n)
	seeded := time.Since(t0)
	live := metric(t, base, "wizard_sessions_live")
	if live < float64(n) {
		t.Logf("only %.0f sessions live at the peak: seeding took longer than the idle timeout", live)
	}
	peak := settledRSS(t, pid)
	t.Logf("seeded %d sessions in %v (%.0f live); VmRSS %s before, %s after: %s added (%.0f B a session)",
		n, seeded.Round(time.Millisecond), live, mib(before), mib(peak), mib(peak-before), float64(peak-before)/float64(n))
	logHeap(t, base, "after seeding")

	// Every session expires idle after its last request, the sweep
	// removes it within a second, and the server returns memory once the
	// fall has been over for heapReturnQuiet.
	deadline := time.Now().Add(idle + 30*time.Second)
	for metric(t, base, "wizard_sessions_live") > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%.0f sessions still live", metric(t, base, "wizard_sessions_live"))
		}
		time.Sleep(time.Second)
	}
	for end := time.Now().Add(heapReturnQuiet + 10*time.Second); time.Now().Before(end); {
		if strings.Contains(p.stderr.String(), heapReturnedMsg) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	after := rss(t, pid)
	logHeap(t, base, "after expiry")
	kept := float64(after-before) / float64(peak-before)
	t.Logf("after all expired: VmRSS %s, %s above the start: %.1f%% of what the sessions added", mib(after), mib(after-before), 100*kept)
	if got := strings.Count(p.stderr.String(), heapReturnedMsg); got != 1 {
		t.Errorf("memory returned %d times, want once", got)
	}
	if kept > 0.25 {
		t.Errorf("kept %.1f%% of the resident memory the sessions added, want at most 25%%", 100*kept)
	}
}

// expiryRSSSessions reads WIZARD_EXPIRY_RSS, skipping the test if unset.
func expiryRSSSessions(t *testing.T) int {
	v := os.Getenv("WIZARD_EXPIRY_RSS")
	if v == "" || testing.Short() {
		t.Skip("set WIZARD_EXPIRY_RSS=1 (100,000 sessions) or to a number of sessions to run it")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("WIZARD_EXPIRY_RSS=%q: want a positive number", v)
	}
	if n == 1 {
		n = 100_000
	}
	return n
}

// seedSessions creates n sessions by answering the classic wizard's
// first step without a cookie, as a browser without JavaScript would.
func seedSessions(t *testing.T, ctx context.Context, base string, n int) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for range 16 {
		wg.Go(func() {
			c := &http.Client{
				Timeout:       10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				rs, err := c.PostForm(base+"/classic/name", url.Values{"v1": {fmt.Sprintf("name-%07d", i)}})
				if err == nil {
					io.Copy(io.Discard, rs.Body)
					rs.Body.Close()
					if rs.StatusCode != http.StatusSeeOther || len(rs.Cookies()) == 0 {
						err = fmt.Errorf("status %d, %d cookies; want 303 and a session cookie", rs.StatusCode, len(rs.Cookies()))
					}
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("seed session %d: %w", i, err):
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

// settledRSS waits for the process to settle, then reads its VmRSS.
func settledRSS(t *testing.T, pid int) int64 {
	t.Helper()
	time.Sleep(2 * time.Second)
	return rss(t, pid)
}

// rss reads the process's resident set size (VmRSS).
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no VmRSS here: %v", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("parse VmRSS %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// metrics reads the server's /metrics into name (with labels) -> value.
func metrics(t *testing.T, base string) map[string]float64 {
	t.Helper()
	rs, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Body.Close()
	m := map[string]float64{}
	sc := bufio.NewScanner(rs.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if name, v, ok := strings.Cut(line, " "); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				m[name] = f
			}
		}
	}
	return m
}

func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	return metrics(t, base)[name]
}

// logHeap logs where the Go heap's memory is: its resident part is what
// it has in use and what it holds idle but has not released.
func logHeap(t *testing.T, base, when string) {
	t.Helper()
	m := metrics(t, base)
	inuse, idle, released := m["go_memstats_heap_inuse_bytes"], m["go_memstats_heap_idle_bytes"], m["go_memstats_heap_released_bytes"]
	t.Logf("%s: Go heap resident %s (in use %s, idle %s of which released %s), next GC at %s, %.0f collections",
		when, mib(int64(inuse+idle-released)), mib(int64(inuse)), mib(int64(idle)), mib(int64(released)),
		mib(int64(m["go_memstats_next_gc_bytes"])), m["go_gc_duration_seconds_count"])
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
