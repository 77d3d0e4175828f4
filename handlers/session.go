package handlers

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/wizard/wizard"
)

// newSessions configures the sessions from the config: an HttpOnly,
// SameSite=Lax cookie whose Path is the server's prefix ("/" at the root),
// browser-session unless Persist, named with the __Host- prefix when Secure
// at the root and the __Secure- prefix when Secure under a prefix (see
// Config.CookieSecure). The store holds SHA-256 hashes of tokens, so a
// dump of it opens no live session.
func newSessions(cfg Config, store scs.Store) *sessions {
	m := &sessions{
		store:       store,
		lifetime:    cfg.Lifetime,
		idleTimeout: cfg.IdleTimeout,
		cookie:      sessionCookie{name: cookieName(cfg), path: "/", secure: cfg.CookieSecure, persist: cfg.Persist},
	}
	m.ctxStore, _ = store.(scs.CtxStore)
	if cfg.Prefix != "" {
		m.cookie.path = cfg.Prefix
	}
	return m
}

// cookieName is the session cookie's name: CookieName, given the prefix
// that CookieSecure asks for unless it has it already.
func cookieName(cfg Config) string {
	switch {
	case !cfg.CookieSecure:
		return cfg.CookieName
	case cfg.Prefix != "":
		// __Host- requires Path=/, which a cookie under a prefix has not.
		if strings.HasPrefix(cfg.CookieName, securePrefix) {
			return cfg.CookieName
		}
		return securePrefix + cfg.CookieName
	case strings.HasPrefix(cfg.CookieName, hostPrefix):
		return cfg.CookieName
	}
	return hostPrefix + cfg.CookieName
}

// hostPrefix makes browsers accept a cookie only from this host, over
// HTTPS, with Path=/ and no Domain.
const hostPrefix = "__Host-"

// securePrefix makes browsers accept a cookie only over HTTPS with Secure;
// unlike __Host-, it allows a Path other than / (and a Domain, which we
// never set).
const securePrefix = "__Secure-"

// Session keys, one set per wizard so that two wizards in one session never
// clash: the answers, the ID the next submission will carry, and the record
// of the last submission.
func answersKey(wz *wizard.Wizard) string   { return "answers/" + wz.Name }
func pendingKey(wz *wizard.Wizard) string   { return "pending/" + wz.Name }
func submittedKey(wz *wizard.Wizard) string { return "submitted/" + wz.Name }

// load returns the user's saved answers to the wizard. ended says whether
// the request named a session that no longer exists (it expired, or never
// did), or one whose data could not be read and was deleted; a fresh
// session starts when an answer is saved.
func (s *Server) load(r *http.Request, wz *wizard.Wizard) (a wizard.Answers, ended ending) {
	sess := sessionOf(r)
	switch {
	case sess.unreadable:
		ended = endedUnreadable
	case sess.cookieToken != "" && sess.token == "":
		ended = endedExpired
	}
	a, err := wizard.ParseAnswers(sess.get(answersKey(wz)))
	if err != nil {
		// Only our own encoder writes this key; if it is unreadable, the
		// user starts again rather than seeing an error forever.
		s.log().Error("unreadable saved answers", "wizard", wz.Name, "err", err)
		return wizard.Answers{}, ended
	}
	return a, ended
}

// dropStaleCookie clears the cookie of a session that no longer exists, so
// that the expiry notice shows once, unless this request starts a fresh
// session (whose cookie replaces the stale one anyway).
func (s *Server) dropStaleCookie(ctx context.Context) {
	sess := sessionIn(ctx)
	if sess.token != "" || sess.status != unmodified {
		return
	}
	if err := s.sessions.destroy(ctx, sess); err != nil {
		s.log().Warn("clear stale session cookie", "err", err)
	}
}

// save stores the user's answers to the wizard. Changed answers are a
// different submission: they get a new pending submission ID, so an ID the
// sink holds always stands for the answers it holds. The ID is made here,
// with the answers, because a step post saves the session before it
// renders the page it leads to: a review made after the save could not
// store an ID of its own, and its Submit button would carry one the
// session does not know.
func (s *Server) save(ctx context.Context, wz *wizard.Wizard, a wizard.Answers) {
	sess := sessionIn(ctx)
	enc := a.Encode()
	if sess.get(answersKey(wz)) == enc && sess.get(pendingKey(wz)) != "" {
		return
	}
	sess.put(answersKey(wz), enc)
	sess.put(pendingKey(wz), newID())
}

// clear deletes the user's answers to the wizard and their pending
// submission ID.
func (s *Server) clear(ctx context.Context, wz *wizard.Wizard) {
	sess := sessionIn(ctx)
	sess.remove(answersKey(wz))
	sess.remove(pendingKey(wz))
}

// hasSession reports whether the request has a session or creates one.
func (s *Server) hasSession(ctx context.Context) bool {
	sess, _ := ctx.Value(sessionKey{}).(*session)
	return sess != nil && (sess.token != "" || sess.status == modified)
}

// pendingID returns the ID the user's next submission of the wizard will
// carry, creating it on first use. Every submit of the same answers carries
// the same ID, so the sink can recognise a repeat.
func (s *Server) pendingID(ctx context.Context, wz *wizard.Wizard) string {
	sess := sessionIn(ctx)
	id := sess.get(pendingKey(wz))
	if id == "" {
		id = newID()
		sess.put(pendingKey(wz), id)
	}
	return id
}

// newID returns 25 random characters of Crockford's base32 alphabet
// (125 bits), readable aloud without confusing 0/O or 1/I/L.
func newID() string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 25)
	rand.Read(b) // never fails (crypto/rand.Read panics rather than fail)
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return string(b)
}

// receipt is what the session remembers of the last submission of a wizard,
// for the done page and to recognise a repeated submit.
type receipt struct {
	ID        string
	Reference string
	Answers   wizard.Answers
}

func (s *Server) putReceipt(ctx context.Context, wz *wizard.Wizard, rc receipt) {
	v := url.Values{"id": {rc.ID}, "ref": {rc.Reference}, "answers": {rc.Answers.Encode()}}
	sessionIn(ctx).put(submittedKey(wz), v.Encode())
}

func (s *Server) receipt(ctx context.Context, wz *wizard.Wizard) (receipt, bool) {
	raw := sessionIn(ctx).get(submittedKey(wz))
	if raw == "" {
		return receipt{}, false
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		s.log().Error("unreadable receipt", "wizard", wz.Name, "err", err)
		return receipt{}, false
	}
	a, err := wizard.ParseAnswers(v.Get("answers"))
	if err != nil {
		s.log().Error("unreadable receipt answers", "wizard", wz.Name, "err", err)
		return receipt{}, false
	}
	return receipt{ID: v.Get("id"), Reference: v.Get("ref"), Answers: a}, true
}
