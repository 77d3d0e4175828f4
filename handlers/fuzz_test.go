package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/demo"
	"github.com/wizard/wizard/handlers"
)

// fuzzHandler is the demo wizards' handler on a memory store, with no rate
// limits and a sink in a temporary directory.
func fuzzHandler(f *testing.F, store *memstore.MemStore) http.Handler {
	f.Helper()
	catalog, err := wizard.NewCatalog(demo.Wizards()...)
	if err != nil {
		f.Fatal(err)
	}
	srv, err := handlers.New(noLimits(), handlers.Deps{
		Wizards: catalog, Store: store, Sink: newJSONL(f), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		f.Fatal(err)
	}
	return srv
}

// fuzzPaths are the pages a fuzzed request goes to, by index.
var fuzzPaths = []string{
	"/classic/name", "/classic/job", "/classic/review", "/classic/submit", "/classic/done", "/classic/restart",
	"/register/details", "/register/ticket", "/register/talk", "/register/diet", "/register/review", "/register/submit",
	"/", "/keepalive", "/classic/",
}

// FuzzFormBody: whatever a client posts, with whatever content type, to
// any page, the answer is never a 500 (a panic is one) nor a Go error.
func FuzzFormBody(f *testing.F) {
	store := memstore.New()
	srv := fuzzHandler(f, store)
	for _, seed := range []struct {
		path  uint8
		ctype string
		body  string
	}{
		{0, "application/x-www-form-urlencoded", "v1=Ada"},
		{1, "application/x-www-form-urlencoded", "v2=Engineer"},
		{3, "application/x-www-form-urlencoded", "submission=7K3Q9ABCDEFGHJKMNPQRSTVWX"},
		{6, "application/x-www-form-urlencoded", "name=Grace+Hopper&email=grace%40example.com"},
		{7, "application/x-www-form-urlencoded; charset=utf-8", "ticket=speaker&ticket=regular"},
		{9, "application/x-www-form-urlencoded", "diet=vegan&diet=other&diet_other=%E2%80%AEevil"},
		{0, "application/x-www-form-urlencoded", "v1=%00%01%zz"},
		{1, "multipart/form-data; boundary=x", "--x\r\n"},
		{2, "", ""},
		{13, "text/plain", "x"},
	} {
		f.Add(seed.path, seed.ctype, seed.body, false)
		f.Add(seed.path, seed.ctype, seed.body, true)
	}
	f.Fuzz(func(t *testing.T, path uint8, ctype, body string, htmx bool) {
		p := fuzzPaths[int(path)%len(fuzzPaths)]
		// A session with the first answers of both wizards, then the post.
		cookie := startFuzzSession(t, srv)
		req := httptest.NewRequest("POST", p, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		checkFuzzResponse(t, w, "POST "+p)
	})
}

// FuzzStoredSession: whatever bytes a store holds for a session, every
// page answers without a 500, a panic or a Go error.
func FuzzStoredSession(f *testing.F) {
	store := memstore.New()
	srv := fuzzHandler(f, store)
	f.Add([]byte{}, uint8(1))
	f.Add([]byte("garbage"), uint8(2))
	f.Add([]byte("W\x00\x01\x0fanswers/classic\x1bname.v1=Ada&job.v2=Engineer"), uint8(2))
	f.Add([]byte("W\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x01\x0fanswers/classic\x07name.v1"), uint8(4))
	f.Add([]byte("W\x00\x01\x12submitted/classic\x0bid=X&ref=CL"), uint8(4))
	f.Fuzz(func(t *testing.T, b []byte, path uint8) {
		const token = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuz"
		if err := store.Commit(storeKey(token), b, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		p := fuzzPaths[int(path)%len(fuzzPaths)]
		req := httptest.NewRequest("GET", p, nil)
		req.AddCookie(&http.Cookie{Name: "session", Value: token})
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		checkFuzzResponse(t, w, "GET "+p)
	})
}

// startFuzzSession answers the first step of both demo wizards in a new
// session and returns its cookie.
func startFuzzSession(t *testing.T, srv http.Handler) *http.Cookie {
	t.Helper()
	var cookie *http.Cookie
	for _, step := range []struct{ path, body string }{
		{"/classic/name", "v1=Ada"},
		{"/register/details", "name=Grace+Hopper&email=grace%40example.com"},
	} {
		req := httptest.NewRequest("POST", step.path, strings.NewReader(step.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if cs := w.Result().Cookies(); len(cs) > 0 {
			cookie = cs[0]
		}
		if w.Code != http.StatusSeeOther || cookie == nil {
			t.Fatalf("POST %s: %d, cookie %v\n%s", step.path, w.Code, cookie, w.Body)
		}
	}
	return cookie
}

func checkFuzzResponse(t *testing.T, w *httptest.ResponseRecorder, what string) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: status %d\n%s", what, w.Code, w.Body)
	}
	for _, leak := range []string{"runtime error", "panic", "goroutine ", "corrupt session"} {
		if strings.Contains(w.Body.String(), leak) {
			t.Fatalf("%s: the page shows %q\n%s", what, leak, w.Body)
		}
	}
}
