package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/delivery"
	"github.com/wizard/wizard/internal/pgtest"
	"github.com/wizard/wizard/sinks"
)

// storedSubmissions are two registrations (the demo's register wizard) a
// day apart and one of the classic wizard, in the order written.
func storedSubmissions() []wizard.Submission {
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return []wizard.Submission{
		{ID: "aaaaaaaaaa", Reference: "REG-AAAAA", Wizard: "register", Time: day, Answers: []wizard.Answer{
			{Step: "details", Field: "name", Values: []string{"=HYPERLINK(\"x\")"}},
			{Step: "details", Field: "email", Values: []string{"ann@example.com"}},
			{Step: "ticket", Field: "type", Values: []string{"regular"}},
		}},
		{ID: "cccccccccc", Reference: "CLA-CCCCC", Wizard: "classic", Time: day.Add(time.Hour)},
		{ID: "bbbbbbbbbb", Reference: "REG-BBBBB", Wizard: "register", Time: day.Add(24 * time.Hour), Answers: []wizard.Answer{
			{Step: "details", Field: "name", Values: []string{"Björn, \"B\""}},
			{Step: "ticket", Field: "type", Values: []string{"student"}},
		}},
	}
}

// mustStoreJSONL writes subs to a new JSONL file through the sink and
// returns its path.
func mustStoreJSONL(tb testing.TB, subs []wizard.Submission) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "submissions.jsonl")
	s, err := sinks.OpenJSONL(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	for _, sub := range subs {
		if err := s.Submit(context.Background(), sub); err != nil {
			tb.Fatal(err)
		}
	}
	return path
}

// runSubmissions runs "wizard submissions ARGS" with env as the whole
// environment.
func runSubmissions(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code = submissionsCmd(t.Context(), args, getenv, &out, &errOut)
	return code, out.String(), errOut.String()
}

// mustRecords parses CSV output after its byte order mark.
func mustRecords(t *testing.T, out string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(out, "\ufeff")
	if !ok {
		t.Fatalf("output %q has no byte order mark", out)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("output does not parse as CSV: %v\n%s", err, body)
	}
	return recs
}

// column returns the cells of the column headed name, header excluded.
func column(t *testing.T, recs [][]string, name string) []string {
	t.Helper()
	for i, h := range recs[0] {
		if h == name {
			var col []string
			for _, r := range recs[1:] {
				col = append(col, r[i])
			}
			return col
		}
	}
	t.Fatalf("no column %q in %q", name, recs[0])
	return nil
}

