package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/wizard/wizard"
)

// Server serves a catalog of wizards over HTTP. Create it with New; it is an
// http.Handler.
type Server struct {
	cfg      Config
	wizards  *wizard.Catalog
	sessions *scs.SessionManager
	assets   *assets
	sink     wizard.Sink
	log      *slog.Logger
	handler  http.Handler
}

// New builds the server for the wizards, keeping sessions in store and
// handing completed wizards to sink.
func New(cfg Config, wizards *wizard.Catalog, store scs.Store, sink wizard.Sink, log *slog.Logger) (*Server, error) {
	for _, wz := range wizards.All() {
		if ownPath(wz.Name) {
			return nil, fmt.Errorf("wizard name %q is taken by the server's own pages", wz.Name)
		}
	}
	a, err := newAssets(wizard.Static(), cfg.StaticDir)
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		wizards:  wizards,
		sessions: newSessionManager(cfg, store),
		assets:   a,
		sink:     sink,
		log:      log,
	}
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.fail(w, r, http.StatusInternalServerError, fmt.Errorf("session: %w", err))
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// routes lays out every route in one place. Static files and the health
// check live outside the session middleware; wizard pages inside it, behind
// the cross-origin check and the body limit.
func (s *Server) routes() http.Handler {
	pages := http.NewServeMux()
	pages.HandleFunc("GET /{$}", s.home)
	pages.HandleFunc("POST "+keepAliveURL, s.keepAlive)
	pages.HandleFunc("GET /{wizard}", s.wizardRoot)
	pages.HandleFunc("GET /{wizard}/{$}", s.wizardRoot)
	pages.HandleFunc("GET /{wizard}/{step}", s.showStep)
	pages.HandleFunc("POST /{wizard}/{step}", s.saveStep)
	pages.HandleFunc("GET /{wizard}/review", s.review)
	pages.HandleFunc("POST /{wizard}/submit", s.submit)
	pages.HandleFunc("GET /{wizard}/done", s.done)
	pages.HandleFunc("GET /{wizard}/restart", s.confirmRestart)
	pages.HandleFunc("POST /{wizard}/restart", s.restart)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusForbidden, nil)
	}))
	wizardPages := s.loadSessions(cop.Handler(s.limitBody(s.friendlyMux(pages))))

	root := http.NewServeMux()
	root.HandleFunc("GET /static/{file}", s.assets.serve(s))
	root.HandleFunc("GET /healthz", s.healthz)
	root.Handle("/", wizardPages)
	return s.logRequests(securityHeaders(root))
}

// ownPath reports whether a top-level path segment belongs to the server
// rather than to a wizard.
func ownPath(name string) bool {
	switch name {
	case "static", "healthz", "metrics", strings.TrimPrefix(keepAliveURL, "/"):
		return true
	}
	return false
}

// healthz answers 200 while the server runs.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}
