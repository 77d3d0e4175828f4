package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const okForm = "version: 1\ntitle: %s\nsteps:\n  - name: first\n    title: First step\n    fields: [{name: a, label: A}]\n"

func writeForm(t *testing.T, dir, name, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func formWithTitle(title string) string { return strings.Replace(okForm, "%s", title, 1) }

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	writeForm(t, dir, "good.yaml", formWithTitle("Good"))
	env := func(string) string { return "" }
	var out, errs bytes.Buffer
	if code := check([]string{dir}, env, &out, &errs); code != 0 || !strings.Contains(out.String(), "ok: 1 wizard in "+dir+": good") {
		t.Fatalf("good dir: exit %d, stdout %q, stderr %q", code, out.String(), errs.String())
	}

	writeForm(t, dir, "bad.yaml", "version: 1\ntitle: Bad\nsteps:\n  - name: s\n    title: S\n    next: [{goto: nowhere}]\n    colour: red\n")
	writeForm(t, dir, "worse.json", `{"version": 1, "title": "W", "steps": [{"name": "review", "title": "R"}]}`)
	out.Reset()
	errs.Reset()
	code := check(nil, func(k string) string { return map[string]string{"WIZARD_FORMS": dir}[k] }, &out, &errs)
	if code != 1 {
		t.Errorf("bad dir: exit %d, want 1", code)
	}
	for _, want := range []string{
		"3 mistakes in the wizard definitions:",
		filepath.Join(dir, "bad.yaml") + `:6:19: steps[0].next[0].goto: unknown step "nowhere"`,
		filepath.Join(dir, "bad.yaml") + `:7:5: steps[0].colour: unknown key "colour"`,
		filepath.Join(dir, "worse.json") + `:1:49: steps[0].name: step name "review" is reserved`,
	} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs.String())
		}
	}
	if out.Len() != 0 {
		t.Errorf("stdout on mistakes: %q", out.String())
	}
	if code := check([]string{"-x", "y"}, env, &out, &errs); code != 2 {
		t.Errorf("usage: exit %d, want 2", code)
	}
	out.Reset()
	if code := check(nil, env, &out, io.Discard); code != 0 || !strings.Contains(out.String(), "classic, register") {
		t.Errorf("no dir: exit %d, %q; want the embedded demo checked", code, out.String())
	}
}

// serve runs the command with args until the test ends and returns its
// address.
func serve(t *testing.T, log io.Writer, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	args = append([]string{"-addr", "127.0.0.1:0", "-submissions", filepath.Join(t.TempDir(), "s.jsonl")}, args...)
	go func() { done <- run(ctx, args, func(string) string { return "" }, log, ready) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// eventually polls cond for up to 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting: %s", what)
}

func TestRunRefusesMistakes(t *testing.T) {
	dir := t.TempDir()
	writeForm(t, dir, "a.yaml", "version: 1\ntitle: A\nsteps: [{name: s, title: S, fields: [{name: f, label: F, kind: colour}]}]\n")
	writeForm(t, dir, "b.yaml", "version: 1\ntitl: B\n")
	ready := make(chan string, 1)
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-forms", dir}, func(string) string { return "" }, io.Discard, ready)
	if err == nil {
		t.Fatal("run started on definitions with mistakes")
	}
	for _, want := range []string{"3 mistakes", "a.yaml:3:64: steps[0].fields[0].kind: unknown kind", `b.yaml:2:1: titl: unknown key "titl" (did you mean "title"?)`, `b.yaml:1:1: steps: missing "steps"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if len(ready) > 0 {
		t.Error("it listened")
	}
}

func TestReloadOnSIGHUPKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	writeForm(t, dir, "mine.yaml", formWithTitle("Version one"))
	var log lockedBuffer
	addr := serve(t, &log, "-forms", dir)
	if _, body := get(t, "http://"+addr+"/"); !strings.Contains(body, "Version one") {
		t.Fatalf("list of wizards lacks the file's wizard:\n%s", body)
	}
	if code, _ := get(t, "http://"+addr+"/classic/name"); code != http.StatusNotFound {
		t.Errorf("the demo is served beside -forms: %d", code)
	}

	writeForm(t, dir, "mine.yaml", formWithTitle("Version two"))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, "version two served", func() bool {
		_, body := get(t, "http://"+addr+"/")
		return strings.Contains(body, "Version two")
	})

	writeForm(t, dir, "mine.yaml", "version: 1\ntitle: Version three\nsteps: [{name: first, title: F, next: [{goto: gone}]}]\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the mistake logged", func() bool { return strings.Contains(log.String(), `unknown step \"gone\"`) })
	if _, body := get(t, "http://"+addr+"/"); !strings.Contains(body, "Version two") || strings.Contains(body, "Version three") {
		t.Errorf("after a reload with mistakes, want version two still served:\n%s", body)
	}
	if !strings.Contains(log.String(), "still serving the definitions loaded before") {
		t.Errorf("log does not say the old definitions stay:\n%s", log.String())
	}
}

func TestWatchReloadsAndTellsTheProxy(t *testing.T) {
	dir := t.TempDir()
	writeForm(t, dir, "mine.yaml", formWithTitle("Before"))
	told := make(chan string, 10)
	proxy := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { told <- r.Method + " " + r.URL.Path })}
	pl, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	go proxy.Serve(pl)
	t.Cleanup(func() { proxy.Close() })

	addr := serve(t, io.Discard, "-forms", dir, "-watch", "-reload-url", "http://"+pl.Addr().String()+"/_templ/reload/events")
	time.Sleep(50 * time.Millisecond) // a different modification time, even on coarse clocks
	writeForm(t, dir, "mine.yaml", formWithTitle("After the save"))
	eventually(t, "the saved file served", func() bool {
		_, body := get(t, "http://"+addr+"/")
		return strings.Contains(body, "After the save")
	})
	select {
	case got := <-told:
		if got != "POST /_templ/reload/events" {
			t.Errorf("proxy got %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Error("the proxy was not told to reload the browser")
	}
}

func netListen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
