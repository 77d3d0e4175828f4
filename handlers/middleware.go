package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// contentSecurityPolicy allows scripts and styles from our own origin only:
// no inline script or style, no eval, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// headerValues are the header values most responses carry, each made once
// in a slice of its own with no spare capacity: setting one on a response
// allocates nothing, and an Add to the same key appends past the capacity,
// which copies, so the shared values are never written.
type headerValues struct {
	csp, nosniff, referrer, html, noStore, varyCookie, varyHTMX []string
	// varyBoth is varyCookie then varyHTMX, which pages with a session
	// send (see add).
	varyBoth []string
}

func newHeaderValues() headerValues {
	one := func(v string) []string { return []string{v}[:1:1] }
	return headerValues{
		csp:        one(contentSecurityPolicy),
		nosniff:    one("nosniff"),
		referrer:   one("same-origin"),
		html:       one("text/html; charset=utf-8"),
		noStore:    one("no-store"),
		varyCookie: one("Cookie"),
		varyHTMX:   one("HX-Request, HX-Request-Type"),
		varyBoth:   []string{"Cookie", "HX-Request, HX-Request-Type"}[:2:2],
	}
}

// add adds the shared values v to key, like Header.Add. varyHTMX added to
// varyCookie, as every page of a session has them, is varyBoth: no copy.
func (hv headerValues) add(h http.Header, key string, v []string) {
	old := h[key]
	if len(old) == 1 && len(v) == 1 && &old[0] == &hv.varyCookie[0] && &v[0] == &hv.varyHTMX[0] {
		h[key] = hv.varyBoth
		return
	}
	if len(old) > 0 {
		h[key] = append(old, v...)
		return
	}
	h[key] = v
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = s.hdr.csp
		h["X-Content-Type-Options"] = s.hdr.nosniff
		h["Referrer-Policy"] = s.hdr.referrer
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies at cfg.MaxBody; reading past it fails with
// *http.MaxBytesError, which the form handlers answer with 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBody {
			s.fail(w, r, http.StatusRequestEntityTooLarge, nil)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request (method, path, status, duration;
// never the session cookie) and turns a panic into a friendly 500 page.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				if !sw.wrote {
					s.fail(sw, r, http.StatusInternalServerError, fmt.Errorf("panic: %v", p))
				} else {
					s.log().Error("panic after response started", "path", r.URL.Path, "panic", p)
				}
			}
			d := time.Since(start)
			route := sw.route
			if route == "" {
				route = r.Pattern // set by the root ServeMux
			}
			if route == unmatchedPattern || route == "" {
				route = "unmatched"
			}
			s.metrics.observe(route, sw.status(), d)
			s.log().LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.Int("status", sw.status()), slog.Duration("duration", d))
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status a handler sent, and the route pattern
// of a wizard page that answered (see setRoute).
type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
	route string
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.code, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if !w.wrote {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
