package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard/delivery"
	"github.com/wizard/wizard/internal/pgtest"
)

// TestWebhookDelivery runs the command with a PostgreSQL sink and a
// webhook: a submission made through the server reaches the receiver,
// signed with the secret of the file, and /metrics counts it.
func TestWebhookDelivery(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	type call struct {
		id, ts, sig string
		body        []byte
	}
	calls := make(chan call, 10)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		calls <- call{r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), body}
	}))
	defer receiver.Close()
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	args := []string{"-addr", "127.0.0.1:0", "-session-rate", "0", "-sink", pgtest.URL(t),
		"-webhook-url", receiver.URL, "-webhook-secret-file", secretFile}
	go func() { done <- run(ctx, args, func(string) string { return "" }, io.Discard, ready) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("server did not start")
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	base := "http://" + addr
	for _, p := range []struct{ path, key, value string }{{"/classic/name", "v1", "Ada"}, {"/classic/job", "v2", "Analyst"}} {
		res, err := c.PostForm(base+p.path, url.Values{p.key: {p.value}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := c.Get(base + "/classic/review")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="submission" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("review without a submission ID:\n%s", page)
	}
	id := string(m[1])
	res, err = c.PostForm(base+"/classic/submit", url.Values{"submission": {id}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasSuffix(res.Request.URL.Path, "/classic/done") {
		t.Fatalf("submit: %d at %s", res.StatusCode, res.Request.URL)
	}

	select {
	case got := <-calls:
		if got.id != id {
			t.Errorf("webhook-id %q, want the submission ID %q", got.id, id)
		}
		sec, err := strconv.ParseInt(got.ts, 10, 64)
		if err != nil {
			t.Fatalf("webhook-timestamp %q", got.ts)
		}
		want, err := delivery.Sign(secret, got.id, time.Unix(sec, 0), got.body)
		if err != nil || got.sig != want {
			t.Errorf("webhook-signature %q, want %q (%v)", got.sig, want, err)
		}
		if !strings.Contains(string(got.body), `"type":"submission.created"`) || !strings.Contains(string(got.body), `"Analyst"`) {
			t.Errorf("body %s", got.body)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the receiver got nothing")
	}

	// The worker records the attempt once the receiver has answered.
	var metrics []byte
	eventually(t, "the delivery counted", func() bool {
		res, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ = io.ReadAll(res.Body)
		res.Body.Close()
		return strings.Contains(string(metrics), `wizard_delivery_attempts_total{status="200"} 1`)
	})
	for _, want := range []string{`wizard_submissions_stored_total{wizard="classic"} 1`, "wizard_deliveries_pending", `wizard_delivery_attempts_total{status="200"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestWebhookNeedsPostgresAndASecret(t *testing.T) {
	for _, args := range [][]string{
		{"-webhook-url", "http://127.0.0.1:1/"},
		{"-sink", "postgres://postgres@127.0.0.1:1/test", "-webhook-url", "http://127.0.0.1:1/"},
	} {
		err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "webhook") {
			t.Errorf("%q: %v, want a webhook error", args, err)
		}
	}
}
