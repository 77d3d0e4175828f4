package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wizard/wizard/delivery"
)

func TestRetriesUntilDeliveredWithTheSameIDAndValidSignatures(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-retry")
	rc := &receiver{answers: []func(http.ResponseWriter){status(500), status(500), status(200)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	startWorker(t, delivery.New(pool, fastConfig(srv.URL)))

	r := waitState(t, pool, s.ID, "delivered")
	if r.attempts != 3 || r.lastStatus == nil || *r.lastStatus != 200 {
		t.Errorf("attempts %d, last status %v; want 3, 200", r.attempts, r.lastStatus)
	}
	got := rc.requests()
	if len(got) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(got))
	}
	want, err := delivery.Payload(s)
	if err != nil {
		t.Fatal(err)
	}
	for i, req := range got {
		if req.id != s.ID {
			t.Errorf("request %d: webhook-id %q, want %q", i, req.id, s.ID)
		}
		if !verify(testSecret, req) {
			t.Errorf("request %d: signature %q does not verify", i, req.sig)
		}
		if ts, err := strconv.ParseInt(req.ts, 10, 64); err != nil || time.Since(time.Unix(ts, 0)) > time.Minute {
			t.Errorf("request %d: webhook-timestamp %q, want this attempt's unix time", i, req.ts)
		}
		if req.ctype != "application/json" {
			t.Errorf("request %d: Content-Type %q", i, req.ctype)
		}
		if string(req.body) != string(want) {
			t.Errorf("request %d: body %s, want %s", i, req.body, want)
		}
	}
	var ev struct {
		Type      string
		Timestamp string
		Data      struct{ ID, Reference string }
	}
	if err := json.Unmarshal(got[0].body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "submission.created" || ev.Timestamp != "2026-01-02T15:04:05Z" || ev.Data.ID != s.ID || ev.Data.Reference != s.Reference {
		t.Errorf("body %s: wrong event", got[0].body)
	}
}

func TestGoneFailsAtOnce(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-gone")
	rc := &receiver{answers: []func(http.ResponseWriter){status(410)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	startWorker(t, delivery.New(pool, fastConfig(srv.URL)))

	r := waitState(t, pool, s.ID, "failed")
	time.Sleep(100 * time.Millisecond) // ten polls: no further attempt
	if n := len(rc.requests()); r.attempts != 1 || n != 1 {
		t.Errorf("attempts %d, requests %d; want 1, 1", r.attempts, n)
	}
}

func TestFailsAfterTheLastAttempt(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-last")
	rc := &receiver{answers: []func(http.ResponseWriter){status(500)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	startWorker(t, delivery.New(pool, fastConfig(srv.URL))) // three waits: four attempts

	r := waitState(t, pool, s.ID, "failed")
	if n := len(rc.requests()); r.attempts != 4 || n != 4 {
		t.Errorf("attempts %d, requests %d; want 4, 4", r.attempts, n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-later")
	busy := func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	rc := &receiver{answers: []func(http.ResponseWriter){busy, status(200)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	startWorker(t, delivery.New(pool, fastConfig(srv.URL))) // the schedule waits 10 ms

	waitState(t, pool, s.ID, "delivered")
	got := rc.requests()
	if len(got) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(got))
	}
	if gap := got[1].at.Sub(got[0].at); gap < 2*time.Second {
		t.Errorf("second attempt %v after the first, want at least 2s", gap)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-moved")
	target := &receiver{answers: []func(http.ResponseWriter){status(200)}}
	elsewhere := httptest.NewServer(target)
	defer elsewhere.Close()
	moved := func(w http.ResponseWriter) {
		w.Header().Set("Location", elsewhere.URL)
		w.WriteHeader(http.StatusFound)
	}
	rc := &receiver{answers: []func(http.ResponseWriter){moved}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	startWorker(t, delivery.New(pool, fastConfig(srv.URL)))

	r := waitState(t, pool, s.ID, "failed")
	if r.attempts != 4 || r.lastStatus == nil || *r.lastStatus != 302 {
		t.Errorf("attempts %d, last status %v; want 4, 302", r.attempts, r.lastStatus)
	}
	if n := len(target.requests()); n != 0 {
		t.Errorf("the redirect's target got %d requests, want 0", n)
	}
}

func TestLapsedLeaseIsTakenOver(t *testing.T) {
	pool := mustPool(t)
	s := mustEnqueue(t, pool, "sub-lease")
	rc := &receiver{answers: []func(http.ResponseWriter){status(200)}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	cfg := fastConfig(srv.URL)
	cfg.Lease = time.Second

	dead := delivery.New(pool, cfg)
	if n, err := dead.Claim(context.Background()); err != nil || n != 1 {
		t.Fatalf("Claim: %d, %v; want 1, nil", n, err)
	}
	claimed := time.Now()
	startWorker(t, delivery.New(pool, cfg))

	r := waitState(t, pool, s.ID, "delivered")
	got := rc.requests()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(got))
	}
	if wait := got[0].at.Sub(claimed); wait < 900*time.Millisecond {
		t.Errorf("delivered %v after the claim, before the 1s lease ended", wait)
	}
	if r.attempts != 2 {
		t.Errorf("attempts %d, want 2 (the dead worker's claim counts)", r.attempts)
	}
}

func TestTwoWorkersDeliverEachOnce(t *testing.T) {
	pool := mustPool(t)
	const n = 40
	for i := range n {
		mustEnqueue(t, pool, fmt.Sprintf("sub-%02d", i))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		seen[r.Header.Get("webhook-id")]++
		mu.Unlock()
	}))
	defer srv.Close()
	for range 2 {
		cfg := fastConfig(srv.URL)
		cfg.Batch = 3
		startWorker(t, delivery.New(pool, cfg))
	}
	for i := range n {
		waitState(t, pool, fmt.Sprintf("sub-%02d", i), "delivered")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != n {
		t.Errorf("receiver saw %d IDs, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s delivered %d times, want 1", id, k)
		}
	}
}
