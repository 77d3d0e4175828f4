package handlers

import (
	"fmt"
	"log/slog"
	"net/http"

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
	log      *slog.Logger
	handler  http.Handler
}

// New builds the server for the wizards, keeping sessions in store.
func New(cfg Config, wizards *wizard.Catalog, store scs.Store, log *slog.Logger) (*Server, error) {
	a, err := newAssets(wizard.Static(), cfg.StaticDir)
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		wizards:  wizards,
		sessions: newSessionManager(cfg, store),
		assets:   a,
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
	pages.HandleFunc("GET /{wizard}", s.wizardRoot)
	pages.HandleFunc("GET /{wizard}/{$}", s.wizardRoot)
	pages.HandleFunc("GET /{wizard}/done", s.done)
	pages.HandleFunc("GET /{wizard}/{step}", s.showStep)
	pages.HandleFunc("POST /{wizard}/{step}", s.saveStep)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusForbidden, nil)
	}))
	wizardPages := cop.Handler(s.limitBody(s.sessions.LoadAndSave(s.friendlyMux(pages))))

	root := http.NewServeMux()
	root.HandleFunc("GET /static/{file}", s.assets.serve(s))
	root.HandleFunc("GET /healthz", s.healthz)
	root.Handle("/", wizardPages)
	return s.logRequests(securityHeaders(root))
}

// healthz answers 200 while the server runs.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}
