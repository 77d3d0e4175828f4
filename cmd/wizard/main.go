// Command wizard serves multi-step form wizards over HTTP: those defined
// in the files of -forms DIR, or the embedded demo wizards. "wizard check
// [DIR]" checks definition files without serving them.
//
// Every flag can also be set by an environment variable named WIZARD_ and the
// flag's name in capitals with '_' for '-' (e.g. WIZARD_IDLE_TIMEOUT=10m); a
// flag on the command line wins over the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/wizard/wizard/backends"
	"github.com/wizard/wizard/handlers"
)

// defaultGOGC is the collector's target when the environment sets no
// GOGC: the heap may grow to five times what is live before a collection,
// not twice. The memory store keeps sessions outside the Go heap, so what
// is live is small and most of what the heap holds between collections is
// the garbage of finished requests; collecting it less often took a
// quarter off the CPU time of a step post (see README, Performance).
const defaultGOGC = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	if len(os.Args) > 1 && os.Args[1] == "check" {
		os.Exit(check(os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "submissions" {
		os.Exit(submissionsCmd(context.Background(), os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wizard:", err)
		}
		os.Exit(2)
	}
}

// shutdownGrace is how long requests in flight may take to finish on
// SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// options are the command's settings, from flags and the environment.
type options struct {
	addr        string
	store       string
	maxSessions int
	sink        string
	hook        webhook
	submissions string
	pprof       string
	forms       string
	watch       bool
	reloadURL   string
	cfg         handlers.Config
}

// parseFlags reads the flags, with defaults taken from WIZARD_* variables.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	o := options{cfg: handlers.DefaultConfig()}
	fs := flag.NewFlagSet("wizard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: wizard [flags]\n\nServes multi-step form wizards. Each flag may also be set as WIZARD_<NAME>,\ne.g. WIZARD_IDLE_TIMEOUT=10m.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.addr, "addr", "localhost:8080", "`address` to listen on")
	fs.DurationVar(&o.cfg.IdleTimeout, "idle-timeout", o.cfg.IdleTimeout, "end a session after this long without a request")
	fs.DurationVar(&o.cfg.Lifetime, "lifetime", o.cfg.Lifetime, "end a session this long after it began, however active")
	fs.StringVar(&o.cfg.CookieName, "cookie-name", o.cfg.CookieName, "`name` of the session cookie")
	fs.BoolVar(&o.cfg.CookieSecure, "cookie-secure", o.cfg.CookieSecure, "send the session cookie over HTTPS only")
	fs.BoolVar(&o.cfg.Persist, "persist", o.cfg.Persist, "keep the session cookie when the browser closes (save and come back later, within -lifetime)")
	fs.StringVar(&o.store, "store", "memory", "where sessions live: `memory`, redis://host:port/db or postgres://user@host:port/db")
	fs.IntVar(&o.maxSessions, "max-sessions", 100_000, "most sessions the memory store holds; when full, new sessions are refused (503) until some end")
	fs.IntVar(&o.cfg.NewSessionsPerMinute, "session-rate", o.cfg.NewSessionsPerMinute, "most sessions one client (IP address, IPv6 /64) may start per minute; 0: no limit")
	fs.IntVar(&o.cfg.SubmitsPerMinute, "submit-rate", o.cfg.SubmitsPerMinute, "most submissions one client may make per minute; 0: no limit")
	fs.Func("trusted-proxies", "comma-separated `networks` (CIDR) of reverse proxies whose X-Forwarded-For names the client, e.g. 10.0.0.0/8", func(v string) error {
		prefixes, err := parsePrefixes(v)
		o.cfg.TrustedProxies = prefixes
		return err
	})
	fs.StringVar(&o.forms, "forms", "", "serve one wizard per definition file (*.yaml, *.yml, *.json) of this `directory`; SIGHUP reloads them; without it, the demo wizards")
	fs.BoolVar(&o.watch, "watch", false, "reload the definitions of -forms whenever a file changes (for make dev)")
	fs.StringVar(&o.reloadURL, "reload-url", "", "after a reload, POST to this `URL` (templ's proxy, which reloads the browser; make dev sets it)")
	fs.StringVar(&o.sink, "sink", sinkDefault, "where completed wizards go: file:`PATH` (one JSON object per line; one instance only) or postgres://user@host:port/db (any number of instances)")
	fs.StringVar(&o.submissions, "submissions", "", "shorthand for -sink file:`PATH`")
	fs.StringVar(&o.hook.url, "webhook-url", "", "POST each submission, signed (Standard Webhooks), to this `URL`, retried until taken; needs a PostgreSQL -sink")
	fs.StringVar(&o.hook.secretFile, "webhook-secret-file", "", "`file` holding the webhook's signing secret (whsec_...)")
	fs.StringVar(&o.hook.previousFile, "webhook-previous-secret-file", "", "`file` holding the secret being rotated out: requests carry both signatures")
	fs.StringVar(&o.cfg.StaticDir, "static-dir", "", "serve static files from this `directory`, uncached (for make dev)")
	fs.StringVar(&o.pprof, "pprof", "", "serve Go's profiler (net/http/pprof) on this `address`, e.g. 127.0.0.1:6060; keep it private (make bench-load's -profile uses it)")

	var bad error
	given := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		env := "WIZARD_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(env); v != "" && bad == nil {
			given[f.Name] = true
			if err := f.Value.Set(v); err != nil {
				bad = fmt.Errorf("%s=%q: %w", env, v, err)
			}
		}
	})
	if bad != nil {
		return o, bad
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["sink"] && given["submissions"] {
		return o, fmt.Errorf("-submissions is a shorthand for -sink file:PATH: give one or the other")
	}
	if o.submissions != "" {
		o.sink = "file:" + o.submissions
	}
	if _, _, err := sinkKind(o.sink); err != nil {
		return o, err
	}
	if o.cfg.IdleTimeout < 0 || o.cfg.Lifetime <= 0 {
		return o, fmt.Errorf("-idle-timeout must be >= 0 and -lifetime > 0")
	}
	if o.maxSessions <= 0 {
		return o, fmt.Errorf("-max-sessions must be positive")
	}
	if o.cfg.NewSessionsPerMinute < 0 || o.cfg.SubmitsPerMinute < 0 {
		return o, fmt.Errorf("-session-rate and -submit-rate must be >= 0")
	}
	if o.watch && o.forms == "" {
		return o, fmt.Errorf("-watch needs -forms")
	}
	if o.cfg.CookieName == "" {
		return o, fmt.Errorf("-cookie-name must not be empty")
	}
	return o, nil
}

// parsePrefixes reads comma-separated networks in CIDR notation; a bare
// address is a network of one.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or a network", part)
			}
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a network in CIDR notation", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// watchInterval is how often -watch looks at the definition files.
const watchInterval = 300 * time.Millisecond

