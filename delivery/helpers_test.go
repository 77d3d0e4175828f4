package delivery_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/delivery"
	"github.com/wizard/wizard/internal/pgtest"
)

// testSecret is the Standard Webhooks specification's example secret.
const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// mustPool returns a pool on a schema of its own, with the deliveries
// table, dropped at the end. The server's address comes from
// WIZARD_TEST_POSTGRES; without it, or when it does not answer, the test
// is skipped locally and fails in CI (CI=true).
func mustPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, pgtest.URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	if err := delivery.EnsureSchema(ctx, pool); err != nil {
		tb.Fatal(err)
	}
	return pool
}

// mustEnqueue stores a pending delivery of a submission with the given ID,
// as the sink's transaction would, and returns the submission.
func mustEnqueue(tb testing.TB, pool *pgxpool.Pool, id string) wizard.Submission {
	tb.Helper()
	s := wizard.Submission{
		ID: id, Reference: "REG-" + strings.ToUpper(id[:min(5, len(id))]), Wizard: "register",
		Time:    time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC),
		Answers: []wizard.Answer{{Step: "name", Field: "name", Values: []string{"Zoë, \"the\" =1"}}},
	}
	err := pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error {
		return delivery.Enqueue(context.Background(), tx, s)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// fastConfig delivers to url with waits of milliseconds.
func fastConfig(url string) delivery.Config {
	return delivery.Config{
		URL:          url,
		Secrets:      []string{testSecret},
		Timeout:      2 * time.Second,
		Schedule:     []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond},
		PollInterval: 10 * time.Millisecond,
	}
}

// startWorker runs w until the test ends.
func startWorker(tb testing.TB, w *delivery.Worker) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
	})
}

// request is what a receiver saw.
type request struct {
	at                 time.Time
	id, ts, sig, ctype string
	body               []byte
}

// receiver answers each request with the next of its answers (the last
// one again once they run out) and records what it got.
type receiver struct {
	mu      sync.Mutex
	answers []func(http.ResponseWriter)
	got     []request
}

func status(code int) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { w.WriteHeader(code) }
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, request{
		at: time.Now(), id: r.Header.Get("webhook-id"), ts: r.Header.Get("webhook-timestamp"),
		sig: r.Header.Get("webhook-signature"), ctype: r.Header.Get("Content-Type"), body: body,
	})
	answer := rc.answers[min(len(rc.got), len(rc.answers))-1]
	rc.mu.Unlock()
	answer(w)
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

// verify checks a request's signature as a receiver would, independently
// of Sign.
func verify(secret string, r request) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.id + "." + r.ts + "." + string(r.body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for sig := range strings.FieldsSeq(r.sig) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

// row is a delivery as stored.
type row struct {
	state      string
	attempts   int
	lastStatus *int
}

func mustRow(tb testing.TB, pool *pgxpool.Pool, id string) row {
	tb.Helper()
	var r row
	err := pool.QueryRow(context.Background(), "SELECT state, attempts, last_status FROM deliveries WHERE submission_id = $1", id).
		Scan(&r.state, &r.attempts, &r.lastStatus)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// waitState waits up to 10 s for a delivery to reach state and returns it.
func waitState(tb testing.TB, pool *pgxpool.Pool, id, state string) row {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := mustRow(tb, pool, id)
		if r.state == state {
			return r
		}
		if time.Now().After(deadline) {
			tb.Fatalf("delivery %q: state %q after 10 s, want %q", id, r.state, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
