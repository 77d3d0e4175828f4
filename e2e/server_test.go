package e2e

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/definition"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sinks"
)

// server is the real handler of the demo wizards on 127.0.0.1, appending
// submissions to a file of its own and remembering every exchange.
type server struct {
	*httptest.Server
	// app is the handler, for tests that change the wizards it serves
	// (SetWizards).
	app         *handlers.Server
	submissions string

	mu        sync.Mutex
	exchanges []exchange
}

// exchange is one request to the server and the kind of its answer.
type exchange struct {
	Method, Path string
	// HX and Restore are the htmx headers HX-Request and
	// HX-History-Restore-Request.
	HX, Restore bool
	Status      int
	// Full is true when the answer was a whole HTML document.
	Full bool
}

// newServer starts the demo wizards with cfg; every test has its own.
func newServer(tb testing.TB, cfg handlers.Config) *server {
	tb.Helper()
	catalog, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		tb.Fatal(err)
	}
	return newCatalogServer(tb, cfg, catalog)
}

// newCatalogServer starts the wizards of catalog with cfg.
func newCatalogServer(tb testing.TB, cfg handlers.Config, catalog *wizard.Catalog) *server {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "submissions.jsonl")
	h, err := newHandler(cfg, catalog, path)
	if err != nil {
		tb.Fatal(err)
	}
	s := &server{app: h, submissions: path}
	s.Server = httptest.NewServer(s.record(h))
	tb.Cleanup(s.Close)
	return s
}

// record notes every exchange with next, static files aside.
func (s *server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		rw := &recorder{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.exchanges = append(s.exchanges, exchange{
			Method:  r.Method,
			Path:    r.URL.RequestURI(),
			HX:      r.Header.Get("HX-Request") == "true",
			Restore: r.Header.Get("HX-History-Restore-Request") == "true",
			Status:  rw.status(),
			Full:    bytes.HasPrefix(bytes.ToLower(rw.head), []byte("<!doctype html>")),
		})
	})
}

// log returns the exchanges so far, in order.
func (s *server) log() []exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.exchanges)
}

// recorder keeps the status and the first bytes of a response.
type recorder struct {
	http.ResponseWriter
	code int
	head []byte
}

func (w *recorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	if n := 32 - len(w.head); n > 0 {
		w.head = append(w.head, b[:min(n, len(b))]...)
	}
	return w.ResponseWriter.Write(b)
}

func (w *recorder) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// newHandler builds the server's handler the way cmd/wizard does, with
// sessions in memory. It is the one place that knows handlers.New.
func newHandler(cfg handlers.Config, catalog *wizard.Catalog, submissions string) (*handlers.Server, error) {
	sink, err := sinks.OpenJSONL(submissions)
	if err != nil {
		return nil, err
	}
	return handlers.New(cfg, handlers.Deps{
		Wizards: catalog,
		Store:   memstore.New(),
		Sink:    sink,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

// loadCatalog loads the definition files of dir, as wizard -forms DIR
// does.
func loadCatalog(tb testing.TB, dir string) *wizard.Catalog {
	tb.Helper()
	ws, err := definition.LoadDir(dir)
	if err != nil {
		tb.Fatalf("load %s: %v", dir, err)
	}
	catalog, err := wizard.NewCatalog(ws...)
	if err != nil {
		tb.Fatalf("catalog of %s: %v", dir, err)
	}
	return catalog
}

// dirServer serves the definition files of dir with the documented
// defaults.
func dirServer(tb testing.TB, dir string) *server {
	tb.Helper()
	return newCatalogServer(tb, handlers.DefaultConfig(), loadCatalog(tb, dir))
}

// defaultServer starts the demo with the documented defaults.
func defaultServer(tb testing.TB) *server {
	tb.Helper()
	return newServer(tb, handlers.DefaultConfig())
}

// idleServer starts the demo with a short idle timeout.
func idleServer(tb testing.TB, idle time.Duration) *server {
	tb.Helper()
	cfg := handlers.DefaultConfig()
	cfg.IdleTimeout = idle
	return newServer(tb, cfg)
}

// submitted returns the lines of the submissions file: one per stored
// submission.
func (s *server) submitted(tb testing.TB) [][]byte {
	tb.Helper()
	b, err := os.ReadFile(s.submissions)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	if len(b) == 0 {
		return nil
	}
	return bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
}
