package backends

import (
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// WithRedisHook returns opts whose Redis client also runs h, for tests
// that count round trips.
func WithRedisHook(opts Options, h redis.Hook) Options {
	opts.redisHook = h
	return opts
}

// WithPGTracer returns opts whose PostgreSQL connections report to t, for
// tests that count statements.
func WithPGTracer(opts Options, t pgx.QueryTracer) Options {
	opts.pgTracer = t
	return opts
}
