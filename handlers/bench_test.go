package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sessionstore"
	"github.com/wizard/wizard/sinks"
)

// BenchmarkStepPost measures the hot path in process, without the network:
// an htmx POST of the classic wizard's second answer on an existing session
// (lock, session load, validation, save, rendering of the review partial,
// session commit).
func BenchmarkStepPost(b *testing.B) {
	for _, store := range []string{"sessionstore"} {
		b.Run(store, func(b *testing.B) {
			h, cookie := benchServer(b)
			body := url.Values{"v2": {"Analyst"}}.Encode()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/classic/job", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("HX-Request", "true")
				req.Header.Set("HX-Request-Type", "partial")
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Ada") {
					b.Fatalf("status %d\n%s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkStepGet measures showing a step with its saved answer.
func BenchmarkStepGet(b *testing.B) {
	h, cookie := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/classic/job", nil)
		req.Header.Set("HX-Request", "true")
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// benchServer returns the demo server on our memory store, with one session
// that answered the classic wizard's first step.
func benchServer(b testing.TB) (http.Handler, *http.Cookie) {
	b.Helper()
	catalog, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		b.Fatal(err)
	}
	sink, err := sinks.OpenJSONL(filepath.Join(b.TempDir(), "s.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	store := sessionstore.New(sessionstore.Options{})
	b.Cleanup(func() { store.Close() })
	h, err := handlers.New(handlers.DefaultConfig(), handlers.Deps{
		Wizards: catalog, Store: store, Sink: sink, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/classic/name", strings.NewReader("v1=Ada"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		b.Fatalf("no session cookie: %d", rec.Code)
	}
	return h, cookies[0]
}
