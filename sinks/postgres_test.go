package sinks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/internal/pgtest"
	"github.com/wizard/wizard/sinks"
)

// postgresURL is a schema of the test's own on the test server (see
// pgtest.URL).
func postgresURL(t *testing.T) string { return pgtest.URL(t) }

// mustOpenPostgres opens a sink on url, closed at the end of the test.
func mustOpenPostgres(t *testing.T, url string, opts sinks.PostgresOptions) *sinks.Postgres {
	t.Helper()
	p, err := sinks.OpenPostgres(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// rows returns the (id, reference) of every row of the submissions table.
func rows(t *testing.T, url string) [][2]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rs, err := conn.Query(ctx, "SELECT id, reference FROM submissions ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	var id, ref string
	if _, err := pgx.ForEachRow(rs, []any{&id, &ref}, func() error {
		out = append(out, [2]string{id, ref})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPostgresSubmit(t *testing.T) {
	url := postgresURL(t)
	p := mustOpenPostgres(t, url, sinks.PostgresOptions{})
	ctx := context.Background()
	a, b := submission("AAAAAA"), submission("BBBBBB")
	b.Wizard, b.Time = "other", a.Time.Add(-time.Hour)
	for _, s := range []wizard.Submission{a, b} {
		if err := p.Submit(ctx, s); err != nil {
			t.Fatalf("Submit(%s): %v", s.ID, err)
		}
	}
	for id, want := range map[string]bool{"AAAAAA": true, "BBBBBB": true, "CCCCCC": false} {
		if got, err := p.Submitted(ctx, id); err != nil || got != want {
			t.Errorf("Submitted(%s) = %v, %v; want %v, nil", id, got, err, want)
		}
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var body []byte
	if err := conn.QueryRow(ctx, "SELECT body FROM submissions WHERE id = 'AAAAAA'").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(a); string(body) != string(want) {
		t.Errorf("stored body = %s, want the exact JSON %s", body, want)
	}

	all, err := p.List(ctx, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []wizard.Submission{b, a}; !reflect.DeepEqual(all, want) {
		t.Errorf("List(all) = %+v, want %+v (time order)", all, want)
	}
	some, err := p.List(ctx, "w", a.Time)
	if err != nil {
		t.Fatal(err)
	}
	if want := []wizard.Submission{a}; !reflect.DeepEqual(some, want) {
		t.Errorf("List(w, since) = %+v, want %+v", some, want)
	}
	if none, err := p.List(ctx, "w", a.Time.Add(time.Second)); err != nil || len(none) != 0 {
		t.Errorf("List(later) = %+v, %v; want none", none, err)
	}
}

// TestPostgresRepeat: a repeated ID stores nothing; with the same content
// (a later time is the same content) it is ErrAlreadySubmitted, with other
// answers ErrConflict; the first row stands either way.
func TestPostgresRepeat(t *testing.T) {
	url := postgresURL(t)
	ctx := context.Background()
	var hooked []string
	p := mustOpenPostgres(t, url, sinks.PostgresOptions{InTx: func(ctx context.Context, tx pgx.Tx, s wizard.Submission) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM submissions WHERE id = $1", s.ID).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("InTx sees %d rows of %s, want 1", n, s.ID)
		}
		hooked = append(hooked, s.ID)
		return nil
	}})
	first := submission("AAAAAA")
	if err := p.Submit(ctx, first); err != nil {
		t.Fatal(err)
	}
	later := first
	later.Time = first.Time.Add(time.Second)
	if err := p.Submit(ctx, later); !errors.Is(err, wizard.ErrAlreadySubmitted) {
		t.Errorf("same content, later: err = %v, want ErrAlreadySubmitted", err)
	}
	other := submission("AAAAAA")
	other.Answers = []wizard.Answer{{Step: "s", Field: "f", Values: []string{"changed"}}}
	err := p.Submit(ctx, other)
	if !errors.Is(err, wizard.ErrConflict) || errors.Is(err, wizard.ErrAlreadySubmitted) {
		t.Errorf("other content: err = %v, want ErrConflict only", err)
	}
	all, err := p.List(ctx, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []wizard.Submission{first}; !reflect.DeepEqual(all, want) {
		t.Errorf("stored %+v, want only the first %+v", all, want)
	}
	if want := []string{"AAAAAA"}; !reflect.DeepEqual(hooked, want) {
		t.Errorf("InTx ran for %v, want %v (new rows only)", hooked, want)
	}
}

// TestPostgresInTxFailure: when InTx fails, nothing is stored and a retry
// can store the submission.
func TestPostgresInTxFailure(t *testing.T) {
	url := postgresURL(t)
	ctx := context.Background()
	boom := errors.New("queue refused")
	fail := true
	p := mustOpenPostgres(t, url, sinks.PostgresOptions{InTx: func(context.Context, pgx.Tx, wizard.Submission) error {
		if fail {
			return boom
		}
		return nil
	}})
	s := submission("AAAAAA")
	if err := p.Submit(ctx, s); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the hook's", err)
	}
	if held, err := p.Submitted(ctx, s.ID); err != nil || held {
		t.Fatalf("Submitted after a failed hook = %v, %v; want false", held, err)
	}
	fail = false
	if err := p.Submit(ctx, s); err != nil {
		t.Fatalf("retry: %v", err)
	}
}

// TestPostgresConcurrentSinks: 50 submits of one submission at once, spread
// over two sinks (two instances) on one database, store one row; every
// other submit is told it was already submitted.
func TestPostgresConcurrentSinks(t *testing.T) {
	url := postgresURL(t)
	ps := []*sinks.Postgres{mustOpenPostgres(t, url, sinks.PostgresOptions{}), mustOpenPostgres(t, url, sinks.PostgresOptions{})}
	s := submission("AAAAAA")
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Go(func() {
			sub := s
			sub.Time = s.Time.Add(time.Duration(i) * time.Millisecond)
			errs[i] = ps[i%2].Submit(context.Background(), sub)
		})
	}
	wg.Wait()
	stored := 0
	for i, err := range errs {
		switch {
		case err == nil:
			stored++
		case !errors.Is(err, wizard.ErrAlreadySubmitted):
			t.Errorf("submit %d: %v", i, err)
		}
	}
	if stored != 1 {
		t.Errorf("%d submits stored, want 1", stored)
	}
	if got, want := rows(t, url), [][2]string{{s.ID, s.Reference}}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

// TestPostgresReferenceClash: two IDs with the same reference cannot both
// be stored, and the second is not mistaken for a repeat.
func TestPostgresReferenceClash(t *testing.T) {
	p := mustOpenPostgres(t, postgresURL(t), sinks.PostgresOptions{})
	ctx := context.Background()
	if err := p.Submit(ctx, submission("AAAAAA")); err != nil {
		t.Fatal(err)
	}
	err := p.Submit(ctx, submission("AAABBB")) // reference "T-AAA" too
	if err == nil || errors.Is(err, wizard.ErrAlreadySubmitted) || errors.Is(err, wizard.ErrConflict) {
		t.Fatalf("err = %v, want a failure that is not a repeat", err)
	}
}

func TestOpenPostgresUnreachable(t *testing.T) {
	_, err := sinks.OpenPostgres(context.Background(), "postgres://nobody:secret@127.0.0.1:1/none", sinks.PostgresOptions{Timeout: time.Second})
	if err == nil {
		t.Fatal("opened a sink on a closed port")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password: %v", err)
	}
}
