package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Bounds of TestCrashLosesNoAcknowledgedSubmission.
const (
	crashUsers = 16
	// crashAfter is how long the users submit before the kill.
	crashAfter = 1500 * time.Millisecond
	// crashBuildLimit bounds the build of the binary: usually a link of
	// packages the test binary already compiled, a few seconds, but a
	// machine busy with other builds can take much longer.
	crashBuildLimit = time.Minute
	// crashRunLimit bounds the rest: two starts, the load, the kill, the
	// checks and the shutdown.
	crashRunLimit = 20 * time.Second
)

// TestCrashLosesNoAcknowledgedSubmission: kill -9 of the real server while
// users are submitting leaves in the submissions file every reference a
// user saw on a done page, and the server starts again on that file, torn
// last line and all.
func TestCrashLosesNoAcknowledgedSubmission(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL and SIGTERM")
	}
	dir := t.TempDir()
	start := time.Now()
	build, cancelBuild := context.WithTimeout(context.Background(), crashBuildLimit)
	bin := buildWizard(t, build, dir)
	cancelBuild()
	t.Logf("built in %v", time.Since(start).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), crashRunLimit)
	defer cancel()
	subs := filepath.Join(dir, "submissions.jsonl")
	args := []string{"-addr", "127.0.0.1:0", "-submissions", subs}
	srv := startWizard(t, ctx, bin, args...)

	// While it runs, a second server on the same file must not start: two
	// appenders could each store the same submission.
	second, secondCancel := context.WithTimeout(ctx, 5*time.Second)
	out, err := exec.CommandContext(second, bin, args...).CombinedOutput()
	started := second.Err() != nil
	secondCancel()
	var exit *exec.ExitError
	switch {
	case started:
		t.Errorf("a second server on %s started (killed after 5 s):\n%s", subs, out)
	case !errors.As(err, &exit) || !strings.Contains(string(out), subs) || !strings.Contains(string(out), "in use"):
		t.Errorf("a second server on the same file: err = %v, want an exit saying %s is in use:\n%s", err, subs, out)
	}

	// Users submit until the kill.
	var killed atomic.Bool
	var wg sync.WaitGroup
	seen := make([][]receipt, crashUsers)
	refused := make([]int, crashUsers)
	for n := range crashUsers {
		u := newUser(t, srv.url, n)
		wg.Go(func() {
			for i := 0; ; i++ {
				// Each completion as a different person would make it.
				u.comeFrom(i*crashUsers + n)
				rc, err := u.complete(ctx, i)
				switch {
				case killed.Load():
					// Whatever came back after the kill began, a done page
					// included, was not necessarily shown before it: only
					// count receipts from before.
					return
				case errors.Is(err, errRefused):
					refused[n]++
					time.Sleep(50 * time.Millisecond)
				case err != nil:
					t.Errorf("user %d before the kill: %v", n, err)
					return
				default:
					seen[n] = append(seen[n], rc)
				}
			}
		})
	}
	select {
	case <-time.After(crashAfter):
	case <-ctx.Done():
	}
	killed.Store(true)
	srv.kill(t)
	wg.Wait()

	// (1) Every reference shown is in the file, with its ID.
	stored, torn := storedReferences(t, subs)
	acknowledged, lost, refusals := 0, 0, 0
	for n := range crashUsers {
		refusals += refused[n]
		for _, rc := range seen[n] {
			acknowledged++
			got, ok := stored[rc.id]
			if ok && got == rc.ref {
				continue
			}
			if lost++; lost <= 10 {
				t.Errorf("user %d was shown %s for submission %s; the file holds %q", n, rc.ref, rc.id, got)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged submissions are not in the file as shown", lost, acknowledged)
	}
	t.Logf("%d users, %d submissions acknowledged before the kill, %d lines in the file, torn last line: %d bytes, %d submits refused for now",
		crashUsers, acknowledged, len(stored), len(torn), refusals)
	if acknowledged == 0 {
		t.Fatal("no submission was acknowledged before the kill: the test proved nothing")
	}

	// (2) The server starts again on the file, even one whose last line a
	// crash cut short. kill -9 seldom if ever does that to a line this
	// small (the write system call is done or not begun); a power cut can.
	// So unless this kill did, the file is made to end as such a crash
	// leaves it.
	if len(torn) == 0 {
		f, err := os.OpenFile(subs, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteString(`{"id":"TORNBYTHEKILL","reference":"CLA-TO`)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	again := startWizard(t, ctx, bin, args...)
	res, err := http.Get(again.url)
	if err != nil {
		t.Fatalf("GET / after the restart: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET / after the restart: %d, want 200", res.StatusCode)
	}
	if err := again.terminate(t, ctx); err != nil {
		t.Errorf("exit after SIGTERM: %v, want a clean exit\n%s", err, again.stderr.String())
	}
	if after, torn := storedReferences(t, subs); len(torn) != 0 || len(after) != len(stored) {
		t.Errorf("after the restart the file holds %d submissions and %d torn bytes; want %d and 0", len(after), len(torn), len(stored))
	}
}
