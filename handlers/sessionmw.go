package handlers

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionLoaded keys the token the request's cookie named ("" for none)
// in a context that went through withSession. Its presence also says that
// scs can be asked about the session: scs panics on a context without one.
type sessionLoaded struct{}

// cookieToken returns the token the request's cookie named, as withSession
// read it.
func cookieToken(r *http.Request) string {
	token, _ := r.Context().Value(sessionLoaded{}).(string)
	return token
}

// withSession runs next with the request's session loaded, and saves it
// before the first byte of the response. Unlike scs's LoadAndSave it
//   - holds the session's lock from load to save, so two requests of one
//     session (a double click, two tabs) never overwrite each other;
//   - answers 503 with a friendly page, instead of 500 or a half-sent page,
//     when the store cannot load or save the session.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hdr.add(w.Header(), "Vary", s.hdr.varyCookie)
		var token string
		if c, err := r.Cookie(s.cfg.CookieName); err == nil {
			token = c.Value
		}
		sw := &sessionWriter{ResponseWriter: w, s: s}
		defer sw.unlock() // if the handler panicked before its response began
		if token != "" {
			unlock, err := s.lock(r.Context(), token)
			if err != nil {
				if r.Context().Err() != nil {
					return // the client hung up while waiting; nobody to answer
				}
				s.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("lock session: %w", err))
				return
			}
			sw.release = unlock
		}
		ctx, err := s.sessions.Load(r.Context(), token)
		if err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("load session: %w", err))
			return
		}
		r = r.WithContext(context.WithValue(ctx, sessionLoaded{}, token))
		sw.r = r
		next.ServeHTTP(sw, r)
		if !sw.started {
			sw.WriteHeader(http.StatusOK)
		}
	})
}

// lock takes the session's lock, waiting at most cfg.LockWait. A free
// session, the usual case, is taken without setting up the wait.
func (s *Server) lock(ctx context.Context, token string) (unlock func(), err error) {
	if t, ok := s.deps.Locker.(TryLocker); ok {
		if unlock, ok := t.TryLock(token); ok {
			return unlock, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.LockWait)
	defer cancel()
	return s.deps.Locker.Lock(ctx, token)
}

// sessionWriter saves the session when the handler starts its response,
// or earlier when the handler asks (see save). If the save fails, it sends
// the 503 page in place of the handler's response and discards what the
// handler writes.
//
// The session's lock is released once the session is saved, not when the
// handler returns: rendering and sending the page, the request log and the
// metrics do not need it, and the next request of the session need not
// wait for them.
type sessionWriter struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	release func() // unlocks the session; nil once done, or if never locked
	saved   bool
	failed  bool // the save failed and the 503 page went out
	started bool // the handler's response began
}

// unlock releases the session's lock, if held.
func (w *sessionWriter) unlock() {
	if w.release != nil {
		w.release()
		w.release = nil
	}
}

// save saves the session, once, and lets go of its lock. It reports
// whether the save worked; if not, the 503 page has been sent in place of
// the handler's response. The session must not change after save.
func (w *sessionWriter) save() bool {
	if w.saved {
		return !w.failed
	}
	w.saved = true
	err := w.s.commit(w.ResponseWriter, w.r)
	w.unlock()
	if err != nil {
		w.failed = true
		h := w.Header()
		for _, k := range []string{"Location", "Hx-Push-Url", "Hx-Location", "Hx-Redirect", "Set-Cookie", "Content-Length"} {
			h.Del(k)
		}
		w.s.fail(w.ResponseWriter, w.r, http.StatusServiceUnavailable, fmt.Errorf("save session: %w", err))
	}
	return !w.failed
}

func (w *sessionWriter) WriteHeader(code int) {
	if w.started {
		if !w.failed {
			w.ResponseWriter.WriteHeader(code)
		}
		return
	}
	w.started = true
	if w.save() {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *sessionWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	if w.failed {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *sessionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// commit saves a modified session and sets its cookie, or clears the cookie
// of a destroyed one. A browser-session cookie the browser already holds is
// not sent again: only a persistent cookie's expiry moves with each save.
func (s *Server) commit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	switch s.sessions.Status(ctx) {
	case scs.Modified:
		token, expiry, err := s.sessions.Commit(ctx)
		if err != nil {
			return err
		}
		if token == cookieToken(r) && !s.cfg.Persist {
			return nil
		}
		s.sessions.WriteSessionCookie(ctx, w, token, expiry)
	case scs.Destroyed:
		s.sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	}
	return nil
}
