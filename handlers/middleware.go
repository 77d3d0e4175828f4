package handlers

import (
	"fmt"
	"net/http"
	"time"
)

// contentSecurityPolicy allows scripts and styles from our own origin only:
// no inline script or style, no eval, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
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

// friendlyMux answers requests no route matches (404) or matches with the
// wrong method (405, with its Allow header) with our own error page instead
// of ServeMux's plain text.
func (s *Server) friendlyMux(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			setRoute(w, pattern)
			mux.ServeHTTP(w, r)
			return
		}
		probe := &headerProbe{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(probe, r)
		if allow := probe.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.fail(w, r, probe.status, nil)
	})
}

// headerProbe records the status and headers a handler would send and
// discards its body.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int)      { p.status = status }

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
				route = "unmatched"
			}
			s.metrics.observe(route, sw.status(), d)
			s.log().Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status(), "duration", d)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status a handler sent, and the route pattern
// that answered (see setRoute).
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