func TestSubmissionsExportFile(t *testing.T) {
	path := mustStoreJSONL(t, storedSubmissions())
	sink := "file:" + path

	t.Run("csv of one wizard", func(t *testing.T) {
		code, out, errOut := runSubmissions(t, nil, "export", "-sink", sink, "-wizard", "register")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs := mustRecords(t, out)
		if got, want := recs[0][:5], []string{"Reference", "Submitted at (UTC)", "Your details: Full name", "Your details: Email address", "ticket: Ticket type"}; !reflect.DeepEqual(got, want) {
			t.Errorf("header starts %q, want %q", got, want)
		}
		if got, want := column(t, recs, "Reference"), []string{"REG-AAAAA", "REG-BBBBB"}; !reflect.DeepEqual(got, want) {
			t.Errorf("references %q, want %q", got, want)
		}
		if got, want := column(t, recs, "Your details: Full name"), []string{"'=HYPERLINK(\"x\")", "Björn, \"B\""}; !reflect.DeepEqual(got, want) {
			t.Errorf("names %q, want %q", got, want)
		}
		if got, want := column(t, recs, "Submitted at (UTC)"), []string{"2026-03-01T09:00:00Z", "2026-03-02T09:00:00Z"}; !reflect.DeepEqual(got, want) {
			t.Errorf("times %q, want %q", got, want)
		}
	})
	t.Run("since", func(t *testing.T) {
		for _, since := range []string{"2026-03-02", "2026-03-01T10:00:01+01:00"} {
			code, out, errOut := runSubmissions(t, nil, "export", "-sink", sink, "-wizard", "register", "-since", since)
			if code != 0 {
				t.Fatalf("-since %s: exit %d: %s", since, code, errOut)
			}
			if got, want := column(t, mustRecords(t, out), "Reference"), []string{"REG-BBBBB"}; !reflect.DeepEqual(got, want) {
				t.Errorf("-since %s: references %q, want %q", since, got, want)
			}
		}
	})
	t.Run("csv without -wizard when the range holds one", func(t *testing.T) {
		code, out, errOut := runSubmissions(t, nil, "export", "-sink", sink, "-since", "2026-03-02")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if got, want := column(t, mustRecords(t, out), "Reference"), []string{"REG-BBBBB"}; !reflect.DeepEqual(got, want) {
			t.Errorf("references %q, want %q", got, want)
		}
	})
	t.Run("jsonl from the environment's file", func(t *testing.T) {
		env := map[string]string{"WIZARD_SUBMISSIONS": path}
		code, out, errOut := runSubmissions(t, env, "export", "-format", "jsonl")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		stored, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// In time order, which here is file order.
		if out != string(stored) {
			t.Errorf("got\n%s\nwant the file as stored:\n%s", out, stored)
		}
		code, out, errOut = runSubmissions(t, env, "export", "-format", "jsonl", "-wizard", "classic")
		if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "CLA-CCCCC") {
			t.Errorf("-wizard classic: exit %d, got %q (%s), want the classic submission alone", code, out, errOut)
		}
	})
	t.Run("removed wizard", func(t *testing.T) {
		code, out, errOut := runSubmissions(t, nil, "export", "-sink", sink, "-wizard", "register", "-forms", formsDir(t))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(errOut, `"register"`) {
			t.Errorf("stderr %q does not warn of the missing definition", errOut)
		}
		if got, want := mustRecords(t, out)[0], []string{"Reference", "Submitted at (UTC)", "details.name", "details.email", "ticket.type"}; !reflect.DeepEqual(got, want) {
			t.Errorf("header %q, want %q", got, want)
		}
	})

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"several wizards", []string{"export", "-sink", sink}, 2, "classic, register"},
		{"bad since", []string{"export", "-sink", sink, "-since", "yesterday"}, 2, `"yesterday"`},
		{"bad format", []string{"export", "-sink", sink, "-format", "xlsx"}, 2, `"xlsx"`},
		{"bad sink", []string{"export", "-sink", "s3://bucket"}, 2, `"s3://bucket"`},
		{"unknown flag", []string{"export", "-nope"}, 2, "-nope"},
		{"stray argument", []string{"export", "-sink", sink, "more"}, 2, `"more"`},
		{"no subcommand", nil, 2, "Usage"},
		{"help", []string{"export", "-h"}, 2, "Usage"},
		{"missing file", []string{"export", "-sink", "file:" + filepath.Join(t.TempDir(), "none.jsonl")}, 1, "none.jsonl"},
		{"definitions with mistakes", []string{"export", "-sink", sink, "-wizard", "register", "-forms", badFormsDir(t)}, 1, "mistake"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runSubmissions(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tc.code, tc.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

// formsDir returns a definitions directory without the register wizard.
func formsDir(t *testing.T) string {
	dir := t.TempDir()
	writeForm(t, dir, "other.yaml", formWithTitle("Other"))
	return dir
}

// badFormsDir returns a definitions directory with a mistake.
func badFormsDir(t *testing.T) string {
	dir := t.TempDir()
	writeForm(t, dir, "bad.yaml", "version: 1\ntitle: Bad\nsteps: []\n")
	return dir
}

func TestSubmissionsExportPostgres(t *testing.T) {
	url := pgtest.URL(t)
	p, err := sinks.OpenPostgres(t.Context(), url, sinks.PostgresOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, s := range storedSubmissions() {
		if err := p.Submit(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runSubmissions(t, map[string]string{"WIZARD_SINK": url}, "export", "-wizard", "register", "-since", "2026-03-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs := mustRecords(t, out)
	if got, want := column(t, recs, "Reference"), []string{"REG-AAAAA", "REG-BBBBB"}; !reflect.DeepEqual(got, want) {
		t.Errorf("references %q, want %q", got, want)
	}
	if got, want := column(t, recs, "Your details: Full name"), []string{"'=HYPERLINK(\"x\")", "Björn, \"B\""}; !reflect.DeepEqual(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
	code, out, errOut = runSubmissions(t, nil, "export", "-sink", url, "-format", "jsonl", "-since", "2026-03-01T09:30:00Z")
	if code != 0 {
		t.Fatalf("jsonl: exit %d: %s", code, errOut)
	}
	if refs := strings.Count(out, `"reference":`); refs != 2 || strings.Index(out, "CLA-CCCCC") > strings.Index(out, "REG-BBBBB") {
		t.Errorf("jsonl since 09:30: got %s, want CLA-CCCCC then REG-BBBBB", out)
	}
}

func TestSubmissionsRedeliver(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := delivery.EnsureSchema(ctx, pool); err != nil {
		t.Fatal(err)
	}
	p, err := sinks.OpenPostgres(ctx, url, sinks.PostgresOptions{InTx: delivery.Enqueue})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	subs := storedSubmissions()
	for _, s := range subs {
		if err := p.Submit(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// Every delivery given up, the first enqueued a day before the others.
	if _, err := pool.Exec(ctx, "UPDATE deliveries SET state = 'failed', attempts = 9"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE deliveries SET created_at = now() - interval '1 day' WHERE submission_id = $1", subs[0].ID); err != nil {
		t.Fatal(err)
	}
	pending := func() []string {
		t.Helper()
		rows, err := pool.Query(ctx, "SELECT submission_id FROM deliveries WHERE state = 'pending' AND attempts = 0 ORDER BY submission_id")
		if err != nil {
			t.Fatal(err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	env := map[string]string{"WIZARD_SINK": url}

	code, out, errOut := runSubmissions(t, env, "redeliver", "-id", subs[0].ID)
	if code != 0 || !strings.Contains(out, subs[0].ID) {
		t.Fatalf("-id: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got, want := pending(), []string{subs[0].ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("after -id: pending %q, want %q", got, want)
	}

	since := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	code, out, errOut = runSubmissions(t, env, "redeliver", "-since", since)
	if code != 0 || out != "2 deliveries pending again\n" {
		t.Fatalf("-since: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got, want := pending(), []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after -since: pending %q, want %q", got, want)
	}

	code, _, errOut = runSubmissions(t, env, "redeliver", "-id", "nosuchid")
	if code != 1 || !strings.Contains(errOut, "nosuchid") {
		t.Errorf("unknown id: exit %d, stderr %q; want exit 1 naming it", code, errOut)
	}
}

func TestSubmissionsRedeliverUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"neither", []string{"redeliver", "-sink", "postgres://localhost/x"}, "one of the two"},
		{"both", []string{"redeliver", "-sink", "postgres://localhost/x", "-id", "a", "-since", "2026-03-01"}, "one of the two"},
		{"file sink", []string{"redeliver", "-id", "a"}, "PostgreSQL"},
		{"bad since", []string{"redeliver", "-since", "soon", "-sink", "postgres://localhost/x"}, `"soon"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runSubmissions(t, nil, tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
}
