package handlers_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
	"github.com/wizard/wizard/sessionlock"
)

// watchedLocker is sessionlock.Local that records whether a lock is held.
type watchedLocker struct {
	local *sessionlock.Local
	mu    sync.Mutex
	held  int
}

func (l *watchedLocker) Lock(ctx context.Context, token string) (context.Context, func(), error) {
	held, unlock, err := l.local.Lock(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	l.mu.Lock()
	l.held++
	l.mu.Unlock()
	return held, func() {
		l.mu.Lock()
		l.held--
		l.mu.Unlock()
		unlock()
	}, nil
}

func (l *watchedLocker) holding() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held
}

// bodyWatcher notes whether a lock was held when the body began.
type bodyWatcher struct {
	*httptest.ResponseRecorder
	locker     *watchedLocker
	heldAtBody int
	wrote      bool
}

func (w *bodyWatcher) Write(b []byte) (int, error) {
	if !w.wrote {
		w.wrote, w.heldAtBody = true, w.locker.holding()
	}
	return w.ResponseRecorder.Write(b)
}

// newDemoHandler returns the demo wizards' handler on store, with locker
// (nil: the default). Nothing is submitted through it.
func newDemoHandler(t *testing.T, store scs.Store, locker handlers.Locker) http.Handler {
	t.Helper()
	catalog, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := handlers.New(handlers.DefaultConfig(), handlers.Deps{
		Wizards: catalog, Store: store, Locker: locker, Sink: failingSink{},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// The session's lock is released once the session is saved, before the
// page is sent: the next request of the session does not wait for the
// response to reach the client.
func TestSessionLockReleasedOnceSaved(t *testing.T) {
	locker := &watchedLocker{local: sessionlock.NewLocal()}
	srv := newDemoHandler(t, memstore.New(), locker)
	post := func(path, body string, cookie *http.Cookie) *bodyWatcher {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		w := &bodyWatcher{ResponseRecorder: httptest.NewRecorder(), locker: locker}
		srv.ServeHTTP(w, req)
		return w
	}
	first := post("/classic/name", "v1=Ada", nil)
	cookies := first.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("no session cookie (status %d)", first.Code)
	}
	w := post("/classic/job", "v2=Engineer", cookies[0])
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Engineer") {
		t.Fatalf("status %d, body %q", w.Code, w.Body)
	}
	if !w.wrote || w.heldAtBody != 0 {
		t.Errorf("body written = %v with %d session locks held, want written with none", w.wrote, w.heldAtBody)
	}
	if n := locker.holding(); n != 0 {
		t.Errorf("%d locks held after the request", n)
	}
}

// commitFailing is a store whose Commit fails once failing is set.
type commitFailing struct {
	*memstore.MemStore
	mu      sync.Mutex
	failing bool
}

func (s *commitFailing) Commit(token string, b []byte, expiry time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return errors.New("store is read-only")
	}
	return s.MemStore.Commit(token, b, expiry)
}

// When the session cannot be saved, the next step is not sent: the user
// gets the step again with what they typed and a 503 saying why, without
// the address change htmx would follow, with or without htmx.
func TestSaveFailureSendsUnavailablePage(t *testing.T) {
	store := &commitFailing{MemStore: memstore.New()}
	srv := newDemoHandler(t, store, nil)
	post := func(body string, htmx bool, cookie *http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/classic/name", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	first := post("v1=Ada", false, nil)
	cookies := first.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("no session cookie (status %d)", first.Code)
	}
	store.mu.Lock()
	store.failing = true
	store.mu.Unlock()
	for _, htmx := range []bool{true, false} {
		w := post("v1=Grace", htmx, cookies[0])
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "temporarily unavailable") ||
			!strings.Contains(w.Body.String(), `value="Grace"`) {
			t.Errorf("htmx %v: status %d, body %q; want the 503 page", htmx, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "what is your job") || w.Header().Get("HX-Push-Url") != "" || w.Header().Get("Location") != "" {
			t.Errorf("htmx %v: the next step leaked into the 503 response: %v\n%s", htmx, w.Header(), w.Body)
		}
	}
}
