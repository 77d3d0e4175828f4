package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wizard/wizard"
	"github.com/wizard/wizard/ratelimit"
	"github.com/wizard/wizard/sessionlock"
	"github.com/wizard/wizard/views"
)

// Server serves a catalog of wizards over HTTP. Create it with New; it is an
// http.Handler, served at the root of a site or, with Config.Prefix, under a
// path of someone else's http.ServeMux.
type Server struct {
	cfg   Config
	deps  Deps
	paths paths
	// renderFailed is the page sent when a page cannot be rendered at all.
	renderFailed string
	// wizards is the catalog served; SetWizards swaps it. A request reads
	// it once (see catalog), so it works with one catalog throughout.
	wizards  atomic.Pointer[wizard.Catalog]
	sessions *sessions
	assets   *assets
	metrics  *metrics
	handler  http.Handler
	hdr      headerValues
	bufs     sync.Pool // of *bytes.Buffer, see buffer
	// newSessions and submits limit, per client, how fast sessions start
	// and submissions arrive; nil means no limit.
	newSessions, submits *ratelimit.Limiter
	// session is what pages with a session tell their script (the same
	// for every page: built once).
	session *views.Session
}

// Deps are what the server works with.
type Deps struct {
	// Wizards are the wizards served, until SetWizards replaces them.
	Wizards *wizard.Catalog
	// Store keeps the sessions. A store that implements scs.CtxStore is
	// given each request's context, which carries the lease the Locker
	// took (sessionlock.HeldFrom): a store shared between processes should
	// save and delete only while that lease is held (see backends), and
	// never save a session whose expiry has passed.
	Store scs.Store
	// Locker serializes the requests of one session, from loading it to
	// saving it, so that concurrent requests never lose each other's
	// answers. Nil means a lock within this process only (sessionlock.Local).
	Locker Locker
	// Sink receives completed submissions.
	Sink wizard.Sink
	// Ping reports whether the store is reachable, for /healthz; nil means
	// always.
	Ping func(context.Context) error
	// StoreStats reads the store's counters for /metrics; nil leaves them
	// out.
	StoreStats func() StoreStats
	// Collectors are more metrics for /metrics, such as a delivery
	// worker's.
	Collectors []prometheus.Collector
	// Log receives the request log and internal errors.
	Log *slog.Logger
	// Components are the program's own parts of the pages: the layout,
	// step components and custom fields' inputs; nil draws every page our
	// way. New and SetWizards refuse wizards that need a component it
	// does not have.
	Components *views.Components
	// Done, when set, runs after each submission the Sink stored (not
	// for a repeated submit), with the submission: say, to send a
	// confirmation. It runs before the done page is sent, bounded by
	// Config.DoneTimeout and not cancelled if the client hangs up; its
	// error is logged with the submission's reference, and the user sees
	// the done page all the same (the submission stands).
	Done func(ctx context.Context, sub wizard.Submission) error
}

// Locker locks a session for the length of one request. Lock waits until
// the session is free or ctx ends; unlock must be called exactly once. The
// returned context is ctx with what the store must know of the lock (a
// lease, see sessionlock.HeldFrom): the request's store calls use it. A
// lock that spans processes must expire by itself within seconds, so that a
// crashed holder cannot block a session for long, and is renewed while its
// request runs.
type Locker interface {
	Lock(ctx context.Context, token string) (held context.Context, unlock func(), err error)
}

// TryLocker is a Locker that can also take a free session's lock without
// waiting, which spares setting up a timeout on every request.
// sessionlock.Local is one.
type TryLocker interface {
	Locker
	TryLock(token string) (unlock func(), ok bool)
}

// New builds the server.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Wizards == nil || deps.Store == nil || deps.Sink == nil || deps.Log == nil {
		return nil, errors.New("handlers.New: Wizards, Store, Sink and Log are required")
	}
	if err := checkPrefix(cfg.Prefix); err != nil {
		return nil, fmt.Errorf("handlers.New: %w", err)
	}
	if cfg.Prefix != "" && strings.HasPrefix(cfg.CookieName, hostPrefix) {
		return nil, fmt.Errorf("handlers.New: cookie name %q: a %s cookie needs Path=/, which a server under prefix %q does not have", cfg.CookieName, hostPrefix, cfg.Prefix)
	}
	if err := deps.Components.Check(deps.Wizards.All()); err != nil {
		return nil, fmt.Errorf("handlers.New: %w", err)
	}
	if deps.Locker == nil {
		deps.Locker = sessionlock.NewLocal()
	}
	p := newPaths(cfg.Prefix)
	a, err := newAssets(wizard.Static(), cfg.StaticDir, p)
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	s := &Server{
		cfg:          cfg,
		deps:         deps,
		paths:        p,
		renderFailed: renderFailedPage(p.home),
		sessions:     newSessions(cfg, deps.Store),
		assets:       a,
		metrics:      newMetrics(deps.StoreStats, deps.Collectors),
		hdr:          newHeaderValues(),
	}
	s.session = &views.Session{IdleSeconds: int(cfg.IdleTimeout.Seconds()), KeepAliveURL: p.keepAlive}
	s.wizards.Store(deps.Wizards)
	if cfg.NewSessionsPerMinute > 0 {
		s.newSessions = ratelimit.New(ratelimit.Options{Rate: cfg.NewSessionsPerMinute, Per: time.Minute})
	}
	if cfg.SubmitsPerMinute > 0 {
		s.submits = ratelimit.New(ratelimit.Options{Rate: cfg.SubmitsPerMinute, Per: time.Minute})
	}
	s.handler = s.routes()
	return s, nil
}