// formsShown says where the wizards come from, for the log.
func formsShown(dir string) string {
	if dir == "" {
		return "embedded demo"
	}
	return dir
}

// maxHeaderBytes bounds a request's header: Go's default of 1 MB is far
// more than any browser sends (cookies are capped at about 4 KB each).
const maxHeaderBytes = 32 << 10

// run starts the server and blocks until ctx ends, then shuts down
// gracefully. If ready is not nil, it receives the listening address.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	o, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	logs := newLogBuffer(stderr)
	defer logs.Close()
	log := newLogger(logs)
	catalog, err := loadCatalog(o.forms)
	if err != nil {
		return errors.New(mistakes(err))
	}
	sunk, err := openSink(ctx, o.sink, o.hook, log)
	if err != nil {
		return err
	}
	defer sunk.close() // after the server's shutdown below: releases the file's lock
	if sunk.deliver != nil {
		// Deliveries go on while the server shuts down, and end before
		// the sink's connections close.
		dctx, stopDelivery := context.WithCancel(context.WithoutCancel(ctx))
		delivered := make(chan struct{})
		go func() {
			defer close(delivered)
			sunk.deliver(dctx)
		}()
		defer func() {
			stopDelivery()
			<-delivered
		}()
	}
	backend, err := backends.Open(ctx, o.store, backends.Options{MaxSessions: o.maxSessions})
	if err != nil {
		return err
	}
	defer backend.Close()
	go returnHeapAfterExpiry(ctx, backend.Stats, log)
	deps := handlers.Deps{
		Wizards: catalog, Store: backend.Store, Locker: backend.Locker, Ping: backend.Ping, Sink: sunk.sink, Log: log,
		Collectors: sunk.collectors,
	}
	if backend.Stats != nil {
		deps.StoreStats = func() handlers.StoreStats {
			st := backend.Stats()
			return handlers.StoreStats{Live: st.Live, Created: st.Created, Expired: st.Expired, Evicted: st.Evicted, Refused: st.Refused, Mapped: st.Mapped}
		}
	}
	srv, err := handlers.New(o.cfg, deps)
	if err != nil {
		return err
	}
	rl := &reloader{dir: o.forms, set: srv.SetWizards, log: log, notify: o.reloadURL}
	if o.watch {
		rl.watch = watchInterval
	}
	rctx, stopReloads := context.WithCancel(ctx)
	defer stopReloads()
	rl.start(rctx)
	if o.pprof != "" {
		stop, err := serveProfiler(o.pprof, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "url", "http://"+ln.Addr().String()+"/", "store", backend.Kind, "wizards", len(catalog.All()), "forms", formsShown(o.forms))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// serveProfiler serves net/http/pprof on addr, apart from the wizard's
// own routes, until stop is called.
func serveProfiler(addr string, log *slog.Logger) (stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for the profiler: %w", err)
	}
	log.Info("profiler listening", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return func() { hs.Close() }, nil
}
