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
	if opts.redisHook != nil {
		client.AddHook(opts.redisHook)
	}
	// Requests' commands go through go-redis's autopipeliner: the commands
	// of requests in flight at once share one write and one read, which on
	// a busy server costs far fewer system calls, here and in Redis, than a
	// round trip each (see docs/performance.md).
	pipe, err := client.AutoPipeline()
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("session store %q: %w", pg.Redact(url), err)
	}
	leases, sessions := opts.KeyPrefix+"lock:", opts.KeyPrefix+"session:"
	return &Backend{
		Kind:   "redis",
		Store:  &redisStore{client: pipe, prefix: sessions, leases: leases},
		Locker: sessionlock.NewLease(redisLeaser{client: pipe, prefix: leases, sessions: sessions}, opts.LockTTL),
		Ping:   func(ctx context.Context) error { return client.Ping(ctx).Err() },
		close:  func() { client.Close() },
	}, nil
}

// redisLeaser holds leases as keys set with NX and a time to live. It is a
// sessionlock.Fetcher: taking a lease reads the session in the same script.
type redisLeaser struct {
	client   redis.Cmdable
	prefix   string
	sessions string // prefix of session keys, as redisStore names them
}

// Acquire implements sessionlock.Leaser.
func (l redisLeaser) Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	err := l.client.SetArgs(ctx, l.prefix+key, owner, redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, err
}

// acquireFetchScript takes the lease KEYS[1] for owner ARGV[1] for ARGV[2]
// ms if it is free, and then returns {1, the session KEYS[2]} (nil for
// none; a session key without a time to live is deleted and not found, as
// findScript does), or {0} if the lease is held.
var acquireFetchScript = redis.NewScript(`
if not redis.call("set", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then return {0} end
local v = redis.call("get", KEYS[2])
if v and redis.call("pttl", KEYS[2]) < 0 then
	redis.call("del", KEYS[2])
	v = false
end
return {1, v}`)

// AcquireFetch implements sessionlock.Fetcher: one round trip takes the
// lease and reads the session.
func (l redisLeaser) AcquireFetch(ctx context.Context, key, owner string, ttl time.Duration, storeKey string) (bool, []byte, bool, error) {
	res, err := acquireFetchScript.Run(ctx, l.client, []string{l.prefix + key, l.sessions + storeKey}, owner, ttl.Milliseconds()).Slice()
	if err != nil {
		return false, nil, false, fmt.Errorf("lease and load session: %w", err)
	}
	if len(res) == 0 || res[0] != int64(1) {
		return false, nil, false, nil
	}
	if len(res) < 2 || res[1] == nil {
		return true, nil, false, nil
	}
	v, ok := res[1].(string)
	if !ok {
		return false, nil, false, fmt.Errorf("lease and load session: session of type %T", res[1])
	}
	return true, []byte(v), true, nil
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
