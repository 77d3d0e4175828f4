package delivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultSchedule is how long a delivery waits after each failed attempt
// before the next: ten attempts over about three days. See Config.Schedule.
var DefaultSchedule = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute,
	2 * time.Hour, 5 * time.Hour, 10 * time.Hour,
	14 * time.Hour, 20 * time.Hour, 24 * time.Hour,
}

// Defaults of Config's zero fields.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultPollInterval = time.Second
	DefaultBatch        = 10
	// leaseFactor times Timeout is the default lease: room for the POST and
	// for recording its outcome when the database is slow.
	leaseFactor = 4
	// maxRetryAfter caps the wait a receiver may ask for with Retry-After,
	// so that a bad header cannot park a delivery for years.
	maxRetryAfter = 24 * time.Hour
	// jitter is the largest fraction of a delay added at random, so that
	// deliveries that failed together (a receiver down) come back spread out.
	jitter = 0.1
	// drainLimit is how much of a response body is read so that the
	// connection can be reused; the body itself means nothing to us.
	drainLimit = 64 << 10
)

// Config says where and how a Worker delivers. Only URL and Secrets are
// required.
type Config struct {
	// URL receives a POST per delivery attempt.
	URL string
	// Secrets sign each request, the current one first; a second one is
	// given while the receiver is moved to a new secret, and the request
	// then carries a signature by each (see Sign). Each is "whsec_" and the
	// key in base64.
	Secrets []string
	// Timeout bounds one attempt, from connecting to the end of the
	// response headers (default 15 s).
	Timeout time.Duration
	// Schedule is the wait after each failed attempt (default
	// DefaultSchedule); a delivery still failing after len(Schedule)+1
	// attempts is marked failed. Up to a tenth of each wait is added at
	// random.
	Schedule []time.Duration
	// Lease is how long a claimed delivery is reserved for the worker that
	// claimed it; after that another worker may take it over, as when the
	// first has died. It must exceed Timeout (default 4 × Timeout).
	Lease time.Duration
	// PollInterval is how often the worker looks for due deliveries when
	// the last look found fewer than Batch (default 1 s).
	PollInterval time.Duration
	// Batch is how many deliveries one claim takes, and so how many
	// attempts one worker makes at once (default 10).
	Batch int
	// Logger receives retries (warnings) and deliveries given up (errors);
	// default slog.Default().
	Logger *slog.Logger
}

// Worker delivers pending deliveries to a webhook. Any number of workers,
// in any number of processes, may run on one table.
type Worker struct {
	pool     *pgxpool.Pool
	cfg      Config
	client   *http.Client
	log      *slog.Logger
	attempts *prometheus.CounterVec
	failures *prometheus.CounterVec
}

// New returns a worker delivering from pool's deliveries table as cfg
// says; zero fields of cfg take their defaults. Start it with Run.
func New(pool *pgxpool.Pool, cfg Config) *Worker {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Schedule == nil {
		cfg.Schedule = DefaultSchedule
	}
	if cfg.Lease <= 0 {
		cfg.Lease = leaseFactor * cfg.Timeout
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Worker{
		pool: pool,
		cfg:  cfg,
		client: &http.Client{
			Timeout: cfg.Timeout,
			// A receiver that moved must be configured anew: following a
			// redirect would send signed submissions wherever it points.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		log: cfg.Logger,
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wizard_delivery_attempts_total",
			Help: "Webhook delivery attempts by this process, by HTTP status (\"error\": no response).",
		}, []string{"status"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wizard_delivery_failures_total",
			Help: "Failed webhook delivery attempts by this process, by HTTP status (\"error\": no response).",
		}, []string{"status"}),
	}
}

