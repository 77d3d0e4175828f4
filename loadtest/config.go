package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// config holds the benchmark's settings.
type config struct {
	wizardBin  string
	stores     []string // -store values, measured side by side
	sizes      []int
	runs       int
	duration   time.Duration
	warmup     time.Duration
	settle     time.Duration
	conns      int
	seedConns  int
	freshJob   bool
	procs      int    // GOMAXPROCS of the load generator
	logDir     string // where the servers' output goes; "" discards it
	profileDir string // profile mode when set
	self       string // this executable, started as the child servers
	args       []string
}

// parseFlags reads the benchmark's flags.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := config{args: args}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: loadtest [flags]\n\nMeasures the wizard's hot path against a fixed page (make bench-load); see\n`go doc ./loadtest`.\n\nFlags:")
		fs.PrintDefaults()
	}
	sizes := fs.String("sizes", "1,1000,100000,1000000", "comma-separated session `counts` N to measure (1k, 1M allowed)")
	fs.StringVar(&cfg.wizardBin, "wizard", "bin/wizard", "wizard server `binary` to measure")
	stores := fs.String("store", "memory", "where the wizard keeps sessions: memory, redis://host:port/db or postgres://user@host:port/db; several, comma-separated, are measured side by side in one run (the first fills the main table)")
	fs.IntVar(&cfg.runs, "runs", 5, "measured runs per server and N; the table gives their median")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each run")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "unmeasured (but verified) load on each server before its runs")
	fs.DurationVar(&cfg.settle, "settle", 2*time.Second, "pause before each VmRSS reading")
	fs.IntVar(&cfg.conns, "conns", 50, "keep-alive connections driving the load")
	fs.IntVar(&cfg.procs, "loadgen-procs", 2, "GOMAXPROCS of the load generator (the servers keep their own)")
	fs.IntVar(&cfg.seedConns, "seed-conns", 64, "connections creating the sessions")
	fs.BoolVar(&cfg.freshJob, "fresh-job", false, "post a job no earlier request posted, so every request changes its session (default: session i always gets job-i, as ../shared/bench/wizard.lua does)")
	fs.StringVar(&cfg.logDir, "log-dir", "", "`directory` for the servers' logs (default: discarded; the wizard logs every request)")
	fs.StringVar(&cfg.profileDir, "profile", "", "write CPU, allocation and heap profiles of the wizard under load at the first N to `directory`, instead of the table")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if cfg.sizes, err = parseSizes(*sizes); err != nil {
		return cfg, err
	}
	if cfg.stores, err = parseStores(*stores); err != nil {
		return cfg, err
	}
	if cfg.runs < 1 || cfg.conns < 1 || cfg.seedConns < 1 || cfg.duration <= 0 {
		return cfg, fmt.Errorf("-runs, -conns, -seed-conns and -duration must be positive")
	}
	if cfg.self, err = os.Executable(); err != nil {
		return cfg, fmt.Errorf("find own executable: %w", err)
	}
	return cfg, nil
}

// parseSizes reads "1,1k,100000,1M".
func parseSizes(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		mult := 1
		switch {
		case strings.HasSuffix(f, "k"):
			f, mult = strings.TrimSuffix(f, "k"), 1_000
		case strings.HasSuffix(f, "M"):
			f, mult = strings.TrimSuffix(f, "M"), 1_000_000
		}
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil || n < 1 || n*mult > 9_999_999 {
			return nil, fmt.Errorf("session count %q: want 1 to 9,999,999", f)
		}
		out = append(out, n*mult)
	}
	return out, nil
}
