package delivery

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard/internal/pg"
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

// EnsureSchema creates the deliveries table and its indexes if missing,
// one instance at a time. It is safe to call on every start.
func EnsureSchema(ctx context.Context, pool *pgxpool.Pool) error {
	return pg.EnsureSchema(ctx, pool, "deliveries", schema)
}