// SetWizards replaces the catalog of wizards served, say after their
// definition files changed. (No catalog holds a wizard named like one of
// the server's own pages: wizard.NewCatalog refuses it.)
//
// It is safe for concurrent use with itself and with serving: requests in
// flight keep the catalog they started with, later ones get c. Sessions
// keep their answers, and each journey follows the definition of the
// request it is in: answers to fields and steps that no longer exist are
// ignored, a new required question is asked before the review, and a
// submit checks every answer against the rules in force.
func (s *Server) SetWizards(c *wizard.Catalog) error {
	if c == nil {
		return errors.New("handlers.SetWizards: nil catalog")
	}
	if err := s.deps.Components.Check(c.All()); err != nil {
		return fmt.Errorf("handlers.SetWizards: %w", err)
	}
	s.wizards.Store(c)
	return nil
}

// catalog returns the wizards served now. A handler calls it once, so
// that a SetWizards meanwhile cannot give one request two definitions.
func (s *Server) catalog() *wizard.Catalog { return s.wizards.Load() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Assets returns the URLs of our stylesheet, icon and scripts (content
// hashed, under the prefix), for the program's own pages outside the
// server, such as its home page, to draw with its Components.Layout and
// views.Head.
func (s *Server) Assets() views.Assets { return s.assets.views() }

// routes lays out every route in one place. Static files, the health check
// and the metrics live outside the session middleware. Wizard pages are
// behind the cross-origin check and the body limit, which refuse a request
// before any session work; a POST's form is read before its session is
// locked (withForm, then withSession). Each request is matched once by
// each of the two muxes. Every route is under the prefix (Config.Prefix).
func (s *Server) routes() http.Handler {
	p := s.paths
	pages := http.NewServeMux()
	page := func(method, path string, h http.HandlerFunc) {
		pages.Handle(p.route(method, path), routed(s.withSession(h)))
	}
	form := func(method, path string, h http.HandlerFunc) {
		pages.Handle(p.route(method, path), routed(s.withForm(s.withSession(h))))
	}
	page("GET", "/{$}", s.home)
	form("POST", keepAlivePath, s.keepAlive)
	page("GET", "/{wizard}", s.wizardRoot)
	page("GET", "/{wizard}/{$}", s.wizardRoot)
	page("GET", "/{wizard}/{step}", s.showStep)
	form("POST", "/{wizard}/{step}", s.saveStep)
	page("GET", "/{wizard}/{step}/{item}", s.showItem)
	form("POST", "/{wizard}/{step}/{item}", s.saveItem)
	page("GET", "/{wizard}/{step}/{item}/remove", s.confirmRemove)
	form("POST", "/{wizard}/{step}/{item}/remove", s.removeItem)
	page("GET", "/{wizard}/review", s.review)
	form("POST", "/{wizard}/submit", s.submit)
	page("GET", "/{wizard}/done", s.done)
	page("GET", "/{wizard}/restart", s.confirmRestart)
	form("POST", "/{wizard}/restart", s.restart)
	pages.HandleFunc(unmatchedPattern, s.unmatched(pages))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusForbidden, nil)
	}))

	root := http.NewServeMux()
	root.HandleFunc(p.route("GET", "/static/{file}"), s.assets.serve(s))
	root.HandleFunc(p.route("GET", "/healthz"), s.healthz)
	root.Handle(p.route("GET", "/metrics"), s.metrics.handler())
	root.Handle("/", cop.Handler(s.limitBody(pages)))
	return s.logRequests(s.securityHeaders(root))
}

// routed tells the request log which route answered: ServeMux notes the
// pattern in the request it passes on, which the log does not see.
func routed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setRoute(w, r.Pattern)
		next.ServeHTTP(w, r)
	})
}

// unmatchedPattern takes every request no other route takes, so that
// ServeMux never answers with its own plain-text 404 or 405.
const unmatchedPattern = "/"

// unmatched answers requests no route takes with our error page: 405, with
// the Allow header ServeMux would send, when the path has routes for other
// methods, and 404 otherwise. It looks up the other methods only here, on
// the error path, so that a routed request is matched once.
func (s *Server) unmatched(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
			if m == r.Method {
				continue
			}
			other := r.WithContext(r.Context())
			other.Method = m
			if _, pattern := mux.Handler(other); pattern != unmatchedPattern && pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			s.fail(w, r, http.StatusNotFound, nil)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.fail(w, r, http.StatusMethodNotAllowed, nil)
	}
}

// healthz answers 200 "ok" while the server and its session store work,
// and 503 "store unavailable" while the store does not answer.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.deps.Ping != nil {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
		defer cancel()
		if err := s.deps.Ping(ctx); err != nil {
			s.log().Warn("health check: store unavailable", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "store unavailable")
			return
		}
	}
	fmt.Fprintln(w, "ok")
}

func (s *Server) log() *slog.Logger { return s.deps.Log }
