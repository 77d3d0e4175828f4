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
	"os"
	"path/filepath"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/backends"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sinks"
)

// serveFixed is the reference server ("loadtest fixed-server"): a bare
// net/http handler answering every request with the same page, the
// yardstick the wizard's throughput is compared with.
func serveFixed(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest fixed-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`address` to listen on")
	page := fs.String("page", "", "`file` holding the page to answer with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	body, err := os.ReadFile(*page)
	if err != nil {
		return fmt.Errorf("fixed page: %w", err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
	return serve(ctx, *addr, &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second})
}

// serveWizard ("loadtest wizard-server") runs the wizard server wired as
// cmd/wizard's run() wires it with the memory store, plus net/http/pprof on
// a separate address, so that it can be profiled under load. Keep the
// wiring in step with cmd/wizard/main.go.
func serveWizard(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest wizard-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`address` to listen on")
	pprofAddr := fs.String("pprof", "127.0.0.1:0", "`address` serving /debug/pprof/")
	maxSessions := fs.Int("max-sessions", 0, "most sessions the memory store holds (0: its default)")
	dir := fs.String("dir", os.TempDir(), "`directory` for the submissions file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	srv, closeBackend, err := newWizard(ctx, *dir, *maxSessions, log)
	if err != nil {
		return err
	}
	defer closeBackend()

	debug := http.NewServeMux()
	debug.HandleFunc("/debug/pprof/", pprof.Index)
	debug.HandleFunc("/debug/pprof/profile", pprof.Profile)
	pln, err := net.Listen("tcp", *pprofAddr)
	if err != nil {
		return fmt.Errorf("listen for pprof: %w", err)
	}
	go http.Serve(pln, debug)
	defer pln.Close()

	return serve(ctx, *addr, &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	})
}

// newWizard builds the wizard's handler as cmd/wizard's run() does with
// the memory store; closeBackend releases the store.
func newWizard(ctx context.Context, dir string, maxSessions int, log *slog.Logger) (h http.Handler, closeBackend func(), err error) {
	catalog, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		return nil, nil, fmt.Errorf("wizards: %w", err)
	}
	sink, err := sinks.OpenJSONL(filepath.Join(dir, "submissions.jsonl"))
	if err != nil {
		return nil, nil, err
	}
	backend, err := backends.Open(ctx, "memory", backends.Options{MaxSessions: maxSessions})
	if err != nil {
		return nil, nil, err
	}
	deps := handlers.Deps{
		Wizards: catalog, Store: backend.Store, Locker: backend.Locker, Ping: backend.Ping, Sink: sink, Log: log,
	}
	if backend.Stats != nil {
		deps.StoreStats = func() handlers.StoreStats {
			st := backend.Stats()
			return handlers.StoreStats{Live: st.Live, Created: st.Created, Expired: st.Expired, Evicted: st.Evicted}
		}
	}
	srv, err := handlers.New(handlers.DefaultConfig(), deps)
	if err != nil {
		backend.Close()
		return nil, nil, err
	}
	return srv, backend.Close, nil
}

// serve runs hs on addr until ctx ends.
func serve(ctx context.Context, addr string, hs *http.Server) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
