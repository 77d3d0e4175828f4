package backends

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard/sessionlock"
)

// openRedis keeps sessions in Redis with scs's go-redis store; Redis
// expires them by itself.
func openRedis(ctx context.Context, url string, opts Options) (*Backend, error) {
	ro, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("session store %q: %w", redact(url), err)
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
		return nil, fmt.Errorf("session store %q: %w", redact(url), err)
	}
	return &Backend{
		Kind:   "redis",
		Store:  goredisstore.NewWithPrefix(client, opts.KeyPrefix+"session:"),
		Locker: sessionlock.NewLease(redisLeaser{client: client, prefix: opts.KeyPrefix + "lock:"}, opts.LockTTL),
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

// releaseScript deletes the lease only if owner still holds it.
var releaseScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`)

// Release implements sessionlock.Leaser.
func (l redisLeaser) Release(ctx context.Context, key, owner string) error {
	return releaseScript.Run(ctx, l.client, []string{l.prefix + key}, owner).Err()
}
