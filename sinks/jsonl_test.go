package sinks_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/sinks"
)

func submission(id string) wizard.Submission {
	return wizard.Submission{ID: id, Reference: "T-" + id[:3], Wizard: "w", Time: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		Answers: []wizard.Answer{{Step: "s", Field: "f", Values: []string{"a\nb", `"quoted"`}}}}
}

func lines(t *testing.T, path string) []wizard.Submission {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []wizard.Submission
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s wizard.Submission
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, s)
	}
	return out
}

func TestJSONLAppendsOneObjectPerLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	s, err := sinks.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"AAA111", "BBB222"} {
		if err := s.Submit(context.Background(), submission(id)); err != nil {
			t.Fatal(err)
		}
	}
	got := lines(t, path)
	if len(got) != 2 || got[0].ID != "AAA111" || got[1].ID != "BBB222" || got[1].Answers[0].Values[1] != `"quoted"` {
		t.Fatalf("file holds %+v", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600: submissions are personal data", info.Mode().Perm())
	}
}

func TestJSONLRefusesRepeatedIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	s, err := sinks.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = s.Submit(context.Background(), submission("SAME01")) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, wizard.ErrAlreadySubmitted):
			t.Errorf("err = %v, want ErrAlreadySubmitted", err)
		}
	}
	if ok != 1 || len(lines(t, path)) != 1 {
		t.Fatalf("%d successes, %d lines; want 1 and 1", ok, len(lines(t, path)))
	}
	// A new process (a fresh sink on the same file) remembers the ID.
	s2, err := sinks.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Submit(context.Background(), submission("SAME01")); !errors.Is(err, wizard.ErrAlreadySubmitted) {
		t.Errorf("after reopening: err = %v, want ErrAlreadySubmitted", err)
	}
	if err := s2.Submit(context.Background(), submission("OTHER1")); err != nil {
		t.Errorf("new ID after reopening: %v", err)
	}
}

func TestJSONLFailures(t *testing.T) {
	dir := t.TempDir()
	if _, err := sinks.OpenJSONL(dir); err == nil {
		t.Error("opening a directory as the file: no error")
	}
	corrupt := filepath.Join(dir, "corrupt.jsonl")
	if err := os.WriteFile(corrupt, []byte("{not json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sinks.OpenJSONL(corrupt); err == nil {
		t.Error("corrupt file: no error")
	}
	s, err := sinks.OpenJSONL(filepath.Join(dir, "missing-dir", "subs.jsonl"))
	if err != nil {
		t.Fatalf("a file that does not exist yet: %v", err)
	}
	if err := s.Submit(context.Background(), submission("NODIR1")); err == nil {
		t.Error("write into a missing directory: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, _ = sinks.OpenJSONL(filepath.Join(dir, "ok.jsonl"))
	if err := s.Submit(ctx, submission("CANCEL")); err == nil {
		t.Error("cancelled context: no error")
	}
	if err := s.Submit(context.Background(), submission("CANCEL")); err != nil {
		t.Errorf("retry after a failure: %v", err)
	}
}
