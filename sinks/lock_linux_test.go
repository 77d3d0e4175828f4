//go:build linux

package sinks_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard/sinks"
)

// TestJSONLLocksItsFile: while a sink holds a file, a second sink on it
// fails to open, naming the file, and leaves it untouched; Close lets go.
func TestJSONLLocksItsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	s := mustOpen(t, path)
	if err := s.Submit(context.Background(), submission("FIRST1")); err != nil {
		t.Fatal(err)
	}
	// A torn tail written behind the holder's back must not be cut by a
	// sink that cannot get the lock.
	content := record(t, "FIRST1") + "{tor"
	mustWrite(t, path, content)
	s2, err := sinks.OpenJSONL(path)
	if err == nil {
		s2.Close()
		t.Fatal("a second sink opened a held file")
	}
	if !errors.Is(err, sinks.ErrInUse) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want ErrInUse naming %s", err, path)
	}
	if got := mustRead(t, path); got != content {
		t.Errorf("the refused sink changed the file to %q", got)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s.Submit(context.Background(), submission("LATE01")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Submit after Close: err = %v, want os.ErrClosed", err)
	}
	if held, err := s.Submitted(context.Background(), "FIRST1"); !held || err != nil {
		t.Errorf("Submitted after Close = %v, %v; want true, nil", held, err)
	}
	s3 := mustOpen(t, path)
	if got := s3.DroppedBytes(); got != int64(len("{tor")) {
		t.Errorf("DroppedBytes = %d after Close let the next sink in", got)
	}
}

// lockHelperEnv names the file the helper process tries to open.
const lockHelperEnv = "SINKS_TEST_LOCK_HELPER"

// TestJSONLLockKeepsOutOtherProcesses: another process cannot open a file
// a sink holds, and can once it is closed.
func TestJSONLLockKeepsOutOtherProcesses(t *testing.T) {
	if path := os.Getenv(lockHelperEnv); path != "" {
		// The helper: report through the exit status.
		s, err := sinks.OpenJSONL(path)
		switch {
		case errors.Is(err, sinks.ErrInUse):
			os.Exit(3)
		case err != nil:
			os.Exit(4)
		}
		s.Close()
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "subs.jsonl")
	other := func() int {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestJSONLLockKeepsOutOtherProcesses$")
		cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("helper process: %v\n%s", err, out)
		}
		return cmd.ProcessState.ExitCode()
	}
	s := mustOpen(t, path)
	if got := other(); got != 3 {
		t.Errorf("another process opening a held file exits %d, want 3 (ErrInUse)", got)
	}
	s.Close()
	if got := other(); got != 0 {
		t.Errorf("another process opening a released file exits %d, want 0", got)
	}
}
