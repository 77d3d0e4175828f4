package sinks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/internal/pg"
)

// submissionsSchema is the table of the PostgreSQL sink. body holds the
// exact JSON bytes Submit encoded (bytea, not jsonb, which would reorder
// and respace them); body_hash is the hash of the submission's content
// (see contentHash), which is what a repeated ID is compared by.
const submissionsSchema = `
CREATE TABLE IF NOT EXISTS submissions (
	id        TEXT PRIMARY KEY,
	reference TEXT NOT NULL UNIQUE,
	wizard    TEXT NOT NULL,
	time      TIMESTAMPTZ NOT NULL,
	body      BYTEA NOT NULL,
	body_hash BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_wizard_time_idx ON submissions (wizard, time);
CREATE INDEX IF NOT EXISTS submissions_time_idx ON submissions (time);`

// DefaultPostgresTimeout bounds connecting, creating the table and each
// Submit, Submitted or List when PostgresOptions.Timeout is zero.
const DefaultPostgresTimeout = 5 * time.Second

// PostgresOptions configures a Postgres sink. The zero value is usable.
type PostgresOptions struct {
	// Timeout bounds each operation; zero means DefaultPostgresTimeout.
	Timeout time.Duration
	// InTx, if not nil, runs in the transaction that inserts a new
	// submission, after the insert, e.g. to queue its delivery: if it
	// fails, the submission is not stored and Submit returns its error. It
	// is not run for an ID already stored.
	InTx func(ctx context.Context, tx pgx.Tx, s wizard.Submission) error
}

// Postgres stores submissions in a PostgreSQL table, "submissions", created
// at open if missing. Any number of instances may share it: the ID is the
// primary key, so a submission is stored once however many instances
// receive it at once.
//
// A repeated ID is compared by content, the submission without its Time:
// the same content is wizard.ErrAlreadySubmitted, other content is
// wizard.ErrConflict; either way the stored row stands.
//
// The reference is unique too. Two IDs whose references clash (the
// reference is a short prefix of the ID) cannot both be stored: the second
// fails with an error that is neither of the above.
type Postgres struct {
	pool *pgxpool.Pool
	opts PostgresOptions
	// where names the database for errors, without its password.
	where string
}

// OpenPostgres connects to the database at url (a postgres:// URL; its
// search_path parameter may choose a schema) and creates the table if
// missing. Callers must Close the sink when done with it.
func OpenPostgres(ctx context.Context, url string, opts PostgresOptions) (*Postgres, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultPostgresTimeout
	}
	where := pg.Redact(url)
	cfg, err := pg.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("submissions database %q: %w", where, err)
	}
	cfg.ConnConfig.ConnectTimeout = opts.Timeout
	cctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(cctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("submissions database %q: %w", where, err)
	}
	if err := pg.EnsureSchema(cctx, pool, "submissions", submissionsSchema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("submissions database %q: %w", where, err)
	}
	return &Postgres{pool: pool, opts: opts, where: where}, nil
}

// contentHash is the SHA-256 of the JSON of the submission without its
// Time, the content a repeated ID is compared by.
func contentHash(s wizard.Submission) ([]byte, error) {
	b, err := json.Marshal(struct {
		ID        string          `json:"id"`
		Reference string          `json:"reference"`
		Wizard    string          `json:"wizard"`
		Answers   []wizard.Answer `json:"answers"`
	}{s.ID, s.Reference, s.Wizard, s.Answers})
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(b)
	return h[:], nil
}

// Submit stores the submission; see wizard.Sink and Postgres. It returns
// nil only once the row (and whatever InTx wrote) is committed.
func (p *Postgres) Submit(ctx context.Context, s wizard.Submission) error {
	body, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode submission %q: %w", s.ID, err)
	}
	hash, err := contentHash(s)
	if err != nil {
		return fmt.Errorf("encode submission %q: %w", s.ID, err)
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	inserted := false
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		// Waits for a transaction inserting the same ID or reference to
		// end; inserts nothing if it committed.
		tag, err := tx.Exec(ctx, `INSERT INTO submissions (id, reference, wizard, time, body, body_hash)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
			s.ID, s.Reference, s.Wizard, s.Time, body, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		inserted = true
		if p.opts.InTx != nil {
			return p.opts.InTx(ctx, tx, s)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store submission %q in %q: %w", s.ID, p.where, err)
	}
	if inserted {
		return nil
	}
	// A new statement, with a new snapshot: the row that made the insert
	// do nothing may have been committed after the insert's snapshot was
	// taken, so reading it in the same statement could miss it.
	var had []byte
	err = p.pool.QueryRow(ctx, "SELECT body_hash FROM submissions WHERE id = $1", s.ID).Scan(&had)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("store submission %q: its reference %q is taken by another submission", s.ID, s.Reference)
	case err != nil:
		return fmt.Errorf("read submission %q from %q: %w", s.ID, p.where, err)
	case !bytes.Equal(had, hash):
		return fmt.Errorf("submission %q: %w", s.ID, wizard.ErrConflict)
	}
	return fmt.Errorf("submission %q: %w", s.ID, wizard.ErrAlreadySubmitted)
}

// Submitted reports whether a submission with the ID is stored. See
// wizard.Sink.
func (p *Postgres) Submitted(ctx context.Context, id string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	var held bool
	if err := p.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM submissions WHERE id = $1)", id).Scan(&held); err != nil {
		return false, fmt.Errorf("look up submission %q in %q: %w", id, p.where, err)
	}
	return held, nil
}

// List returns the stored submissions of the wizard named wizardName (of
// every wizard if it is "") made at or after since (all if it is zero), in
// time order (ties by ID), each decoded from the JSON bytes stored.
// They are all held in memory at once.
func (p *Postgres) List(ctx context.Context, wizardName string, since time.Time) ([]wizard.Submission, error) {
	rows, err := p.pool.Query(ctx, `SELECT id, body FROM submissions
		WHERE ($1 = '' OR wizard = $1) AND time >= $2 ORDER BY time, id`, wizardName, since)
	if err != nil {
		return nil, fmt.Errorf("list submissions in %q: %w", p.where, err)
	}
	var out []wizard.Submission
	var id string
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &body}, func() error {
		var s wizard.Submission
		if err := json.Unmarshal(body, &s); err != nil {
			return fmt.Errorf("submission %q: %w", id, err)
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list submissions in %q: %w", p.where, err)
	}
	return out, nil
}

// Close closes the sink's connections, waiting for those in use.
func (p *Postgres) Close() {
	p.pool.Close()
}

// Pool returns the sink's connection pool, for work that shares its
// database (a delivery worker).
func (p *Postgres) Pool() *pgxpool.Pool { return p.pool }
