// Package pg holds what the packages that keep data in PostgreSQL (the
// session store, the submissions sink, the delivery queue) share: creating
// their tables at start, and naming a database without its password.
package pg

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnsureSchema runs ddl (CREATE ... IF NOT EXISTS statements) in one
// transaction, under a transaction-scoped advisory lock of its own, so
// that instances starting at the same time create the tables one after
// the other instead of failing on each other's half-made ones. The lock's
// key is derived from name, so each user of the database gets its own
// without a registry of numbers.
func EnsureSchema(ctx context.Context, pool *pgxpool.Pool, name, ddl string) error {
	h := fnv.New64a()
	h.Write([]byte("wizard schema " + name))
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(h.Sum64())); err != nil {
			return fmt.Errorf("lock the %s schema: %w", name, err)
		}
		if _, err := tx.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("create the %s tables: %w", name, err)
		}
		return nil
	})
}

// Redact returns a database URL (postgres:// or redis://) with its
// password replaced by "xxxxx", for errors and logs.
func Redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return url
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}
