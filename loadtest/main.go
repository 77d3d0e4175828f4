// Command loadtest measures the wizard server's hot path, as `make
// bench-load` runs it (issue 7).
//
// For each session count N (default 1, 1,000, 100,000 and 1,000,000) it
// starts bin/wizard on 127.0.0.1 with the memory store (passing
// -max-sessions above N when the binary has that flag), reads the server's
// VmRSS, creates N sessions by answering the classic wizard's first step
// (name-0000000, name-0000001, ...; 303 and a new cookie each), reads
// VmRSS again, and then drives the hot path: an htmx POST of step 2's
// answer (v2=job-<i>, HX-Request: true, HX-Request-Type: partial) for a
// session chosen at random, which the server answers with the review
// partial echoing both answers. In the same run, alternating with the
// wizard, it drives a bare net/http server ("fixed-server" below, a
// separate process) that answers the same requests with a fixed page of
// the same size: the wizard's own response body.
//
// With -store it measures the wizard on other session stores: one value
// (memory, redis://host:port/db or postgres://user@host:port/db) replaces
// the memory store; several, comma-separated, start a wizard on each
// (each seeded with its own N sessions), driven in turn with the fixed page
// in the same run, and a second table gives each store's req/s as a share
// of the fixed page's and of the memory store's (issue 16). A PostgreSQL
// store gets a schema of its own, dropped afterwards; from Redis the
// sessions the benchmark made are deleted afterwards.
//
// Every response is verified, so a broken server cannot look fast: the
// wizard's must be 200, contain the session's saved name and the job just
// posted, and set no cookie other than the session's own (a new token would
// mean the server lost the session); the fixed server's must be 200 with
// the page's exact size. After the runs, the wizard's store counters at
// /metrics, when it exports them, must show N sessions created and live and
// none evicted or expired; and the wizard must survive 5,000 requests whose
// clients hang up mid-flight (as wrk's do when it stops): go idle within a
// second, stay up and still answer. Any failure makes the command exit 1
// after the report.
//
// The load generator is built in (no wrk to install): each of -conns
// keep-alive connections writes a pre-built HTTP/1.1 request and parses the
// response without allocating, as soon as the previous response arrived
// (a closed loop, like wrk). It shares the machine's cores with the server,
// as wrk would; the report states the CPU each side used per request.
//
// The report, in Markdown on stdout, gives per N the median req/s of -runs
// runs of each server, their ratio, p50/p99 latency over all runs, resident
// bytes per session, and server CPU per request; then the size of the step
// partial on the wire and of the first page (GET /classic/name with its CSS
// and scripts, gzip accepted); then each goal of issues 7 and 16 with its
// verdict, from the medians, at the N where the measure is lowest (issue
// 16's: the memory store against the fixed page, and Redis and PostgreSQL
// against the memory store, for the stores measured).
// Progress goes to stderr.
//
// With -profile DIR it measures no table: it runs the -wizard binary with
// its profiler on a side port (-pprof), seeds the first of -sizes, and
// writes DIR/heap.pprof (after seeding, after a GC), DIR/cpu.pprof and
// DIR/allocs.pprof (during the hot-path load), for `go tool pprof`.
//
// Usage:
//
//	go run ./loadtest [flags]             the benchmark (make bench-load)
//	go run ./loadtest -profile DIR [-sizes 100000] [flags]
//	loadtest fixed-server -addr A -page FILE
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
		}
		os.Exit(1)
	}
}

// run dispatches to the benchmark, the profile or one of the child
// servers.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "fixed-server":
			return serveFixed(ctx, args[1:], stderr)
		}
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(cfg.procs)
	if cfg.profileDir != "" {
		return profile(ctx, cfg, stderr)
	}
	return bench(ctx, cfg, stdout, stderr)
}
