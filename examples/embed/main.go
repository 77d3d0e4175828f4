// Command embed is a small site of its own, the Northfield Walking Club,
// that puts wizards into its pages the way a Go program using this
// module's packages would: its own home page at "/", its own templ layout
// and stylesheet, and under /apply/ two wizards served by one
// handlers.Server mounted in the site's http.ServeMux: the demo's
// conference registration (/apply/register/) and the club's own "join"
// wizard, defined in Go, with a step drawn by the club's component, a date
// asked as day, month and year, and a check that asks the register of
// members whether a username is taken.
//
//	go run ./examples/embed -addr localhost:8081
//
// Submissions are appended to a JSON Lines file (-submissions, or one in
// a new temporary directory); sessions live in memory. Each submission's
// confirmation is "sent" by a line in the log.
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
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/wizard/wizard/sinks"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "embed:", err)
		}
		os.Exit(2)
	}
}

// shutdownGrace is how long requests in flight may take to finish when
// the program is stopped.
const shutdownGrace = 5 * time.Second

// run serves the site until ctx ends. The log, which starts with the
// "listening" line and its URL, goes to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "localhost:8081", "`address` to listen on")
	path := fs.String("submissions", "", "append submissions to this JSON Lines `file`; default: submissions.jsonl in a new temporary directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	log := slog.New(slog.NewTextHandler(stdout, nil))
	if *path == "" {
		dir, err := os.MkdirTemp("", "embed-")
		if err != nil {
			return fmt.Errorf("submissions: %w", err)
		}
		*path = filepath.Join(dir, "submissions.jsonl")
	}
	sink, err := sinks.OpenJSONL(*path)
	if err != nil {
		return fmt.Errorf("submissions: %w", err)
	}
	defer sink.Close()
	site, err := newSite(siteDeps{Sink: sink, Members: newMemberMap("ada", "grace"), Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	log.Info("listening", "url", "http://"+ln.Addr().String()+"/", "submissions", *path)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
