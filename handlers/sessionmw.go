package handlers

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/wizard/wizard/sessionlock"
)

type sessionKey struct{}

// sessionOf returns the request's session, loaded by withSession; nil
// outside it.
func sessionOf(r *http.Request) *session { return sessionIn(r.Context()) }

// sessionIn returns the session of the request whose context ctx is (or
// derives from); nil outside withSession.
func sessionIn(ctx context.Context) *session {
	sess, _ := ctx.Value(sessionKey{}).(*session)
	return sess
}

// withSession runs next with the request's session loaded, and saves it
// before the first byte of the response. Unlike scs's LoadAndSave it
//   - holds the session's lock from load to save, so two requests of one
//     session (a double click, two tabs) never overwrite each other;
//   - answers 503 with a friendly page, instead of 500 or a half-sent page,
//     when the store cannot load or save the session;
//   - deletes a session it cannot decode, or one past its deadline that a
//     store kept, and starts the user afresh instead of failing forever.
//
// POST bodies are read before (see withForm), so the lock is never held
// while a client sends one.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hdr.add(w.Header(), "Vary", s.hdr.varyCookie)
		ctx := r.Context()
		token := s.sessionToken(ctx, r)
		sw := &sessionWriter{ResponseWriter: w, s: s}
		defer sw.unlock() // if the handler panicked before its response began
		if token != "" {
			held, unlock, err := s.lock(ctx, token)
			if err != nil {
				if ctx.Err() != nil {
					return // the client hung up while waiting; nobody to answer
				}
				s.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("lock session: %w", err))
				return
			}
			sw.release = unlock
			ctx = held
		}
		sess, err := s.loadSession(ctx, token)
		if err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, err)
			return
		}
		r = r.WithContext(context.WithValue(ctx, sessionKey{}, sess))
		sw.r = r
		next.ServeHTTP(sw, r)
		if !sw.started {
			sw.WriteHeader(http.StatusOK)
		}
	})
}

// sessionToken returns the session token the request's cookies name. A
// browser may send several cookies of our name (one planted by a sibling
// subdomain, or left over from another path): the first that names a live
// session wins, so a stale or planted cookie cannot hide the real one.
// Only then is the store asked more than once.
func (s *Server) sessionToken(ctx context.Context, r *http.Request) string {
	name := s.sessions.cookie.name
	first, n := "", 0
	for v := range namedCookies(r.Header, name) {
		if n == 0 {
			first = v
		}
		n++
	}
	if n < 2 {
		return first
	}
	first = ""
	for v := range namedCookies(r.Header, name) {
		if v == "" || v == first {
			continue
		}
		if first == "" {
			first = v
		}
		if _, found, err := s.sessions.find(ctx, sessionlock.StoreKey(v)); err == nil && found {
			return v
		}
	}
	return first
}

// namedCookies yields the values of the cookies named name in the header
// h, in order, as http.Request.CookiesNamed reads them (trimmed, without
// their double quotes, those with bytes a cookie may not hold left out),
// without allocating. name must be a valid cookie name.
func namedCookies(h http.Header, name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, line := range h["Cookie"] {
			for part := range strings.SplitSeq(line, ";") {
				k, v, _ := strings.Cut(textproto.TrimString(part), "=")
				if textproto.TrimString(k) != name {
					continue
				}
				if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
					v = v[1 : len(v)-1]
				}
				if validCookieValue(v) && !yield(v) {
					return
				}
			}
		}
	}
}

// validCookieValue reports whether v holds only bytes a cookie's value may
// hold, as net/http reads them.
func validCookieValue(v string) bool {
	for i := range len(v) {
		if b := v[i]; b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			return false
		}
	}
	return true
}

// loadSession loads token's session. A session whose data cannot be
// decoded, or whose deadline (the end of its lifetime) has passed, is
// deleted from the store and a fresh one begins: either would otherwise
// fail or outlive -lifetime on every request (a store need not check the
// deadline). The session records the token and whether the data was
// unreadable.
func (s *Server) loadSession(ctx context.Context, token string) (*session, error) {
	sess, err := s.sessions.load(ctx, token)
	unreadable := false
	switch {
	case err == nil:
		// A session not found starts afresh, with a deadline ahead.
		if token == "" || !time.Now().After(sess.deadline) {
			sess.cookieToken = token
			return sess, nil
		}
		s.log().Info("session past its deadline deleted")
	case errors.Is(err, errCorrupt):
		s.log().Error("unreadable session deleted; its user starts again", "err", err)
		unreadable = true
	default:
		return nil, fmt.Errorf("load session: %w", err)
	}
	if err := s.sessions.delete(ctx, sessionlock.StoreKey(token)); err != nil {
		return nil, fmt.Errorf("delete session: %w", err)
	}
	fresh := s.sessions.fresh()
	fresh.cookieToken, fresh.unreadable = token, unreadable
	return fresh, nil
}

