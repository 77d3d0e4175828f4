// Package handlers adapts the wizard engine to HTTP: routes, sessions, the
// choice between a full page and an htmx partial, static assets, security
// headers and friendly error pages. It is the only package that knows the
// session keys.
//
// To serve wizards, build a Server with New from a Config (DefaultConfig,
// then change what you need) and Deps: the wizards (a wizard.Catalog), a
// session store (memstore, or one of package backends), a wizard.Sink for
// the submissions and a logger. A Server is an http.Handler. To put it in
// your own site, set Config.Prefix and mount it at that path of your mux:
//
//	cfg := handlers.DefaultConfig()
//	cfg.Prefix = "/apply"
//	srv, err := handlers.New(cfg, handlers.Deps{Wizards: catalog, Store: memstore.New(), Sink: sink, Log: logger})
//	mux.Handle("/apply/", srv)
//
// Several servers with their own prefixes live side by side, each with its
// own sessions. Deps.Components gives pages your own layout, draws steps
// with your own templ components and custom fields' inputs with yours (see
// views.Components); the steps' checks (wizard.Check) run within
// Config.CheckTimeout; Deps.Done runs after each stored submission. The
// examples below show each; examples/embed is a whole program.
package handlers

import (
	"net/netip"
	"time"
)

// Config holds every setting of the HTTP side, with defaults from
// DefaultConfig.
type Config struct {
	// Prefix is the path the server is mounted under, "" for the root. With
	// Prefix "/apply", mount the server with mux.Handle("/apply/", srv),
	// without http.StripPrefix: it sees full paths, serves /apply/ (the
	// list of wizards), /apply/{wizard}/..., /apply/static/...,
	// /apply/healthz and /apply/metrics, and every URL it sends (links,
	// form actions, redirects, HX-Push-Url, assets) starts with it. The
	// session cookie's Path is the prefix, so servers under different
	// prefixes never share a session. (A server at the root receives the
	// cookies of every path: give it a CookieName of its own if it shares a
	// store with a server under a prefix.) A prefix starts with "/", has no
	// trailing slash, and holds only letters, digits, "/" and "-._~"; New
	// refuses anything else.
	Prefix string
	// IdleTimeout ends a session after this long without a request.
	IdleTimeout time.Duration
	// Lifetime ends a session this long after it began, active or not.
	Lifetime time.Duration
	// CookieName names the session cookie.
	CookieName string
	// CookieSecure marks the cookie Secure (HTTPS only) and gives its name
	// the __Host- prefix, with which browsers accept it only from this
	// host, over HTTPS, for Path=/: a sibling subdomain cannot plant one.
	// Browsers refuse a __Host- cookie with any other Path, so under a
	// Prefix the name gets the __Secure- prefix instead (HTTPS only, but a
	// sibling subdomain could plant one for our path; see sessionToken for
	// how a planted cookie is outdone). A CookieName that starts with
	// __Host- is refused with a Prefix.
	CookieSecure bool
	// Persist makes the cookie outlive the browser (Expires/Max-Age set);
	// off, it is a browser-session cookie.
	Persist bool
	// MaxBody is the largest request body accepted, in bytes.
	MaxBody int64
	// LockWait is how long a request waits for another request of the same
	// session to finish before it gives up with 503.
	LockWait time.Duration
	// NewSessionsPerMinute is how many sessions one client may start per
	// minute, in bursts as large; 0 means no limit. A client is an IP
	// address (an IPv6 /64 network), see TrustedProxies. Over the limit, a
	// request that would start a session gets 429 with Retry-After.
	NewSessionsPerMinute int
	// SubmitsPerMinute is how many submissions one client may make per
	// minute, in bursts as large; 0 means no limit. Over it, a submit gets
	// 429 and the answers stay where they were.
	SubmitsPerMinute int
	// TrustedProxies are the networks of reverse proxies in front of the
	// server. A request from one of them is attributed to the address its
	// X-Forwarded-For header names, read from the right past every trusted
	// proxy; a request from anywhere else, to the connection's address.
	TrustedProxies []netip.Prefix
	// StoreTimeout bounds the health check's ping of the store.
	StoreTimeout time.Duration
	// SiteName is the name the header shows on pages of no wizard (the
	// list of wizards, some error pages); "" means "Wizards". A wizard's
	// pages show its title.
	SiteName string
	// CheckTimeout bounds the checks of a step (wizard.Check) when it is
	// saved, and of all steps at the submit: past it, or when a check
	// fails, the user is asked to try again (503), with their answers
	// kept. 0 sets no bound of its own.
	CheckTimeout time.Duration
	// DoneTimeout bounds the Done hook (Deps.Done); 0 sets no bound of
	// its own.
	DoneTimeout time.Duration
	// StaticDir, when set, serves static files from this directory on disk,
	// uncached and under their plain names (for the dev loop), instead of
	// the embedded, content-hashed copies.
	StaticDir string
}

// DefaultConfig returns the documented defaults: 30 minutes idle, 24 hours
// at most, cookie "session" not Secure and not persistent, 64 KiB bodies,
// 10 seconds of waiting for a busy session, 60 new sessions and 30
// submissions per client per minute, no trusted proxy, 2 seconds for a
// store ping, 5 seconds for a step's checks and 10 for the Done hook.
func DefaultConfig() Config {
	return Config{
		IdleTimeout:          30 * time.Minute,
		Lifetime:             24 * time.Hour,
		CookieName:           "session",
		MaxBody:              64 << 10,
		LockWait:             10 * time.Second,
		NewSessionsPerMinute: 60,
		SubmitsPerMinute:     30,
		StoreTimeout:         2 * time.Second,
		CheckTimeout:         5 * time.Second,
		DoneTimeout:          10 * time.Second,
	}
}
