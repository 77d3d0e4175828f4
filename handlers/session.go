package handlers

import (
	"context"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"github.com/wizard/wizard"
)

// newSessionManager configures scs from the config: HttpOnly, SameSite=Lax,
// Path=/ cookie, browser-session unless Persist.
func newSessionManager(cfg Config, store scs.Store) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.IdleTimeout = cfg.IdleTimeout
	sm.Lifetime = cfg.Lifetime
	sm.Cookie.Name = cfg.CookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Secure = cfg.CookieSecure
	sm.Cookie.Persist = cfg.Persist
	return sm
}

// answersKey is the session key of a wizard's answers: each wizard has its
// own, so two wizards in one session never clash.
func answersKey(w *wizard.Wizard) string { return "answers/" + w.Name }

// load returns the user's saved answers to the wizard. expired reports that
// the request named a session that no longer exists (it expired, or never
// did); that stale cookie is then cleared, so the notice shows once, and a
// fresh session starts when an answer is saved.
func (s *Server) load(r *http.Request, wz *wizard.Wizard) (a wizard.Answers, expired bool) {
	ctx := r.Context()
	if c, err := r.Cookie(s.cfg.CookieName); err == nil && c.Value != "" && s.sessions.Token(ctx) == "" {
		expired = true
		if err := s.sessions.Destroy(ctx); err != nil {
			s.log.Warn("clear stale session", "err", err)
		}
	}
	raw := s.sessions.GetString(ctx, answersKey(wz))
	a, err := wizard.ParseAnswers(raw)
	if err != nil {
		// Only our own encoder writes this key; if it is unreadable, the
		// user starts again rather than seeing an error forever.
		s.log.Error("unreadable saved answers", "wizard", wz.Name, "err", err)
		return wizard.Answers{}, expired
	}
	return a, expired
}

// save stores the user's answers to the wizard in their session.
func (s *Server) save(ctx context.Context, wz *wizard.Wizard, a wizard.Answers) {
	s.sessions.Put(ctx, answersKey(wz), a.Encode())
}
