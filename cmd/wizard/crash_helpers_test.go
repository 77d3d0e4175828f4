package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildWizard builds the command into dir with the test's own toolchain
// and returns the binary's path.
func buildWizard(t *testing.T, ctx context.Context, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "wizard")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/wizard/wizard/cmd/wizard")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running wizard binary.
type process struct {
	cmd    *exec.Cmd
	url    string // http://127.0.0.1:port/
	stderr *logWatch
	exited chan struct{}
	err    error // Wait's, once exited is closed
}

// startWizard starts bin with args and waits for it to log the address
// it listens on. The process is killed when the test ends, if it is still
// running.
func startWizard(t *testing.T, ctx context.Context, bin string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), stderr: newLogWatch(), exited: make(chan struct{})}
	p.cmd.Stderr = p.stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WIZARD_") { // the flags alone say how it runs
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.WaitDelay = time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("stderr of %s, its end:\n%s", strings.Join(p.cmd.Args, " "), p.stderr.tail(4<<10))
		}
	})
	select {
	case p.url = <-p.stderr.listening:
	case <-p.exited:
		t.Fatalf("%s exited before listening: %v\n%s", strings.Join(p.cmd.Args, " "), p.err, p.stderr.String())
	case <-ctx.Done():
		t.Fatalf("%s did not log a listening address:\n%s", strings.Join(p.cmd.Args, " "), p.stderr.String())
	}
	return p
}

// kill ends the process with SIGKILL and waits for it.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill: %v", err)
	}
	<-p.exited
}

// terminate sends SIGTERM and returns Wait's error, or fails the test if
// the process is still running when ctx ends.
func (p *process) terminate(t *testing.T, ctx context.Context) error {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-p.exited:
		return p.err
	case <-ctx.Done():
		t.Fatal("no exit after SIGTERM")
		return nil
	}
}

// logWatch keeps what a process writes to stderr and hands over the URL
// of its first "listening" line.
type logWatch struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	scanned   int
	pattern   *regexp.Regexp
	listening chan string
}

func newLogWatch() *logWatch {
	return &logWatch{
		// The line run logs when it starts serving.
		pattern:   regexp.MustCompile(`msg=listening url=(http://127\.0\.0\.1:[0-9]+/)`),
		listening: make(chan string, 1),
	}
}

// Write implements io.Writer.
func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		rest := w.buf.Bytes()[w.scanned:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return len(p), nil
		}
		if m := w.pattern.FindSubmatch(rest[:i]); m != nil {
			select {
			case w.listening <- string(m[1]):
			default:
			}
		}
		w.scanned += i + 1
	}
}

