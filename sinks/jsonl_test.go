package sinks_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
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
	s := mustOpen(t, path)
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
	s := mustOpen(t, path)
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
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, path)
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
	// The file is opened (and locked) at once, so a server whose
	// submissions cannot be stored fails to start rather than at the
	// first submit.
	missing := filepath.Join(dir, "missing-dir", "subs.jsonl")
	if _, err := sinks.OpenJSONL(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a file in a missing directory: err = %v, want one naming the file", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := mustOpen(t, filepath.Join(dir, "ok.jsonl"))
	if err := s.Submit(ctx, submission("CANCEL")); err == nil {
		t.Error("cancelled context: no error")
	}
	if err := s.Submit(context.Background(), submission("CANCEL")); err != nil {
		t.Errorf("retry after a failure: %v", err)
	}
}

// mustOpen opens a sink on path, closed when the test ends.
func mustOpen(tb testing.TB, path string) *sinks.JSONL {
	tb.Helper()
	s, err := sinks.OpenJSONL(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustWrite writes content to path.
func mustWrite(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// mustRead returns path's content.
func mustRead(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// record is the line the sink writes for submission(id), newline included.
func record(tb testing.TB, id string) string {
	tb.Helper()
	b, err := json.Marshal(submission(id))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b) + "\n"
}

// TestJSONLCutsTornLastLine: a last line with no newline that does not
// parse, what kill -9 or a power cut in the middle of a write leaves, is
// cut off when the file is opened, and the sink appends after the last
// complete line.
func TestJSONLCutsTornLastLine(t *testing.T) {
	for name, torn := range map[string]string{
		"half an object":  record(t, "TORN01")[:40],
		"one byte":        "{",
		"zeros":           strings.Repeat("\x00", 4096), // a size made durable before the data
		"object, garbage": `{"id":"TORN02"}x`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "subs.jsonl")
			kept := record(t, "KEPT01") + record(t, "KEPT02")
			mustWrite(t, path, kept+torn)
			s := mustOpen(t, path)
			if got, want := s.DroppedBytes(), int64(len(torn)); got != want {
				t.Errorf("DroppedBytes = %d, want %d", got, want)
			}
			if got := mustRead(t, path); got != kept {
				t.Fatalf("after opening, the file holds\n%q\nwant\n%q", got, kept)
			}
			for _, id := range []string{"KEPT01", "KEPT02"} {
				if held, _ := s.Submitted(context.Background(), id); !held {
					t.Errorf("Submitted(%q) = false", id)
				}
			}
			if err := s.Submit(context.Background(), submission("NEXT01")); err != nil {
				t.Fatal(err)
			}
			if got, want := mustRead(t, path), kept+record(t, "NEXT01"); got != want {
				t.Errorf("after a submit, the file holds\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestJSONLKeepsWholeLastLineWithoutNewline: a crash between an object and
// its newline leaves a line that parses; it is kept, counted as held, and
// the next record starts on a line of its own.
func TestJSONLKeepsWholeLastLineWithoutNewline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	whole := strings.TrimSuffix(record(t, "WHOLE1"), "\n")
	mustWrite(t, path, record(t, "KEPT01")+whole)
	s := mustOpen(t, path)
	if got := s.DroppedBytes(); got != 0 {
		t.Errorf("DroppedBytes = %d, want 0", got)
	}
	if err := s.Submit(context.Background(), submission("WHOLE1")); !errors.Is(err, wizard.ErrAlreadySubmitted) {
		t.Errorf("submitting the last line's ID again: err = %v, want ErrAlreadySubmitted", err)
	}
	if err := s.Submit(context.Background(), submission("NEXT01")); err != nil {
		t.Fatal(err)
	}
	if got, want := mustRead(t, path), record(t, "KEPT01")+whole+"\n"+record(t, "NEXT01"); got != want {
		t.Errorf("file holds\n%q\nwant\n%q", got, want)
	}
	if got := lines(t, path); len(got) != 3 || got[1].ID != "WHOLE1" || got[2].ID != "NEXT01" {
		t.Errorf("lines = %+v", got)
	}
}

// TestJSONLRefusesBadCompleteLines: a bad line that ends in a newline is
// not a torn write, wherever it is: opening fails, naming the line, and the
// file is left untouched.
func TestJSONLRefusesBadCompleteLines(t *testing.T) {
	for name, tc := range map[string]struct {
		content string
		line    string
	}{
		"in the middle":            {record(t, "GOOD01") + "{not json\n" + record(t, "GOOD02"), "line 2"},
		"in the middle, last torn": {"{not json\n" + record(t, "GOOD01") + "{tor", "line 1"},
		"last, with its newline":   {record(t, "GOOD01") + "{not json\n", "line 2"},
		"an empty line":            {record(t, "GOOD01") + "\n" + record(t, "GOOD02"), "line 2"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "subs.jsonl")
			mustWrite(t, path, tc.content)
			s, err := sinks.OpenJSONL(path)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.line) || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want one naming %s of %s", err, tc.line, path)
			}
			if got := mustRead(t, path); got != tc.content {
				t.Errorf("the file was changed:\n%q", got)
			}
		})
	}
}

// TestJSONLFollowsAMovedFile: when the file is renamed away (a rotation),
// the next submission goes to a new file at the path, not to the old one,
// and IDs already stored are still refused.
func TestJSONLFollowsAMovedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "subs.jsonl")
	s := mustOpen(t, path)
	if err := s.Submit(context.Background(), submission("OLD001")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(context.Background(), submission("NEW001")); err != nil {
		t.Fatal(err)
	}
	if got, want := mustRead(t, path), record(t, "NEW001"); got != want {
		t.Errorf("new file holds %q, want %q", got, want)
	}
	if got, want := mustRead(t, path+".1"), record(t, "OLD001"); got != want {
		t.Errorf("moved file holds %q, want %q", got, want)
	}
	if err := s.Submit(context.Background(), submission("OLD001")); !errors.Is(err, wizard.ErrAlreadySubmitted) {
		t.Errorf("an ID of the moved file: err = %v, want ErrAlreadySubmitted", err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(context.Background(), submission("NEW002")); err != nil {
		t.Fatal(err)
	}
	if got, want := mustRead(t, path), record(t, "NEW002"); got != want {
		t.Errorf("after a delete, the file holds %q, want %q", got, want)
	}
}
