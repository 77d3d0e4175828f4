// Package handlers adapts the wizard engine to HTTP: routes, sessions, the
// choice between a full page and an htmx partial, static assets, security
// headers and friendly error pages. It is the only package that knows the
// session keys.
package handlers

import "time"

// Config holds every setting of the HTTP side, with defaults from
// DefaultConfig.
type Config struct {
	// IdleTimeout ends a session after this long without a request.
	IdleTimeout time.Duration
	// Lifetime ends a session this long after it began, active or not.
	Lifetime time.Duration
	// CookieName names the session cookie.
	CookieName string
	// CookieSecure marks the cookie Secure (HTTPS only).
	CookieSecure bool
	// Persist makes the cookie outlive the browser (Expires/Max-Age set);
	// off, it is a browser-session cookie.
	Persist bool
	// MaxBody is the largest request body accepted, in bytes.
	MaxBody int64
	// LockWait is how long a request waits for another request of the same
	// session to finish before it gives up with 503.
	LockWait time.Duration
	// StoreTimeout bounds the health check's ping of the store.
	StoreTimeout time.Duration
	// StaticDir, when set, serves static files from this directory on disk,
	// uncached and under their plain names (for the dev loop), instead of
	// the embedded, content-hashed copies.
	StaticDir string
}

// DefaultConfig returns the documented defaults: 30 minutes idle, 24 hours
// at most, cookie "session" not Secure and not persistent, 64 KiB bodies,
// 10 seconds of waiting for a busy session, 2 seconds for a store ping.
func DefaultConfig() Config {
	return Config{
		IdleTimeout:  30 * time.Minute,
		Lifetime:     24 * time.Hour,
		CookieName:   "session",
		MaxBody:      64 << 10,
		LockWait:     10 * time.Second,
		StoreTimeout: 2 * time.Second,
	}
}
