package backends

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgBatchWorkers is how many batches of each kind (leases taken, sessions
// saved) run at once, each on a connection of its own; pgBatchMax caps a
// batch. One of each did best under load here (1, 2 and 4 measured side by
// side): while a batch's round trip (and a save's WAL flush) lasts, the
// requests arriving gather into the next batch, and fewer, larger batches
// cost the database less per request than more, smaller ones. A lone
// request still goes at once, in a batch of its own.
const (
	pgBatchWorkers = 1
	pgBatchMax     = 64
)

// pgBatches takes leases with their sessions, and saves sessions releasing
// their leases, for all the requests in flight at once in one statement
// per kind (see batcher). A batch is one transaction: a save batch waits
// for one WAL flush for all its sessions. Rows are locked in key order, so
// batches of two instances cannot deadlock on each other.
type pgBatches struct {
	pool     *pgxpool.Pool
	timeout  time.Duration
	acquires *batcher[*acquireOp]
	commits  *batcher[*commitOp]
}

func newPGBatches(pool *pgxpool.Pool, timeout time.Duration) *pgBatches {
	b := &pgBatches{pool: pool, timeout: timeout}
	b.acquires = newBatcher(pgBatchWorkers, pgBatchMax, b.runAcquires)
	b.commits = newBatcher(pgBatchWorkers, pgBatchMax, b.runCommits)
	return b
}

// close waits for the batches running; later operations fail.
func (b *pgBatches) close() {
	b.acquires.close()
	b.commits.close()
}

// acquireOp takes the lease key for owner for ttl and reads the session
// storeKey if it did.
type acquireOp struct {
	result
	ctx        context.Context
	key, owner string
	ttl        time.Duration
	storeKey   string
	acquired   bool
	data       []byte // nil: no live session
}

// commitOp saves a session under the lease key held by owner, and releases
// the lease; saved is false if owner no longer held it.
type commitOp struct {
	result
	ctx        context.Context
	token      string
	data       []byte
	expiry     time.Time
	key, owner string
	saved      bool
}

// acquireBatchSQL takes the leases $1 for owners $2 for $3 ms each where
// they are free or lapsed, and returns the keys it took. A held lease is
// neither locked nor written: polling it would otherwise take its row's
// lock, which the holder's renewals and save would queue behind.
const acquireBatchSQL = `
	WITH req AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS r(key, owner, ms)
	), fresh AS (
		INSERT INTO session_locks (key, owner, expires)
		SELECT key, owner, now() + ms * interval '1 millisecond' FROM req ORDER BY key
		ON CONFLICT (key) DO NOTHING
		RETURNING key
	), lapsed AS (
		UPDATE session_locks l SET owner = r.owner, expires = now() + r.ms * interval '1 millisecond'
		FROM req r
		WHERE l.key = r.key AND l.expires < now() AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.key = r.key)
		RETURNING l.key
	)
	SELECT key FROM fresh UNION ALL SELECT key FROM lapsed`

// fetchBatchSQL reads the live sessions $3 of the leases $1 that owners $2
// hold. It is a statement of its own because each statement sees the
// database as it was when the statement began: taking a lease may wait
// for the previous holder's save, and only a later statement sees it.
const fetchBatchSQL = `
	SELECT r.key, s.data FROM unnest($1::text[], $2::text[], $3::text[]) AS r(key, owner, token)
	JOIN sessions s ON s.token = r.token AND current_timestamp < s.expiry
	WHERE EXISTS (SELECT 1 FROM session_locks l WHERE l.key = r.key AND l.owner = r.owner)`

// runAcquires runs a batch of acquireOps: both statements in one round
// trip and one transaction, whose only writes are to the unlogged leases,
// so its commit waits for no WAL flush.
func (b *pgBatches) runAcquires(batch []*acquireOp) {
	forRounds(live(batch), func(op *acquireOp) string { return op.key }, func(ops []*acquireOp) {
		keys, owners, ms, tokens := make([]string, len(ops)), make([]string, len(ops)), make([]int64, len(ops)), make([]string, len(ops))
		byKey := make(map[string]*acquireOp, len(ops))
		for i, op := range ops {
			keys[i], owners[i], ms[i], tokens[i] = op.key, op.owner, op.ttl.Milliseconds(), op.storeKey
			byKey[op.key] = op
		}
		pb := &pgx.Batch{}
		pb.Queue(acquireBatchSQL, keys, owners, ms).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var key string
				if err := rows.Scan(&key); err != nil {
					return err
				}
				if op := byKey[key]; op != nil {
					op.acquired = true
				}
			}
			return rows.Err()
		})
		pb.Queue(fetchBatchSQL, keys, owners, tokens).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var key string
				var data []byte
				if err := rows.Scan(&key, &data); err != nil {
					return err
				}
				if op := byKey[key]; op != nil {
					op.data = data
				}
			}
			return rows.Err()
		})
		ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
		defer cancel()
		err := b.pool.SendBatch(ctx, pb).Close()
		if err != nil {
			err = fmt.Errorf("lease and load sessions: %w", err)
		}
		for _, op := range ops {
			if err != nil || !op.acquired {
				op.acquired, op.data = false, nil
			}
			op.finish(err)
		}
	})
}

