package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/wizard/wizard/sessionlock"
)

// sessions loads and saves the requests' sessions, as scs's SessionManager
// did for us, keeping its contract with the store and the browser: the
// same cookie, tokens of 32 random bytes in unpadded base64url, kept in the
// store under their SHA-256 hash (storeKey), encoded by stringCodec, with
// the same deadline and idle expiry. So sessions saved before still load.
//
// Unlike scs, each request's session is one value (session) that the
// handlers read and change directly: scs looked its data up in the
// request's context on every call, and each lookup allocated.
type sessions struct {
	store scs.Store
	// ctxStore is store when it takes the request's context, else nil.
	ctxStore              scs.CtxStore
	codec                 stringCodec
	lifetime, idleTimeout time.Duration
	cookie                sessionCookie
}

// sessionCookie is how the session cookie is set (see newSessions).
type sessionCookie struct {
	name, path      string
	secure, persist bool
}

// sessionStatus says what a request did to its session.
type sessionStatus uint8

const (
	unmodified sessionStatus = iota
	// modified: the session must be saved.
	modified
	// destroyed: the session was deleted; its cookie must be cleared.
	destroyed
)

// session is one request's session, loaded by withSession and saved by
// its sessionWriter. A request is handled by one goroutine at a time, so a
// session needs no lock.
type session struct {
	// token is the session's token, "" for a session not saved yet; key
	// is its storeKey once known.
	token, key string
	deadline   time.Time
	values     map[string]string
	status     sessionStatus
	// cookieToken is the token the request's cookie named ("" for none),
	// as withSession chose it; unreadable says that its session's data
	// could not be read and was deleted.
	cookieToken string
	unreadable  bool
}

// load loads token's session from the store, or starts a new one when
// token is "" or names no session. Data that cannot be decoded is an
// error wrapping errCorrupt. With an idle timeout a loaded session is
// saved again at the end of the request, which moves its expiry.
func (m *sessions) load(ctx context.Context, token string) (*session, error) {
	if token == "" {
		return m.fresh(), nil
	}
	key := sessionlock.StoreKey(token)
	b, found, err := m.find(ctx, key)
	if err != nil {
		return nil, err
	}
	if !found {
		return m.fresh(), nil
	}
	sess := &session{token: token, key: key}
	if sess.deadline, sess.values, err = m.codec.Decode(b); err != nil {
		return nil, err
	}
	if m.idleTimeout > 0 {
		sess.status = modified
	}
	return sess, nil
}

// fresh returns a new, empty session whose lifetime starts now.
func (m *sessions) fresh() *session {
	return &session{deadline: time.Now().Add(m.lifetime).UTC()}
}

// commit saves the session, giving a new one its token, and returns the
// token and when the session expires: its deadline, or sooner the end of
// its idle timeout.
func (m *sessions) commit(ctx context.Context, sess *session) (token string, expiry time.Time, err error) {
	if sess.token == "" {
		sess.token = newToken()
	}
	b := m.codec.Encode(sess.deadline, sess.values)
	expiry = sess.deadline
	if m.idleTimeout > 0 {
		if idle := time.Now().Add(m.idleTimeout).UTC(); idle.Before(expiry) {
			expiry = idle
		}
	}
	if m.ctxStore != nil {
		err = m.ctxStore.CommitCtx(ctx, sess.storeKey(), b, expiry)
	} else {
		err = m.store.Commit(sess.storeKey(), b, expiry)
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return sess.token, expiry, nil
}

// destroy deletes the session from the store and empties it; its cookie
// is cleared when the request saves, and a value put afterwards starts a
// new session.
func (m *sessions) destroy(ctx context.Context, sess *session) error {
	if sess.token != "" {
		if err := m.delete(ctx, sess.storeKey()); err != nil {
			return err
		}
	}
	*sess = session{deadline: time.Now().Add(m.lifetime).UTC(), status: destroyed, cookieToken: sess.cookieToken, unreadable: sess.unreadable}
	return nil
}

// renewToken gives the session a new token and a new lifetime, deleting
// it from the store under the old one: whoever held the old cookie opens
// nothing.
func (m *sessions) renewToken(ctx context.Context, sess *session) error {
	if sess.token != "" {
		if err := m.delete(ctx, sess.storeKey()); err != nil {
			return err
		}
	}
	sess.token, sess.key = newToken(), ""
	sess.deadline = time.Now().Add(m.lifetime).UTC()
	sess.status = modified
	return nil
}

// find looks the session of store key key up in the store.
func (m *sessions) find(ctx context.Context, key string) ([]byte, bool, error) {
	if m.ctxStore != nil {
		return m.ctxStore.FindCtx(ctx, key)
	}
	return m.store.Find(key)
}

// delete deletes the session of store key key from the store.
func (m *sessions) delete(ctx context.Context, key string) error {
	if m.ctxStore != nil {
		return m.ctxStore.DeleteCtx(ctx, key)
	}
	return m.store.Delete(key)
}

// writeCookie sets the session cookie to token, or clears it when expiry
// is zero. A persistent cookie expires with the session; otherwise it
// lasts the browser session.
func (m *sessions) writeCookie(w http.ResponseWriter, token string, expiry time.Time) {
	c := &http.Cookie{
		Name:     m.cookie.name,
		Value:    token,
		Path:     m.cookie.path,
		Secure:   m.cookie.secure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	if expiry.IsZero() {
		c.Expires = time.Unix(1, 0)
		c.MaxAge = -1
	} else if m.cookie.persist {
		// Rounded up to the second.
		c.Expires = time.Unix(expiry.Unix()+1, 0)
		c.MaxAge = int(time.Until(expiry).Seconds() + 1)
	}
	w.Header().Add("Set-Cookie", c.String())
	w.Header().Add("Cache-Control", `no-cache="Set-Cookie"`)
}

// newToken returns a new session token: 32 random bytes in unpadded
// base64url.
func newToken() string {
	var b [32]byte
	rand.Read(b[:]) // never fails (crypto/rand.Read panics rather than fail)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// storeKey returns the key the store keeps the session under, which
// needs its token.
func (sess *session) storeKey() string {
	if sess.key == "" {
		sess.key = sessionlock.StoreKey(sess.token)
	}
	return sess.key
}

// get returns the value of key, or "".
func (sess *session) get(key string) string { return sess.values[key] }

// put sets key to v.
func (sess *session) put(key, v string) {
	if sess.values == nil {
		sess.values = make(map[string]string)
	}
	sess.values[key] = v
	sess.status = modified
}

// remove deletes key; a key the session lacks changes nothing.
func (sess *session) remove(key string) {
	if _, ok := sess.values[key]; !ok {
		return
	}
	delete(sess.values, key)
	sess.status = modified
}
