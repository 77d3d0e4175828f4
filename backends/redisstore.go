package backends

import (
	"bytes"
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
//     save over that instance's answers;
//   - costs a request holding a lease two round trips in all, shared with
//     the other requests in flight (go-redis's autopipeliner, see
//     openRedis): the session comes with the lease
//     (redisLeaser.AcquireFetch, handed over in the context), and the save
//     releases the lease in its own script (the request's last write: the
//     session is committed once, after the handler is done);
//   - moves only the deadline (PEXPIRE) of a session saved unchanged, as
//     scs saves every session on every request under an idle timeout.
type redisStore struct {
	client redis.Cmdable
	prefix string // of session keys
	leases string // prefix of lease keys, as redisLeaser names them
}

// commitScript sets KEYS[1] to ARGV[1] for ARGV[2] milliseconds, if the
// lease KEYS[2] (when given) is held by ARGV[3]. It returns 1 if it wrote.
var commitScript = redis.NewScript(`
if KEYS[2] and redis.call("get", KEYS[2]) ~= ARGV[3] then return 0 end
redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`)

// commitReleaseScript is commitScript for a request holding the lease
// KEYS[2], which it also releases: it returns 1 if it wrote, 0 if the
// lease is not ARGV[3]'s. With ARGV[4] = "touch" it only moves KEYS[1]'s
// expiry (ARGV[1] is empty), and returns 2, writing nothing and keeping
// the lease, if the session is gone: the caller then saves it in full.
var commitReleaseScript = redis.NewScript(`
if redis.call("get", KEYS[2]) ~= ARGV[3] then return 0 end
if ARGV[4] == "touch" then
	if redis.call("pexpire", KEYS[1], ARGV[2]) == 0 then return 2 end
else
	redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2])
end
redis.call("del", KEYS[2])
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
// is taken as expired, and deleted. The session read with the request's
// lease costs no round trip.
func (s *redisStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if h, ok := sessionlock.HeldFrom(ctx); ok {
		if b, found, ok := h.Fetched(token); ok {
			return b, found, nil
		}
	}
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
// millisecond away is deleted, not saved. Under a lease the commit also
// releases the lease (see sessionlock.Held.Released), and a session whose
// bytes are those loaded with the lease only has its expiry moved.
func (s *redisStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	ms := time.Until(expiry).Milliseconds()
	if ms <= 0 {
		return s.DeleteCtx(ctx, token)
	}
	if h, ok := sessionlock.HeldFrom(ctx); ok {
		return s.commitRelease(ctx, h, token, b, ms)
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

// commitRelease saves the session under the lease h and releases the
// lease, in one round trip (two if an unchanged session vanished since it
// was loaded).
func (s *redisStore) commitRelease(ctx context.Context, h sessionlock.Held, token string, b []byte, ms int64) error {
	keys := []string{s.prefix + token, s.leases + h.Key}
	ttl := strconv.FormatInt(ms, 10)
	if old, found, ok := h.Fetched(token); ok && found && bytes.Equal(old, b) {
		res, err := commitReleaseScript.Run(ctx, s.client, keys, "", ttl, h.Owner, "touch").Int()
		if err != nil {
			return fmt.Errorf("commit session: %w", err)
		}
		switch res {
		case 0:
			return fmt.Errorf("commit session: %w", sessionlock.ErrLeaseLost)
		case 1:
			h.Released()
			return nil
		}
		// 2: the session expired since it was loaded; save it whole.
	}
	res, err := commitReleaseScript.Run(ctx, s.client, keys, b, ttl, h.Owner, "set").Int()
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	if res != 1 {
		return fmt.Errorf("commit session: %w", sessionlock.ErrLeaseLost)
	}
	h.Released()
	return nil
}

// DeleteCtx implements scs.CtxStore.
func (s *redisStore) DeleteCtx(ctx context.Context, token string) error {
	if h, ok := sessionlock.HeldFrom(ctx); ok {
		h.Forget()
	}
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
