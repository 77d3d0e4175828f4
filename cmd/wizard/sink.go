package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/delivery"
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

// webhook holds the settings of webhook delivery; a zero URL means none.
type webhook struct {
	url                      string
	secretFile, previousFile string
}

// opened is a sink ready to serve, and what goes with it.
type opened struct {
	sink wizard.Sink
	// close releases it (the file's lock, or the database's
	// connections); call it once the server no longer submits.
	close func()
	// deliver, when webhooks are on, runs the delivery worker until ctx
	// ends; collectors are its metrics.
	deliver    func(ctx context.Context)
	collectors []prometheus.Collector
}

// openSink opens the sink a -sink value names, and with webhooks on (a
// PostgreSQL sink only) writes a pending delivery in the same transaction
// as each new submission, for the delivery worker.
func openSink(ctx context.Context, v string, hook webhook, log *slog.Logger) (opened, error) {
	kind, where, err := sinkKind(v)
	if err != nil {
		return opened{}, err
	}
	if hook.url != "" && kind != "postgres" {
		return opened{}, fmt.Errorf("-webhook-url needs a PostgreSQL sink (-sink postgres://...): deliveries are queued in the database")
	}
	if kind == "postgres" {
		var cfg delivery.Config
		opts := sinks.PostgresOptions{}
		if hook.url != "" {
			if cfg, err = hook.config(log); err != nil {
				return opened{}, err
			}
			opts.InTx = delivery.Enqueue
		}
		p, err := sinks.OpenPostgres(ctx, where, opts)
		if err != nil {
			return opened{}, err
		}
		o := opened{sink: p, close: p.Close}
		if hook.url != "" {
			if err := delivery.EnsureSchema(ctx, p.Pool()); err != nil {
				p.Close()
				return opened{}, fmt.Errorf("webhook deliveries: %w", err)
			}
			worker := delivery.New(p.Pool(), cfg)
			o.collectors = []prometheus.Collector{worker.Collector()}
			o.deliver = func(ctx context.Context) {
				if err := worker.Run(ctx); err != nil {
					log.Error("webhook delivery stopped", "err", err)
				}
			}
		}
		return o, nil
	}
	f, err := sinks.OpenJSONL(where)
	if err != nil {
		return opened{}, err
	}
	if n := f.DroppedBytes(); n > 0 {
		log.Warn("cut a torn last line off the submissions file", "file", where, "bytes", n)
	}
	return opened{sink: f, close: func() { f.Close() }}, nil
}

// config reads the webhook's secrets (the current one first) and checks
// that they sign.
func (h webhook) config(log *slog.Logger) (delivery.Config, error) {
	if h.secretFile == "" {
		return delivery.Config{}, fmt.Errorf("-webhook-url needs -webhook-secret-file (a whsec_... secret)")
	}
	cfg := delivery.Config{URL: h.url, Logger: log}
	for _, file := range []string{h.secretFile, h.previousFile} {
		if file == "" {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return cfg, fmt.Errorf("webhook secret: %w", err)
		}
		secret := strings.TrimSpace(string(b))
		if _, err := delivery.Sign(secret, "check", time.Now(), nil); err != nil {
			return cfg, fmt.Errorf("webhook secret in %s: %w", file, err)
		}
		cfg.Secrets = append(cfg.Secrets, secret)
	}
	return cfg, nil
}