// tail returns the last lines written, up to n bytes.
func (w *logWatch) tail(n int) string {
	s := w.String()
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// String returns everything written so far.
func (w *logWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// receipt is what a user was shown: the submission's ID (from the review
// page's form) and the reference on the done page.
type receipt struct{ id, ref string }

// user completes the classic wizard the way a browser without JavaScript
// does, over and over.
type user struct {
	base string
	http *http.Client
	n    int
	// submission finds the hidden ID on the review page, reference the
	// reference on the done page.
	submission, reference *regexp.Regexp
}

func newUser(t *testing.T, base string, n int) *user {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u := &user{
		base:       strings.TrimSuffix(base, "/"),
		n:          n,
		submission: regexp.MustCompile(`name="submission" value="([0-9A-Z]+)"`),
		reference:  regexp.MustCompile(`data-testid="reference">([^<]+)<`),
		http: &http.Client{
			Jar:           jar,
			Timeout:       5 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	t.Cleanup(u.hangUp)
	return u
}

// comeFrom makes the user's next requests come from the kth loopback
// address after 127.0.0.1, on Linux, where all of 127.0.0.0/8 is the
// loopback interface's: the server's limits per client address (on
// submits, on new sessions) then see as many people as there are
// addresses, not one client, and do not decide how many submits the test
// makes. Elsewhere the address stays 127.0.0.1.
func (u *user) comeFrom(k int) {
	u.hangUp()
	d := &net.Dialer{Timeout: 2 * time.Second}
	if runtime.GOOS == "linux" {
		k += 2
		d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, byte(k>>16), byte(k>>8), byte(k))}
	}
	u.http.Transport = &http.Transport{DialContext: d.DialContext}
}

// hangUp closes the user's idle connections.
func (u *user) hangUp() {
	if tr, ok := u.http.Transport.(*http.Transport); ok {
		tr.CloseIdleConnections()
	}
}

// errRefused is a submit the server declined for now (429 or 503), which
// acknowledged nothing.
var errRefused = errors.New("submit refused for now")

// complete answers both steps, submits, and returns what the done page
// showed. A submit refused with 429 or 503 returns errRefused; the answers
// stay in the session, so the next call resubmits them.
func (u *user) complete(ctx context.Context, i int) (receipt, error) {
	if _, err := u.expect(ctx, "POST", "/classic/name", url.Values{"v1": {fmt.Sprintf("User %d", u.n)}}, http.StatusSeeOther); err != nil {
		return receipt{}, err
	}
	if _, err := u.expect(ctx, "POST", "/classic/job", url.Values{"v2": {fmt.Sprintf("Tester %d", i)}}, http.StatusSeeOther); err != nil {
		return receipt{}, err
	}
	review, err := u.expect(ctx, "GET", "/classic/review", nil, http.StatusOK)
	if err != nil {
		return receipt{}, err
	}
	m := u.submission.FindStringSubmatch(review)
	if m == nil {
		return receipt{}, fmt.Errorf("no submission ID on the review page:\n%s", review)
	}
	id := m[1]
	res, body, err := u.do(ctx, "POST", "/classic/submit", url.Values{"submission": {id}})
	if err != nil {
		return receipt{}, err
	}
	switch {
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable:
		return receipt{}, fmt.Errorf("POST /classic/submit: %d: %w", res.StatusCode, errRefused)
	case res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/classic/done":
		return receipt{}, fmt.Errorf("POST /classic/submit: %d to %q, want 303 to /classic/done:\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	done, err := u.expect(ctx, "GET", "/classic/done", nil, http.StatusOK)
	if err != nil {
		return receipt{}, err
	}
	m = u.reference.FindStringSubmatch(done)
	if m == nil {
		return receipt{}, fmt.Errorf("no reference on the done page:\n%s", done)
	}
	if strings.Contains(done, `data-testid="already"`) {
		return receipt{}, fmt.Errorf("a first submit of %s shown as already submitted", id)
	}
	return receipt{id: id, ref: m[1]}, nil
}

// expect makes a request and returns the body if the status is want.
func (u *user) expect(ctx context.Context, method, path string, form url.Values, want int) (string, error) {
	res, body, err := u.do(ctx, method, path, form)
	if err != nil {
		return "", err
	}
	if res.StatusCode != want {
		return "", fmt.Errorf("%s %s: status %d, want %d:\n%s", method, path, res.StatusCode, want, body)
	}
	return body, nil
}

// do makes a request and reads the whole answer.
func (u *user) do(ctx context.Context, method, path string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u.base+path, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := u.http.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, "", fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	return res, string(b), nil
}

// storedReferences reads a JSONL submissions file into a map from ID to
// reference. Every line ending in a newline must be a submission; a last
// line without one is what a kill in the middle of a write leaves, and is
// returned as torn rather than parsed.
func storedReferences(t *testing.T, path string) (refs map[string]string, torn []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	refs = map[string]string{}
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return refs, line
		}
		if err != nil {
			t.Fatal(err)
		}
		var sub struct{ ID, Reference string }
		if err := json.Unmarshal(line, &sub); err != nil {
			t.Fatalf("%s line %d: %v\n%q", path, n, err, line)
		}
		refs[sub.ID] = sub.Reference
	}
}
