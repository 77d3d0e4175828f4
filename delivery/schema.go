package delivery

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schema holds one row per submission to deliver. payload is the exact
// body POSTed, fixed at enqueue time, so that delivery never reads the
// sink's table and every retry signs the same bytes. reference is kept
// for the error logged when a delivery is given up. The partial index
// serves the worker's claim and the metrics, which only look at pending
// rows.
const schema = `
CREATE TABLE IF NOT EXISTS deliveries (
	submission_id   TEXT PRIMARY KEY,
	reference       TEXT NOT NULL,
	state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	lease_until     TIMESTAMPTZ,
	last_status     INTEGER,
	last_error      TEXT,
	payload         BYTEA NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
	updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS deliveries_pending_idx ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_created_idx ON deliveries (created_at);`

// schemaLock is the advisory lock id under which instances starting at the
// same time create the table one after the other (the session tables use
// 7_346_001).
const schemaLock = 7_346_003

// EnsureSchema creates the deliveries table and its indexes if missing,
// one instance at a time. It is safe to call on every start.
func EnsureSchema(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", schemaLock); err != nil {
			return fmt.Errorf("lock deliveries schema: %w", err)
		}
		if _, err := tx.Exec(ctx, schema); err != nil {
			return fmt.Errorf("create deliveries table: %w", err)
		}
		return nil
	})
}
