package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// profile runs the wizard binary, with its profiler on, under the
// hot-path load at the first of cfg.sizes and writes heap.pprof (after
// seeding), cpu.pprof and allocs.pprof (during the load) to cfg.profileDir.
func profile(ctx context.Context, cfg config, stderr io.Writer) error {
	n := cfg.sizes[0]
	if cfg.duration < 3*time.Second {
		return fmt.Errorf("-duration %v: profiling needs at least 3s", cfg.duration)
	}
	if err := os.MkdirAll(cfg.profileDir, 0o755); err != nil {
		return fmt.Errorf("profile directory: %w", err)
	}
	tmp, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	paddr, err := freeAddr()
	if err != nil {
		return err
	}
	argv := []string{cfg.wizardBin, "-addr", addr, "-pprof", paddr, "-submissions", filepath.Join(tmp, "submissions.jsonl"),
		"-max-sessions", strconv.Itoa(max(defaultMaxSessions, n+n/4+1024))}
	// Seeding comes from one address: no limit on new sessions.
	if rateFlag, err := hasFlag(cfg.wizardBin, "-session-rate"); err != nil {
		return err
	} else if rateFlag {
		argv = append(argv, "-session-rate", "0")
	}
	// The first -store is profiled.
	url, cleanup, err := prepareStore(ctx, cfg.stores[0])
	if err != nil {
		return err
	}
	var ss *sessions
	defer func() {
		if err := cleanup(ss); err != nil {
			logf(stderr, "N=%d: %v", n, err)
		}
	}()
	if storeKind(url) != "memory" {
		argv = append(argv, "-store", url)
	}
	wz, err := startServer(ctx, "wizard (profiling)", addr, "/healthz", logPath(cfg, "wizard-profile", n), argv...)
	if err != nil {
		return err
	}
	defer wz.stop()
	if _, err := measureFirstPage(addr); err != nil {
		return err
	}
	if ss, err = seed(ctx, addr, "session", n, cfg.seedConns); err != nil {
		return err
	}
	logf(stderr, "N=%d: seeded", n)
	base := "http://" + paddr + "/debug/pprof/"
	if err := fetch(ctx, base+"heap?gc=1", filepath.Join(cfg.profileDir, "heap.pprof")); err != nil {
		return err
	}
	spec := loadSpec{addr: addr, sessions: ss, check: checkWizard(ss), conns: cfg.conns, freshJob: cfg.freshJob}
	if cfg.warmup > 0 {
		spec.duration = cfg.warmup
		if _, err := runLoad(ctx, spec); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}

	// The profiles cover the load but its first and last second.
	secs := strconv.Itoa(int(cfg.duration/time.Second) - 2)
	var (
		wg   sync.WaitGroup
		errs [2]error
	)
	wg.Go(func() {
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return
		}
		var pw sync.WaitGroup
		pw.Go(func() { errs[0] = fetch(ctx, base+"profile?seconds="+secs, filepath.Join(cfg.profileDir, "cpu.pprof")) })
		pw.Go(func() {
			errs[1] = fetch(ctx, base+"allocs?seconds="+secs, filepath.Join(cfg.profileDir, "allocs.pprof"))
		})
		pw.Wait()
	})
	cpu0, err := cpuTime(wz.pid())
	if err != nil {
		return err
	}
	spec.duration = cfg.duration
	r, err := runLoad(ctx, spec)
	if err != nil {
		return err
	}
	cpu1, err := cpuTime(wz.pid())
	if err != nil {
		return err
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	logf(stderr, "N=%d: %.0f req/s, p50 %s, p99 %s, server CPU %s/req, %d failed, %d transport errors",
		n, r.rps(), micros(pct(r.latency, 50)), micros(pct(r.latency, 99)), usec((cpu1-cpu0)/time.Duration(max(r.requests, 1))), r.failures, r.errors)
	if r.failure != "" {
		logf(stderr, "first failure: %s", r.failure)
	}
	logf(stderr, "wrote %s/{cpu,allocs,heap}.pprof; e.g. go tool pprof -top -nodecount=30 %s",
		cfg.profileDir, filepath.Join(cfg.profileDir, "cpu.pprof"))
	if r.failures+r.errors > 0 {
		return fmt.Errorf("%d responses failed verification or the transport", r.failures+r.errors)
	}
	return nil
}

// fetch saves the body of a GET to path.
func fetch(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return fmt.Errorf("profile %q: %w", url, err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("profile %q: status %d: %s", url, res.StatusCode, b)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return fmt.Errorf("profile %q: %w", url, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}
