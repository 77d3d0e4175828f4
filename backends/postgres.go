package backends

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard/internal/pg"
	"github.com/wizard/wizard/sessionlock"
)

// schema is what scs's pgx store expects, plus the expiry index its cleanup
// needs and the table of session leases. The leases' table is UNLOGGED: a
// lease lives a few milliseconds, so taking and dropping one writes no WAL
// and its commit waits for no disk flush; after a crash of the database
// the table starts empty, which only frees the sessions its holders (whose
// connections died with it) had locked. A table made logged by an older
// version is switched once.
const schema = `
CREATE TABLE IF NOT EXISTS sessions (
	token  TEXT PRIMARY KEY,
	data   BYTEA NOT NULL,
	expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry_idx ON sessions (expiry);
CREATE UNLOGGED TABLE IF NOT EXISTS session_locks (
	key     TEXT PRIMARY KEY,
	owner   TEXT NOT NULL,
	expires TIMESTAMPTZ NOT NULL
);
DO $$ BEGIN
	IF EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('session_locks') AND relpersistence = 'p') THEN
		ALTER TABLE session_locks SET UNLOGGED;
	END IF;
END $$;`

// defaultMaxConns is the pool's size unless the URL sets pool_max_conns.
// pgx's own default, the number of CPUs, lets only that many requests
// reach the database at once, so commits queue instead of sharing a WAL
// flush; 32 keeps the load generator's 50 connections moving with room
// for several instances under PostgreSQL's default of 100 connections.
const defaultMaxConns = 32

// openPostgres keeps sessions in PostgreSQL (see pgStore); expired rows are
// deleted every CleanupInterval. The URL may set search_path to use
// another schema.
func openPostgres(ctx context.Context, url string, opts Options) (*Backend, error) {
	cfg, err := pg.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("session store %q: %w", pg.Redact(url), err)
	}
	cfg.ConnConfig.ConnectTimeout = opts.Timeout
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
		if opts.MaxConns > 0 {
			cfg.MaxConns = int32(opts.MaxConns)
		}
	}
	if opts.pgTracer != nil {
		cfg.ConnConfig.Tracer = opts.pgTracer
	}
	cctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(cctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("session store %q: %w", pg.Redact(url), err)
	}
	if err := pg.EnsureSchema(cctx, pool, "sessions", schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("session store %q: %w", pg.Redact(url), err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go cleanup(pool, opts.CleanupInterval, stop, done)
	batches := newPGBatches(pool, opts.Timeout)
	return &Backend{
		Kind:   "postgres",
		Store:  &pgStore{pool: pool, batches: batches, timeout: opts.Timeout},
		Locker: sessionlock.NewLease(pgLeaser{pool: pool, batches: batches}, opts.LockTTL),
		Ping:   pool.Ping,
		close:  func() { close(stop); <-done; batches.close(); pool.Close() },
	}, nil
}

// cleanup deletes expired sessions and leases every interval until stop
// closes. The expiry index keeps each pass cheap.
func cleanup(pool *pgxpool.Pool, interval time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), interval)
		// Errors are left for the next pass: the store may be down for a while.
		pool.Exec(ctx, "DELETE FROM sessions WHERE expiry < now()")
		pool.Exec(ctx, "DELETE FROM session_locks WHERE expires < now()")
		cancel()
	}
}

// pgLeaser holds leases as rows that a newcomer may take over once
// expired. It is a sessionlock.Fetcher: taking a lease reads the session
// in the same round trip.
type pgLeaser struct {
	pool    *pgxpool.Pool
	batches *pgBatches
}

// Acquire implements sessionlock.Leaser: AcquireFetch without the
// session (no store key reads none).
func (l pgLeaser) Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	ok, _, _, err := l.AcquireFetch(ctx, key, owner, ttl, "")
	return ok, err
}

// AcquireFetch implements sessionlock.Fetcher: the lease is taken and the
// session read in one round trip, with those of the other requests in
// flight (see pgBatches.runAcquires).
func (l pgLeaser) AcquireFetch(ctx context.Context, key, owner string, ttl time.Duration, storeKey string) (bool, []byte, bool, error) {
	op := &acquireOp{result: newResult(), ctx: ctx, key: key, owner: owner, ttl: ttl, storeKey: storeKey}
	l.batches.acquires.submit(op)
	if err := op.wait(); err != nil {
		return false, nil, false, err
	}
	return op.acquired, op.data, op.data != nil, nil
}

// Renew implements sessionlock.Leaser.
func (l pgLeaser) Renew(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	tag, err := l.pool.Exec(ctx, `UPDATE session_locks SET expires = now() + $3 * interval '1 millisecond'
		WHERE key = $1 AND owner = $2`, key, owner, ttl.Milliseconds())
	if err != nil {
		return false, fmt.Errorf("renew session lease: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Release implements sessionlock.Leaser.
func (l pgLeaser) Release(ctx context.Context, key, owner string) error {
	_, err := l.pool.Exec(ctx, "DELETE FROM session_locks WHERE key = $1 AND owner = $2", key, owner)
	return err
}
