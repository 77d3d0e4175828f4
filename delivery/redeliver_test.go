package delivery_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wizard/wizard/delivery"
)

func TestRedeliverSendsADeliveredOneAgain(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-again")
	rc := &receiver{answers: []func(http.ResponseWriter){status(200)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	startWorker(t, delivery.New(pool, fastConfig(srv.URL)))
	waitState(t, pool, s.ID, "delivered")

	if err := delivery.Redeliver(context.Background(), pool, s.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(rc.requests()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	got := rc.requests()
	if len(got) != 2 || got[1].id != s.ID {
		t.Fatalf("receiver got %d requests, want 2 for %q", len(got), s.ID)
	}
	if r := waitState(t, pool, s.ID, "delivered"); r.attempts != 1 {
		t.Errorf("attempts %d after redelivery, want 1 (the schedule starts again)", r.attempts)
	}
}

func TestRedeliverUnknownID(t *testing.T) {
	pool := mustPool(t)
	err := delivery.Redeliver(context.Background(), pool, "nope")
	if !errors.Is(err, delivery.ErrNotFound) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
}

func TestRedeliverSinceResetsDeliveredAndFailed(t *testing.T) {
	pool := mustPool(t)
	ctx := context.Background()
	since := time.Now().Add(-time.Second)
	for _, id := range []string{"sub-a", "sub-b", "sub-c"} {
		mustEnqueue(t, pool, id)
	}
	pool.Exec(ctx, "UPDATE deliveries SET state = 'delivered', attempts = 1 WHERE submission_id = 'sub-a'")
	pool.Exec(ctx, "UPDATE deliveries SET state = 'failed', attempts = 10 WHERE submission_id = 'sub-b'")
	pool.Exec(ctx, "UPDATE deliveries SET created_at = now() - interval '1 day', state = 'delivered' WHERE submission_id = 'sub-c'")

	n, err := delivery.RedeliverSince(ctx, pool, since)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("redelivered %d, want 2", n)
	}
	for id, want := range map[string]string{"sub-a": "pending", "sub-b": "pending", "sub-c": "delivered"} {
		if r := mustRow(t, pool, id); r.state != want || (want == "pending" && r.attempts != 0) {
			t.Errorf("%s: state %q, attempts %d; want %q", id, r.state, r.attempts, want)
		}
	}
}
