package sinks_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/sinks"
)

func TestReadJSONL(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	a := wizard.Submission{ID: "aaaaaaaaaa", Reference: "REG-AAAAA", Wizard: "register", Time: at,
		Answers: []wizard.Answer{{Step: "name", Field: "first", Values: []string{"Zoë, \"the\"\nfirst"}}}}
	b := wizard.Submission{ID: "bbbbbbbbbb", Reference: "REG-BBBBB", Wizard: "register", Time: at.Add(time.Hour),
		Answers: []wizard.Answer{{Step: "pets", Field: "kinds", Values: []string{"cat", "dog"}}}}
	path := filepath.Join(t.TempDir(), "submissions.jsonl")
	s, err := sinks.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []wizard.Submission{a, b} {
		if err := s.Submit(t.Context(), sub); err != nil {
			t.Fatal(err)
		}
	}
	// Read while the sink holds its lock, as the export command does
	// beside a running server.
	got, err := sinks.ReadJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []wizard.Submission{a, b}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	body := mustRead(t, path)
	for _, tc := range []struct{ name, body string }{
		// A writer caught mid-append, or a crash that OpenJSONL has not
		// cut off yet.
		{"torn last line", body + `{"id":"cccccccccc","refer`},
		// A whole object whose newline is not written yet.
		{"last line without its newline", strings.TrimSuffix(body, "\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "submissions.jsonl")
			mustWrite(t, p, tc.body)
			got, err := sinks.ReadJSONL(p)
			if err != nil {
				t.Fatal(err)
			}
			if want := []wizard.Submission{a, b}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	t.Run("bad complete line", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.jsonl")
		mustWrite(t, bad, "{\"id\":\"x\"}\nnot json\n{\"id\":\"y\"}\n")
		_, err := sinks.ReadJSONL(bad)
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("got %v, want an error naming line 2", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := sinks.ReadJSONL(filepath.Join(t.TempDir(), "none.jsonl"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("got %v, want a not-exist error", err)
		}
	})
}
