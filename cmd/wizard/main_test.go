package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"WIZARD_IDLE_TIMEOUT": "10m", "WIZARD_COOKIE_NAME": "wiz", "WIZARD_PERSIST": "true"}
	o, err := parseFlags([]string{"-cookie-name", "flagged", "-addr", "127.0.0.1:9999"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.IdleTimeout != 10*time.Minute || !o.cfg.Persist {
		t.Errorf("environment ignored: %+v", o.cfg)
	}
	if o.cfg.CookieName != "flagged" || o.addr != "127.0.0.1:9999" {
		t.Errorf("flags must win over the environment: %+v addr %q", o.cfg, o.addr)
	}

	d, err := parseFlags(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if d.addr != "localhost:8080" || d.cfg.IdleTimeout != 30*time.Minute || d.cfg.Lifetime != 24*time.Hour ||
		d.cfg.CookieName != "session" || d.cfg.Persist || d.cfg.CookieSecure {
		t.Errorf("defaults = %+v addr %q", d.cfg, d.addr)
	}

	if d.cfg.NewSessionsPerMinute != 60 || d.cfg.SubmitsPerMinute != 30 || len(d.cfg.TrustedProxies) != 0 {
		t.Errorf("rate limit defaults = %d, %d, %v; want 60, 30, none", d.cfg.NewSessionsPerMinute, d.cfg.SubmitsPerMinute, d.cfg.TrustedProxies)
	}
	p, err := parseFlags([]string{"-trusted-proxies", "10.0.0.0/8, 192.0.2.7,2001:db8::/32", "-session-rate", "0"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(p.cfg.TrustedProxies); got != "[10.0.0.0/8 192.0.2.7/32 2001:db8::/32]" || p.cfg.NewSessionsPerMinute != 0 {
		t.Errorf("-trusted-proxies = %s, -session-rate = %d", got, p.cfg.NewSessionsPerMinute)
	}

	for _, bad := range [][]string{{"-idle-timeout", "soon"}, {"-lifetime", "0s"}, {"-cookie-name", ""}, {"extra"}, {"-max-sessions", "0"},
		{"-session-rate", "-1"}, {"-submit-rate", "-5"}, {"-trusted-proxies", "10.0.0.0/33"}, {"-trusted-proxies", "proxy.example"}} {
		if _, err := parseFlags(bad, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := parseFlags(nil, func(k string) string { return map[string]string{"WIZARD_PERSIST": "maybe"}[k] }, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "WIZARD_PERSIST") {
		t.Errorf("bad environment value: err = %v", err)
	}
}

func TestHelpDocumentsFlags(t *testing.T) {
	var out bytes.Buffer
	_, err := parseFlags([]string{"-h"}, func(string) string { return "" }, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"-addr", "-idle-timeout", "-lifetime", "-cookie-name", "-cookie-secure", "-persist", "-store", "-max-sessions", "-session-rate", "-submit-rate", "-trusted-proxies", "-sink", "-submissions", "-pprof", "-forms", "-watch", "-reload-url", "WIZARD_"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunServesAndShutsDownGracefully: run serves the demo, and when its
// context ends it stops listening and returns without error.
func TestRunServesAndShutsDownGracefully(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	subs := filepath.Join(t.TempDir(), "submissions.jsonl")
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-submissions", subs}, func(string) string { return "" }, io.Discard, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	res, err := http.Get("http://" + addr + "/classic/name")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "What is your name?") {
		t.Fatalf("GET /classic/name: %d\n%s", res.StatusCode, body)
	}
	// /metrics shows the store's counters and the request durations.
	post, err := http.PostForm("http://"+addr+"/classic/name", map[string][]string{"v1": {"Ada"}})
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	res, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		"wizard_sessions_live 1", "wizard_sessions_created_total 1",
		"wizard_sessions_expired_total 0", "wizard_sessions_evicted_total 0", "wizard_sessions_refused_total 0",
		"wizard_store_mapped_bytes ",
		`wizard_http_request_duration_seconds_count{route="POST /{wizard}/{step}",status="303"} 1`,
		`wizard_http_request_duration_seconds_count{route="GET /{wizard}/{step}",status="200"} 2`, // the redirect followed
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, metrics)
		}
	}
	// A header far larger than any browser sends is refused.
	req, err := http.NewRequest("GET", "http://"+addr+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Padding", strings.Repeat("x", 64<<10))
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB header: %v, %v; want 431", res, err)
	} else {
		res.Body.Close()
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no shutdown")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}