// Run delivers due deliveries until ctx is done, then waits for the
// attempts under way (each at most Timeout) to finish and be recorded, and
// returns nil. It returns an error at once if the configuration cannot
// work: no URL, or a secret that is missing or malformed. Database errors
// are logged and retried at the next poll.
func (w *Worker) Run(ctx context.Context) error {
	if w.cfg.URL == "" {
		return errors.New("webhook delivery: no URL")
	}
	if _, err := Sign(strings.Join(w.cfg.Secrets, " "), "", time.Time{}, nil); err != nil {
		return fmt.Errorf("webhook delivery: %w", err)
	}
	t := time.NewTicker(w.cfg.PollInterval)
	defer t.Stop()
	for {
		n, err := w.deliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("webhook delivery: claim", "error", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		if n == w.cfg.Batch {
			continue // there may be more due right now
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// claim is one delivery reserved for this worker. lease is the row's
// lease_until as set by the claim: the outcome is recorded only if the row
// still holds it, so a worker whose lease lapsed and was taken over, or
// whose delivery was reset by Redeliver, changes nothing.
type claim struct {
	id, reference string
	attempt       int
	lease         time.Time
	payload       []byte
}

// deliverDue claims up to Batch due deliveries, attempts them at once and
// records their outcomes; it returns how many it claimed.
func (w *Worker) deliverDue(ctx context.Context) (int, error) {
	claims, err := w.claim(ctx)
	if err != nil {
		return 0, err
	}
	// Shutting down must not lose an attempt made: it is finished and
	// recorded, within Timeout.
	actx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for _, c := range claims {
		wg.Go(func() { w.attempt(actx, c) })
	}
	wg.Wait()
	return len(claims), nil
}

// claim reserves due deliveries in one statement, committed before any
// POST: SKIP LOCKED lets workers claiming at once take different rows
// without waiting, and the lease keeps them from others until it ends.
func (w *Worker) claim(ctx context.Context) ([]claim, error) {
	rows, err := w.pool.Query(ctx, `
		WITH due AS (
			SELECT submission_id FROM deliveries
			WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
			ORDER BY next_attempt_at
			LIMIT $1
			FOR UPDATE SKIP LOCKED
		)
		UPDATE deliveries d SET attempts = d.attempts + 1,
			lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
		FROM due WHERE d.submission_id = due.submission_id
		RETURNING d.submission_id, d.reference, d.attempts, d.lease_until, d.payload`,
		w.cfg.Batch, w.cfg.Lease.Milliseconds())
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	claims, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (claim, error) {
		var c claim
		err := r.Scan(&c.id, &c.reference, &c.attempt, &c.lease, &c.payload)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return claims, nil
}

// attempt POSTs one delivery and records the outcome.
func (w *Worker) attempt(ctx context.Context, c claim) {
	status, retryAfter, err := w.post(ctx, c)
	label := "error"
	if status != 0 {
		label = strconv.Itoa(status)
	}
	w.attempts.WithLabelValues(label).Inc()
	ok := err == nil && status >= 200 && status < 300
	if !ok {
		w.failures.WithLabelValues(label).Inc()
	}
	errText := ""
	switch {
	case err != nil:
		errText = err.Error()
	case !ok:
		errText = "HTTP " + strconv.Itoa(status)
	}
	log := w.log.With("submission", c.id, "reference", c.reference, "attempt", c.attempt, "status", status, "error", errText)
	state, delay := "pending", time.Duration(0)
	switch {
	case ok:
		state = "delivered"
	case status == http.StatusGone:
		state = "failed"
		log.Error("webhook delivery given up: the receiver answered 410 Gone")
	case c.attempt > len(w.cfg.Schedule):
		state = "failed"
		log.Error("webhook delivery given up after the last attempt")
	default:
		delay = w.cfg.Schedule[c.attempt-1]
		delay += time.Duration(rand.Float64() * jitter * float64(delay))
		delay = max(delay, retryAfter)
		log.Warn("webhook delivery failed; will retry", "retry_in", delay)
	}
	var last any
	if status != 0 {
		last = status
	}
	var lastErr any
	if errText != "" {
		lastErr = errText
	}
	rctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	tag, dberr := w.pool.Exec(rctx, `UPDATE deliveries SET state = $3,
			next_attempt_at = now() + $4 * interval '1 millisecond', lease_until = NULL,
			last_status = $5, last_error = $6, updated_at = now()
		WHERE submission_id = $1 AND lease_until = $2`,
		c.id, c.lease, state, delay.Milliseconds(), last, lastErr)
	switch {
	case dberr != nil:
		// The lease will lapse and the delivery be attempted again: at least
		// once, never lost.
		log.Warn("webhook delivery: record outcome", "db_error", dberr)
	case tag.RowsAffected() == 0:
		log.Warn("webhook delivery: lease lost before the outcome was recorded; another attempt was or will be made")
	}
}

// post makes one attempt. It returns the response's status (0 without a
// response) and, on 429 or 503, the wait the receiver asked for.
func (w *Worker) post(ctx context.Context, c claim) (int, time.Duration, error) {
	now := time.Now()
	sig, err := Sign(strings.Join(w.cfg.Secrets, " "), c.id, now, c.payload)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, strings.NewReader(string(c.payload)))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", c.id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := w.client.Do(req)
	if err != nil {
		// url.Error repeats the URL, which may carry a token: keep it out of
		// the table and the logs.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return 0, 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	var wait time.Duration
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		wait = retryAfter(resp.Header.Get("Retry-After"), now)
	}
	return resp.StatusCode, wait, nil
}

// retryAfter parses a Retry-After value, seconds or an HTTP date, into a
// wait from now, at most maxRetryAfter; anything else is no wait.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
		d = time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
