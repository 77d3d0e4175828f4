package backends

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard/internal/pg"
	"github.com/wizard/wizard/sessionlock"
)

// openRedis keeps sessions in Redis (see redisStore), which expires them by
// itself.
func openRedis(ctx context.Context, url string, opts Options) (*Backend, error) {
	ro, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("session store %q: %w", pg.Redact(url), err)
	}
	ro.DialTimeout = opts.Timeout
	ro.ReadTimeout = opts.Timeout
	ro.WriteTimeout = opts.Timeout
	ro.MaxRetries = 1
	client := redis.NewClient(ro)
	pctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("session store %q: %w", pg.Redact(url), err)
	}
	leases := opts.KeyPrefix + "lock:"
	return &Backend{
		Kind:   "redis",
		Store:  &redisStore{client: client, prefix: opts.KeyPrefix + "session:", leases: leases},
		Locker: sessionlock.NewLease(redisLeaser{client: client, prefix: leases}, opts.LockTTL),
		Ping:   func(ctx context.Context) error { return client.Ping(ctx).Err() },
		close:  func() { client.Close() },
	}, nil
}

// redisLeaser holds leases as keys set with NX and a time to live.
type redisLeaser struct {
	client *redis.Client
	prefix string
}

// Acquire implements sessionlock.Leaser.
func (l redisLeaser) Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	err := l.client.SetArgs(ctx, l.prefix+key, owner, redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, err
}

// renewScript gives the lease a new time to live (ARGV[2] ms) only if owner
// ARGV[1] still holds it.
var renewScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) end return 0`)

// Renew implements sessionlock.Leaser.
func (l redisLeaser) Renew(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	n, err := renewScript.Run(ctx, l.client, []string{l.prefix + key}, owner, ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("renew session lease: %w", err)
	}
	return n == 1, nil
}

// releaseScript deletes the lease only if owner still holds it.
var releaseScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`)

// Release implements sessionlock.Leaser.
func (l redisLeaser) Release(ctx context.Context, key, owner string) error {
	return releaseScript.Run(ctx, l.client, []string{l.prefix + key}, owner).Err()
}
