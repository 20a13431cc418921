package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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

// Session is a live sign-in, kept in PostgreSQL so that every instance
// shares it and ending it (sign-out, deactivation) takes effect everywhere.
// The table holds only the SHA-256 of its random id.
type Session struct {
	// User is the signed-in user, loaded with the session in one query.
	User User
	// Remember says the user asked to be remembered.
	Remember bool
	// Unread is the number of the user's unread notifications, up to 100.
	Unread int
	// IdleLeft is how long the session stays alive without another
	// request: its idle timeout less the age of its last-seen time, which
	// is written at most every TouchEvery.
	IdleLeft time.Duration
}

// IdleFor is how long a session stays alive without a request: Remember
// for a "remember me" session, else Idle.
func (t SessionTimes) IdleFor(remember bool) time.Duration {
	if remember {
		return t.Remember
	}
	return t.Idle
}

// TouchEvery throttles a session's last-seen updates: at most one write a
// minute, not one per request, or an eighth of the idle timeout when that
// is shorter. A session in use may so end that much sooner after its last
// request than its idle timeout says; the page warns that much earlier.
func (t SessionTimes) TouchEvery(remember bool) time.Duration {
	return min(time.Minute, t.IdleFor(remember)/8)
}

// CreateSession starts a session for userID, ending after times.Lifetime
// (times.Remember when remember is set), and returns its id: the secret
// the session cookie carries.
func (s *Store) CreateSession(ctx context.Context, userID int64, remember bool, times SessionTimes) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	lifetime := times.Lifetime
	if remember {
		lifetime = times.Remember
	}
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (id_hash, user_id, remember, expires_at) VALUES ($1, $2, $3, now() + $4::interval)`,
		sessionHash(id), userID, remember, lifetime); err != nil {
		return "", fmt.Errorf("store: create session for %d: %w", userID, err)
	}
	return id, nil
}

// Session returns the live session with the given id and its active user,
// and marks it used; ErrNotFound when the session is unknown, has ended
// (idle for longer than times allow, past its lifetime, signed out) or its
// user is deactivated. This runs on every request of a signed-in user.
func (s *Store) Session(ctx context.Context, id string, times SessionTimes) (Session, error) {
	var sess Session
	var seen time.Duration // since the last-seen time, by the database's clock
	u := &sess.User
	err := s.pool.QueryRow(ctx, `
		SELECT s.remember, now() - s.last_seen_at, `+unreadCount("u.id")+`, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.active
		LEFT JOIN organisations o ON o.id = u.organisation_id
		WHERE s.id_hash = $1 AND s.expires_at > now()
		  AND s.last_seen_at > now() - CASE WHEN s.remember THEN $3::interval ELSE $2::interval END`,
		sessionHash(id), times.Idle, times.Remember).Scan(&sess.Remember, &seen, &sess.Unread,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID, &u.OrganisationName, &u.OrganisationSlug,
		&u.Active, &u.HasPassword, &u.LastSignInAt, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: load session: %w", err)
	}
	if seen > times.TouchEvery(sess.Remember) {
		if err := s.TouchSession(ctx, id); err != nil {
			return Session{}, err
		}
		seen = 0
	}
	sess.IdleLeft = times.IdleFor(sess.Remember) - seen
	return sess, nil
}

// DeleteSession ends the session with the given id.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, sessionHash(id)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// TouchSession marks a session as used now, resetting its idle timeout
// (the "stay signed in" button).
func (s *Store) TouchSession(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1`, sessionHash(id)); err != nil {
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
