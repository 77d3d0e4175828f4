package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/sinks"
)

// sinkDefault is where submissions go without -sink or -submissions.
const sinkDefault = "file:submissions.jsonl"

// sinkKind splits a -sink value into its kind, "file" or "postgres", and
// what follows: the file's path, or the whole URL.
func sinkKind(v string) (kind, where string, err error) {
	switch {
	case strings.HasPrefix(v, "file:") && len(v) > len("file:"):
		return "file", strings.TrimPrefix(v, "file:"), nil
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		return "postgres", v, nil
	}
	return "", "", fmt.Errorf("-sink %q: want file:PATH or postgres://user@host:port/db", v)
}

// openSink opens the sink a -sink value names. close releases it (the
// file's lock, or the database's connections); call it once the server no
// longer submits.
func openSink(ctx context.Context, v string, log *slog.Logger) (sink wizard.Sink, close func(), err error) {
	kind, where, err := sinkKind(v)
	if err != nil {
		return nil, nil, err
	}
	if kind == "postgres" {
		p, err := sinks.OpenPostgres(ctx, where, sinks.PostgresOptions{})
		if err != nil {
			return nil, nil, err
		}
		return p, p.Close, nil
	}
	f, err := sinks.OpenJSONL(where)
	if err != nil {
		return nil, nil, err
	}
	if n := f.DroppedBytes(); n > 0 {
		log.Warn("cut a torn last line off the submissions file", "file", where, "bytes", n)
	}
	return f, func() { f.Close() }, nil
}
