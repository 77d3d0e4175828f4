package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard/internal/pg"
	"github.com/wizard/wizard/sessionlock"
)

// parseStores reads -store: "memory", "redis://...", "postgres://..." or
// several of them, comma separated, each measured side by side.
func parseStores(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if storeKind(f) == "" {
			return nil, fmt.Errorf("-store %q: want memory, redis://host:port/db or postgres://user@host:port/db", pg.Redact(f))
		}
		out = append(out, f)
	}
	return out, nil
}

// storeKind names a -store value's kind: "memory", "redis" or "postgres"
// ("" for none of them).
func storeKind(store string) string {
	switch {
	case store == "memory":
		return "memory"
	case strings.HasPrefix(store, "redis://"), strings.HasPrefix(store, "rediss://"):
		return "redis"
	case strings.HasPrefix(store, "postgres://"), strings.HasPrefix(store, "postgresql://"):
		return "postgres"
	}
	return ""
}

// redisSessionPrefix starts the key of every session the wizard keeps in
// Redis (backends' default key prefix, then "session:").
const redisSessionPrefix = "wizard:session:"

// prepareStore returns the -store value one wizard of the benchmark runs
// with, and what to call once it is done with its sessions ss. A
// PostgreSQL store gets a schema of its own (search_path), dropped at the
// end; a Redis store keeps the database given, and the sessions the
// benchmark made there are deleted at the end.
func prepareStore(ctx context.Context, store string) (string, func(ss *sessions) error, error) {
	switch storeKind(store) {
	case "postgres":
		conn, err := pgConnect(ctx, store)
		if err != nil {
			return "", nil, fmt.Errorf("store %q: %w", pg.Redact(store), err)
		}
		defer conn.Close(ctx)
		schema := "loadtest_" + strings.ToLower(rand.Text()[:10])
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			return "", nil, fmt.Errorf("store %q: %w", pg.Redact(store), err)
		}
		sep := "?"
		if strings.Contains(store, "?") {
			sep = "&"
		}
		return store + sep + "search_path=" + schema, func(*sessions) error {
			conn, err := pgConnect(context.Background(), store)
			if err != nil {
				return fmt.Errorf("drop schema %s: %w", schema, err)
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				return fmt.Errorf("drop schema %s: %w", schema, err)
			}
			return nil
		}, nil
	case "redis":
		return store, func(ss *sessions) error { return deleteRedisSessions(store, ss) }, nil
	}
	return store, func(*sessions) error { return nil }, nil
}

// pgConnect connects to the database a -store names, which may carry the
// pool's settings (pool_max_conns) that a single connection refuses.
func pgConnect(ctx context.Context, store string) (*pgx.Conn, error) {
	cfg, err := pgxpool.ParseConfig(store)
	if err != nil {
		return nil, err
	}
	return pgx.ConnectConfig(ctx, cfg.ConnConfig)
}

// deleteRedisSessions deletes the benchmark's sessions from Redis, a
// thousand keys a round trip.
func deleteRedisSessions(store string, ss *sessions) error {
	if ss == nil {
		return nil
	}
	opt, err := redis.ParseURL(store)
	if err != nil {
		return fmt.Errorf("store %q: %w", pg.Redact(store), err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx := context.Background()
	keys := make([]string, 0, 1000)
	for i, tok := range ss.tokens {
		if tok != "" {
			keys = append(keys, redisSessionPrefix+sessionlock.StoreKey(tok))
		}
		if len(keys) == cap(keys) || i == len(ss.tokens)-1 && len(keys) > 0 {
			if err := c.Del(ctx, keys...).Err(); err != nil {
				return fmt.Errorf("delete the benchmark's sessions from %q: %w", pg.Redact(store), err)
			}
			keys = keys[:0]
		}
	}
	return nil
}
