package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestRun starts the program as main does, on a free port, reads its
// address from the log, fetches the home page and stops it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, logs := io.Pipe()
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-submissions", path}, logs)
		logs.Close()
	}()
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		t.Fatalf("no log line: %v", <-done)
	}
	first := lines.Text()
	go io.Copy(io.Discard, out) // the request log, until run returns
	m := regexp.MustCompile(`msg=listening url=(\S+) submissions=(\S+)`).FindStringSubmatch(first)
	if m == nil || m[2] != path {
		t.Fatalf("first log line %q: want the URL and submissions=%s", first, path)
	}
	res, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", m[1], res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

func TestRunRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-addr", "127.0.0.1:99999", "-submissions", filepath.Join(t.TempDir(), "s.jsonl")}} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q): no error", args)
		}
	}
}
