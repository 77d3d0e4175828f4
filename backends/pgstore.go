package backends

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard/sessionlock"
)

// pgStore keeps sessions in the sessions table. It implements
// scs.CtxStore, like scs's pgx store, and also
//   - never writes a session whose deadline has passed (it deletes it);
//   - finds only sessions before their deadline, whether or not the
//     cleanup has run;
//   - saves and deletes only while the request still holds its session's
//     lease (sessionlock.HeldFrom): the lease's row is locked in the same
//     statement that writes, so an instance taking the lease over waits
//     for the write or makes it fail, never the other way round;
//   - costs a request holding a lease two round trips and one durable
//     commit, which it shares with the other requests in flight (see
//     pgBatches): the session comes with the lease (pgLeaser.AcquireFetch,
//     handed over in the context), and the save deletes the lease in its
//     own statement (the request's last write: the session is committed
//     once, after the handler is done). A session saved unchanged is
//     written all the same: moving its deadline makes a new row version
//     anyway.
type pgStore struct {
	pool    *pgxpool.Pool
	batches *pgBatches    // of the held sessions' saves
	timeout time.Duration // per statement
}

// FindCtx implements scs.CtxStore. The session read with the request's
// lease costs no round trip.
func (s *pgStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if h, ok := sessionlock.HeldFrom(ctx); ok {
		if b, found, ok := h.Fetched(token); ok {
			return b, found, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var b []byte
	err := s.pool.QueryRow(ctx, "SELECT data FROM sessions WHERE token = $1 AND current_timestamp < expiry", token).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx implements scs.CtxStore.
func (s *pgStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if !expiry.After(time.Now()) {
		return s.DeleteCtx(ctx, token)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	h, held := sessionlock.HeldFrom(ctx)
	if !held {
		_, err := s.pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, token, b, expiry)
		if err != nil {
			return fmt.Errorf("commit session: %w", err)
		}
		return nil
	}
	// The lease is deleted in the statement that writes, with the saves
	// of the other requests in flight (see pgBatches.runCommits).
	op := &commitOp{result: newResult(), ctx: ctx, token: token, data: b, expiry: expiry, key: h.Key, owner: h.Owner}
	s.batches.commits.submit(op)
	if err := op.wait(); err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	if !op.saved {
		return fmt.Errorf("commit session: %w", sessionlock.ErrLeaseLost)
	}
	h.Released()
	return nil
}

// DeleteCtx implements scs.CtxStore.
func (s *pgStore) DeleteCtx(ctx context.Context, token string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	h, held := sessionlock.HeldFrom(ctx)
	if !held {
		if _, err := s.pool.Exec(ctx, "DELETE FROM sessions WHERE token = $1", token); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	}
	h.Forget()
	var leases int
	err := s.pool.QueryRow(ctx, `WITH lease AS (
			SELECT 1 FROM session_locks WHERE key = $2 AND owner = $3 FOR UPDATE
		), gone AS (
			DELETE FROM sessions WHERE token = $1 AND EXISTS (SELECT 1 FROM lease) RETURNING 1
		)
		SELECT count(*) FROM lease`, token, h.Key, h.Owner).Scan(&leases)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	if leases == 0 {
		return fmt.Errorf("delete session: %w", sessionlock.ErrLeaseLost)
	}
	return nil
}

// Find implements scs.Store for callers without a context.
func (s *pgStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store for callers without a context.
func (s *pgStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store for callers without a context.
func (s *pgStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}