// lock takes the session's lock, waiting at most cfg.LockWait. A free
// session, the usual case, is taken without setting up the wait.
func (s *Server) lock(ctx context.Context, token string) (held context.Context, unlock func(), err error) {
	if t, ok := s.deps.Locker.(TryLocker); ok {
		if unlock, ok := t.TryLock(token); ok {
			return ctx, unlock, nil
		}
	}
	wctx, cancel := context.WithTimeout(ctx, s.cfg.LockWait)
	defer cancel()
	held, unlock, err = s.deps.Locker.Lock(wctx, token)
	if err != nil {
		return nil, nil, err
	}
	// The lock outlives the wait: the request's own context, with what the
	// locker added, goes on.
	return reparent(held, ctx), unlock, nil
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
	err     error // of the save, once saved
	failed  bool  // the save failed and the 503 page went out
	started bool  // the handler's response began
}

// unlock releases the session's lock, if held.
func (w *sessionWriter) unlock() {
	if w.release != nil {
		w.release()
		w.release = nil
	}
}

// save saves the session, once, and lets go of its lock. It reports
// whether the save worked; if not, the 503 (or 429) page has been sent in
// place of the handler's response. The session must not change after save.
func (w *sessionWriter) save() bool {
	if w.saved {
		return !w.failed
	}
	if err := w.trySave(); err != nil {
		w.failed = true
		h := w.Header()
		for _, k := range []string{"Location", "Hx-Push-Url", "Hx-Location", "Hx-Redirect", "Set-Cookie", "Content-Length"} {
			h.Del(k)
		}
		w.s.fail(w.ResponseWriter, w.r, statusOf(err), fmt.Errorf("save session: %w", err))
	}
	return !w.failed
}

// trySave saves the session, once, and lets go of its lock, like save, but
// leaves the answer to the handler when the save fails: it returns the
// error, and the handler's response then goes out as it writes it (the
// session is not saved again).
func (w *sessionWriter) trySave() error {
	if w.saved {
		return w.err
	}
	w.saved = true
	w.err = w.s.commit(w.ResponseWriter, w.r)
	w.unlock()
	return w.err
}

// saveNow saves the request's session at once (see trySave), when w is the
// session middleware's writer.
func saveNow(w http.ResponseWriter) error {
	if sw, ok := w.(*sessionWriter); ok {
		return sw.trySave()
	}
	return nil
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
	// The request's body was read in full before the lock was taken: its
	// answers are saved even if the client has hung up since (after a
	// submit, the sink already has them, and a half-saved session would
	// leave the old cookie opening them). Only a store that takes a
	// context could be stopped by the request's end.
	ctx := r.Context()
	if s.sessions.ctxStore != nil {
		ctx = context.WithoutCancel(ctx)
	}
	sess := sessionIn(ctx)
	switch sess.status {
	case modified:
		if sess.token == "" {
			if ok, retry := s.newSessions.Allow(s.clientKey(r)); !ok {
				return &limited{what: "new_session", retryAfter: retry}
			}
		}
		token, expiry, err := s.sessions.commit(ctx, sess)
		if err != nil {
			return err
		}
		if token == sess.cookieToken && !s.cfg.Persist {
			return nil
		}
		s.sessions.writeCookie(w, token, expiry)
	case destroyed:
		s.sessions.writeCookie(w, "", time.Time{})
	}
	return nil
}

// reparent returns ctx with, in addition, the values of values: the
// locker's context (with the lease) derives from the bounded wait for the
// lock, which ends as soon as the lock is taken, while the request goes
// on under ctx's deadline and cancellation.
func reparent(values, ctx context.Context) context.Context {
	return reparented{Context: ctx, values: values}
}

type reparented struct {
	context.Context
	values context.Context
}

// Value looks in ctx first, so that contexts derived from this one find
// ctx's cancellation (and need no goroutine to follow it).
func (c reparented) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.values.Value(key)
}
