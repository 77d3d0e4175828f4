// Package backends opens the place sessions live, named by a URL: "memory"
// (this process), "redis://host:port/db" or "postgres://...". Each backend
// comes with the lock that serializes one session's requests across every
// process sharing it, and a ping for health checks. The Redis and
// PostgreSQL stores are our own scs.CtxStores: they save a session only
// while the request still holds its lease, and never save one whose
// deadline has passed.
package backends

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard/internal/pg"
	"github.com/wizard/wizard/sessionlock"
	"github.com/wizard/wizard/sessionstore"
)

// Locker serializes the requests of one session (see handlers.Locker).
type Locker interface {
	Lock(ctx context.Context, token string) (held context.Context, unlock func(), err error)
}

// Backend is an open session store with its lock.
type Backend struct {
	// Kind is "memory", "redis" or "postgres".
	Kind   string
	Store  scs.Store
	Locker Locker
	// Ping reports whether the store answers.
	Ping func(context.Context) error
	// Stats reads the store's counters; nil for stores that keep none
	// (Redis and PostgreSQL expire sessions themselves).
	Stats     func() sessionstore.Stats
	close     func()
	closeOnce sync.Once
}

// Close releases the backend's connections and background work. Calling it
// again does nothing.
func (b *Backend) Close() {
	b.closeOnce.Do(func() {
		if b.close != nil {
			b.close()
		}
	})
}

// Options tune the backends; the zero value gives the defaults.
type Options struct {
	// KeyPrefix starts every Redis key (default "wizard:"); tests give each
	// run its own.
	KeyPrefix string
	// LockTTL is how long a cross-process session lock lives unless
	// released (default 5 s): the longest a crashed holder blocks a session.
	LockTTL time.Duration
	// Timeout bounds connecting and each store operation (default 2 s).
	Timeout time.Duration
	// CleanupInterval is how often PostgreSQL rows of expired sessions are
	// deleted (default 5 minutes). Redis expires keys by itself.
	CleanupInterval time.Duration
	// MaxSessions caps the memory store (0: sessionstore's default,
	// 100,000); when full, sessions used only once go first.
	MaxSessions int
	// MaxConns caps PostgreSQL's connection pool when the URL sets no
	// pool_max_conns (default 32; see openPostgres).
	MaxConns int

	// redisHook and pgTracer let this package's tests count the round
	// trips a request makes.
	redisHook redis.Hook
	pgTracer  pgx.QueryTracer
}

func (o Options) withDefaults() Options {
	if o.KeyPrefix == "" {
		o.KeyPrefix = "wizard:"
	}
	if o.LockTTL <= 0 {
		o.LockTTL = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.CleanupInterval <= 0 {
		o.CleanupInterval = 5 * time.Minute
	}
	return o
}

// Open opens the backend the URL names. Opening Redis or PostgreSQL checks
// that the server answers; PostgreSQL's tables are created if missing.
func Open(ctx context.Context, url string, opts Options) (*Backend, error) {
	opts = opts.withDefaults()
	switch {
	case url == "" || url == "memory":
		return openMemory(opts), nil
	case strings.HasPrefix(url, "redis://") || strings.HasPrefix(url, "rediss://"):
		return openRedis(ctx, url, opts)
	case strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://"):
		return openPostgres(ctx, url, opts)
	}
	return nil, fmt.Errorf("session store %q: want memory, redis://host:port/db or postgres://user@host:port/db", pg.Redact(url))
}

// openMemory keeps sessions in this process, in our sharded store.
func openMemory(opts Options) *Backend {
	store := sessionstore.New(sessionstore.Options{MaxSessions: opts.MaxSessions})
	return &Backend{
		Kind:   "memory",
		Store:  store,
		Locker: sessionlock.NewLocal(),
		Ping:   func(context.Context) error { return nil },
		Stats:  store.Stats,
		close:  func() { store.Close() },
	}
}
