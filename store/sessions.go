package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/jackc/pgx/v5"
)

// Session value keys the SessionStore maps to columns.
const (
	// SessionUserID holds the signed-in user's id (int64).
	SessionUserID = "user_id"
	// SessionRemember holds whether the user asked to be remembered (bool).
	SessionRemember = "remember"
	// SessionUser holds the session's user (*User), loaded with the session
	// in one query; it is never stored. Keys starting with "_" are not.
	SessionUser = "_user"
)

// SessionTimes configure session lifetimes.
type SessionTimes struct {
	// Idle ends a session after this long without a request.
	Idle time.Duration
	// Lifetime ends any session this long after sign-in.
	Lifetime time.Duration
	// Remember is idle timeout and lifetime of "remember me" sessions, whose
	// cookie also outlives the browser.
	Remember time.Duration
}

// SessionStore is a gorilla/sessions store that keeps sessions in
// PostgreSQL, so every instance shares them and ending one (sign-out,
// deactivation) takes effect everywhere. The cookie holds only a random
// id, signed with the session secret; the table holds its SHA-256.
type SessionStore struct {
	st      *Store
	codecs  []securecookie.Codec
	times   SessionTimes
	options sessions.Options
}

// touchEvery throttles last-seen updates: at most one write a minute per
// session, not one per request.
const touchEvery = time.Minute

// NewSessionStore returns a store signing cookies with secret. secure marks
// cookies Secure (for https).
func NewSessionStore(st *Store, secret []byte, times SessionTimes, secure bool) *SessionStore {
	codec := securecookie.New(secret, nil)
	codec.MaxAge(int(times.Remember.Seconds()) + 3600)
	return &SessionStore{
		st:     st,
		codecs: []securecookie.Codec{codec},
		times:  times,
		options: sessions.Options{
			Path:     "/",
			HttpOnly: true,
			Secure:   secure,
			SameSite: http.SameSiteLaxMode,
		},
	}
}

// Get returns the request's session, cached for the request.
func (s *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or returns a new,
// empty one when there is none or it has ended. A tampered cookie is
// treated as no cookie.
func (s *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	opts := s.options
	sess.Options = &opts
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if err := securecookie.DecodeMulti(name, c.Value, &id, s.codecs...); err != nil {
		return sess, nil
	}
	var data []byte
	var remember bool
	var lastSeen time.Time
	var u User
	// The session and its (active) user in one query: this runs on every
	// request of a signed-in user.
	err = s.st.pool.QueryRow(r.Context(), `
		SELECT s.data, s.remember, s.last_seen_at, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.active
		LEFT JOIN organisations o ON o.id = u.organisation_id
		WHERE s.id_hash = $1 AND s.expires_at > now()
		  AND s.last_seen_at > now() - CASE WHEN s.remember THEN $3::interval ELSE $2::interval END`,
		sessionHash(id), s.times.Idle, s.times.Remember).Scan(&data, &remember, &lastSeen,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID, &u.OrganisationName, &u.OrganisationSlug,
		&u.Active, &u.HasPassword, &u.LastSignInAt, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return sess, nil
	}
	if err != nil {
		return sess, fmt.Errorf("store: load session: %w", err)
	}
	values := map[string]any{}
	if err := json.Unmarshal(data, &values); err != nil {
		return sess, fmt.Errorf("store: decode session: %w", err)
	}
	for k, v := range values {
		sess.Values[k] = v
	}
	sess.Values[SessionUserID] = u.ID
	sess.Values[SessionUser] = &u
	sess.Values[SessionRemember] = remember
	sess.ID = id
	sess.IsNew = false
	if remember {
		sess.Options.MaxAge = int(s.times.Remember.Seconds())
	}
	if time.Since(lastSeen) > touchEvery {
		if _, err := s.st.pool.Exec(r.Context(), `UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1`, sessionHash(id)); err != nil {
			return sess, fmt.Errorf("store: touch session: %w", err)
		}
	}
	return sess, nil
}

// Save writes the session and its cookie. A negative MaxAge deletes it.
func (s *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.Delete(ctx, sess.ID); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	if sess.ID == "" {
		var raw [32]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return err
		}
		sess.ID = base64.RawURLEncoding.EncodeToString(raw[:])
	}
	var userID *int64
	if id, ok := sess.Values[SessionUserID].(int64); ok {
		userID = &id
	}
	remember, _ := sess.Values[SessionRemember].(bool)
	values := map[string]any{}
	for k, v := range sess.Values {
		if key, ok := k.(string); ok && key != SessionUserID && key != SessionRemember && !strings.HasPrefix(key, "_") {
			values[key] = v
		}
	}
	data, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("store: encode session: %w", err)
	}
	lifetime := s.times.Lifetime
	if remember {
		lifetime = s.times.Remember
		sess.Options.MaxAge = int(s.times.Remember.Seconds())
	}
	if _, err := s.st.pool.Exec(ctx, `
		INSERT INTO sessions (id_hash, user_id, data, remember, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)
		ON CONFLICT (id_hash) DO UPDATE SET user_id = EXCLUDED.user_id, data = EXCLUDED.data, last_seen_at = now()`,
		sessionHash(sess.ID), userID, data, remember, lifetime); err != nil {
		return fmt.Errorf("store: save session: %w", err)
	}
	encoded, err := securecookie.EncodeMulti(sess.Name(), sess.ID, s.codecs...)
	if err != nil {
		return fmt.Errorf("store: encode session cookie: %w", err)
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), encoded, sess.Options))
	return nil
}

// Delete ends the session with the given id.
func (s *SessionStore) Delete(ctx context.Context, id string) error {
	if _, err := s.st.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, sessionHash(id)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// Touch marks a session as used now, resetting its idle timeout (the "stay
// signed in" button).
func (s *SessionStore) Touch(ctx context.Context, id string) error {
	if _, err := s.st.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1`, sessionHash(id)); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// SessionCount returns how many live sessions a user has.
func (s *Store) SessionCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE user_id = $1 AND expires_at > now()`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count sessions of %d: %w", userID, err)
	}
	return n, nil
}

func sessionHash(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}