// commitBatchSQL saves the sessions $1 (data $2, expiry $3) whose leases
// $4 owners $5 still hold, deleting those leases in the same statement:
// a lease's row stays locked until the save is committed, and a request
// waiting for it then finds the session saved. It returns the saved
// sessions' tokens.
const commitBatchSQL = `
	WITH req AS (
		SELECT * FROM unnest($1::text[], $2::bytea[], $3::timestamptz[], $4::text[], $5::text[]) AS r(token, data, expiry, key, owner)
	), lease AS (
		DELETE FROM session_locks l USING req r WHERE l.key = r.key AND l.owner = r.owner
		RETURNING l.key
	)
	INSERT INTO sessions (token, data, expiry)
	SELECT r.token, r.data, r.expiry FROM req r JOIN lease USING (key) ORDER BY r.token
	ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry
	RETURNING token`

// runCommits runs a batch of commitOps in one statement, one commit.
func (b *pgBatches) runCommits(batch []*commitOp) {
	forRounds(live(batch), func(op *commitOp) string { return op.token }, func(ops []*commitOp) {
		tokens, data, expiry, keys, owners := make([]string, len(ops)), make([][]byte, len(ops)), make([]time.Time, len(ops)), make([]string, len(ops)), make([]string, len(ops))
		byToken := make(map[string]*commitOp, len(ops))
		for i, op := range ops {
			tokens[i], data[i], expiry[i], keys[i], owners[i] = op.token, op.data, op.expiry, op.key, op.owner
			byToken[op.token] = op
		}
		ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
		defer cancel()
		rows, err := b.pool.Query(ctx, commitBatchSQL, tokens, data, expiry, keys, owners)
		if err == nil {
			for rows.Next() {
				var token string
				if err = rows.Scan(&token); err != nil {
					break
				}
				if op := byToken[token]; op != nil {
					op.saved = true
				}
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		if err != nil {
			err = fmt.Errorf("save sessions: %w", err)
		}
		for _, op := range ops {
			if err != nil {
				op.saved = false
			}
			op.finish(err)
		}
	})
}

// live finishes the operations whose request has gone (with its context's
// error) and returns the others, in place.
func live[T batchOp](batch []T) []T {
	n := 0
	for _, op := range batch {
		if err := op.context().Err(); err != nil {
			op.finish(err)
			continue
		}
		batch[n] = op
		n++
	}
	return batch[:n]
}

func (op *acquireOp) context() context.Context { return op.ctx }
func (op *commitOp) context() context.Context  { return op.ctx }

// forRounds runs ops in rounds in which no key occurs twice (a statement
// may write a row only once), sorted by key so that rows are locked in one
// order; one round when keys are distinct, as they are when the process's
// own lock serializes each session's requests.
func forRounds[T any](ops []T, key func(T) string, run func([]T)) {
	slices.SortStableFunc(ops, func(x, y T) int { return cmp.Compare(key(x), key(y)) })
	for len(ops) > 0 {
		round, rest := make([]T, 0, len(ops)), ops[:0:0]
		for i, op := range ops {
			if i > 0 && key(op) == key(ops[i-1]) {
				rest = append(rest, op)
				continue
			}
			round = append(round, op)
		}
		run(round)
		ops = rest
	}
}
