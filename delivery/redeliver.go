package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned (wrapped) by Redeliver for an ID with no
// delivery.
var ErrNotFound = errors.New("no such delivery")

// reset puts a delivery back to pending, due now, with the whole retry
// schedule ahead of it. Clearing the lease also fences off a worker still
// posting an earlier attempt: its result no longer matches the row.
const reset = `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = now(),
	lease_until = NULL, last_error = NULL, updated_at = now()`

// Redeliver puts the delivery of the submission id back to pending, due
// now, whatever its state, so that it is sent again even if it was
// delivered or given up. An unknown id is an error wrapping ErrNotFound.
func Redeliver(ctx context.Context, pool *pgxpool.Pool, id string) error {
	tag, err := pool.Exec(ctx, reset+" WHERE submission_id = $1", id)
	if err != nil {
		return fmt.Errorf("redeliver %q: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("redeliver %q: %w", id, ErrNotFound)
	}
	return nil
}

// RedeliverSince puts every delivery enqueued at or after since back to
// pending, due now, and returns how many. A delivery being attempted at
// that moment (pending with a live lease) is left to finish.
func RedeliverSince(ctx context.Context, pool *pgxpool.Pool, since time.Time) (int, error) {
	tag, err := pool.Exec(ctx, reset+` WHERE created_at >= $1
		AND NOT (state = 'pending' AND lease_until IS NOT NULL AND lease_until > now())`, since)
	if err != nil {
		return 0, fmt.Errorf("redeliver since %s: %w", since.Format(time.RFC3339), err)
	}
	return int(tag.RowsAffected()), nil
}
