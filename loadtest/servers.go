package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
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
