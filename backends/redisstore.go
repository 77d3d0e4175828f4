package backends

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wizard/wizard/sessionlock"
)

// redisStore keeps sessions as Redis strings that expire by themselves. It
// implements scs.CtxStore. Unlike scs's go-redis store it
//   - never writes a session whose deadline has passed: the time to live
//     of such a write would be zero or negative, which Redis takes as none
//     at all, so a request that spans the deadline would leave a session
//     that never expires; such a commit deletes the session instead;
//   - takes a session whose key has no time to live (as that store could
//     leave) as expired when it is loaded, and deletes it;
//   - saves and deletes only while the request still holds its session's
//     lease (sessionlock.HeldFrom), checked in the same script that
//     writes, so a request that lost its lease to another instance cannot
//     save over that instance's answers.
type redisStore struct {
	client *redis.Client
	prefix string // of session keys
	leases string // prefix of lease keys, as redisLeaser names them
}

// commitScript sets KEYS[1] to ARGV[1] for ARGV[2] milliseconds, if the
// lease KEYS[2] (when given) is held by ARGV[3]. It returns 1 if it wrote.
var commitScript = redis.NewScript(`
if KEYS[2] and redis.call("get", KEYS[2]) ~= ARGV[3] then return 0 end
redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`)

// deleteScript deletes KEYS[1] if the lease KEYS[2] (when given) is held by
// ARGV[1]. It returns 1 if the lease allowed it.
var deleteScript = redis.NewScript(`
if KEYS[2] and redis.call("get", KEYS[2]) ~= ARGV[1] then return 0 end
redis.call("del", KEYS[1])
return 1`)

// findScript returns KEYS[1]'s value, unless the key has no time to live:
// such a key (left by an older version, or by hand) would never expire, so
// it is deleted and not found.
var findScript = redis.NewScript(`
local v = redis.call("get", KEYS[1])
if not v then return false end
if redis.call("pttl", KEYS[1]) < 0 then
	redis.call("del", KEYS[1])
	return false
end
return v`)

// FindCtx implements scs.CtxStore. A session whose key has no time to live
// is taken as expired, and deleted.
func (s *redisStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	v, err := findScript.Run(ctx, s.client, []string{s.prefix + token}).Text()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return []byte(v), true, nil
}

// CommitCtx implements scs.CtxStore. A session whose expiry is less than a
// millisecond away is deleted, not saved.
func (s *redisStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	ms := time.Until(expiry).Milliseconds()
	if ms <= 0 {
		return s.DeleteCtx(ctx, token)
	}
	keys, owner := s.keys(ctx, token)
	wrote, err := commitScript.Run(ctx, s.client, keys, b, strconv.FormatInt(ms, 10), owner).Int()
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	if wrote == 0 {
		return fmt.Errorf("commit session: %w", sessionlock.ErrLeaseLost)
	}
	return nil
}

// DeleteCtx implements scs.CtxStore.
func (s *redisStore) DeleteCtx(ctx context.Context, token string) error {
	keys, owner := s.keys(ctx, token)
	ok, err := deleteScript.Run(ctx, s.client, keys, owner).Int()
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	if ok == 0 {
		return fmt.Errorf("delete session: %w", sessionlock.ErrLeaseLost)
	}
	return nil
}

// keys returns the session's key and, when the request holds a lease, the
// lease's key and owner.
func (s *redisStore) keys(ctx context.Context, token string) ([]string, string) {
	if h, ok := sessionlock.HeldFrom(ctx); ok {
		return []string{s.prefix + token, s.leases + h.Key}, h.Owner
	}
	return []string{s.prefix + token}, ""
}

// Find implements scs.Store for callers without a context.
func (s *redisStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store for callers without a context.
func (s *redisStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store for callers without a context.
func (s *redisStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}
