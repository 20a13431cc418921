package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// TokenPurpose says what a single-use token is for.
type TokenPurpose string

// Token purposes.
const (
	// TokenInvite lets an invited user set their first password.
	TokenInvite TokenPurpose = "invite"
	// TokenReset lets a user who forgot their password set a new one.
	TokenReset TokenPurpose = "reset"
)

// CreateToken issues a single-use token for user and purpose, valid for
// ttl; the user's earlier unused tokens of that purpose stop working. Only
// its SHA-256 is stored; the returned text goes into the link.
func (s *Store) CreateToken(ctx context.Context, userID int64, purpose TokenPurpose, ttl time.Duration) (string, error) {
	var token string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		token, err = insertToken(ctx, tx, userID, 0, purpose, ttl)
		return err
	})
	return token, err
}

// insertToken stores a new token's hash, with the admin who made it to
// pass on (madeBy; 0 for a link sent by e-mail), and returns the token.
// It spends the user's earlier unused tokens of the same purpose: only the
// newest invitation (or reset) link works, so one sent to a wrong address,
// or lost, is dead once another is made. (A new reset link leaves a
// pending invitation alone, and the other way round.)
func insertToken(ctx context.Context, tx pgx.Tx, userID, madeBy int64, purpose TokenPurpose, ttl time.Duration) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	// The user's row is locked first, so that of two links made at once
	// the later one spends the earlier.
	if _, err := tx.Exec(ctx, `SELECT FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
		return "", fmt.Errorf("store: lock %d: %w", userID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, userID, purpose); err != nil {
		return "", fmt.Errorf("store: revoke %s tokens of %d: %w", purpose, userID, err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at, made_by) VALUES ($1, $2, $3, now() + $4::interval, nullif($5, 0))`,
		tokenHash(token), userID, purpose, ttl, madeBy); err != nil {
		return "", fmt.Errorf("store: create %s token for %d: %w", purpose, userID, err)
	}
	return token, nil
}

// ErrInactive refuses a sign-in link for a deactivated user.
var ErrInactive = errors.New("store: the user is deactivated")

// linkUser is what AdminLink and Reinvite need of the user they act on.
type linkUser struct {
	hasPassword bool
	email       string
	org         int64
}

// linkTarget reads and locks the user an admin makes or sends a sign-in
// link to: ErrInactive when deactivated, ErrForbidden or ErrNotFound as
// notAdmin says.
func (s *Store) linkTarget(ctx context.Context, tx pgx.Tx, actorID, userID int64) (linkUser, error) {
	var u linkUser
	var active bool
	err := tx.QueryRow(ctx, `SELECT active, password_hash IS NOT NULL, email, coalesce(organisation_id, 0) FROM users
		WHERE id = $1 AND `+isAdmin("$2")+` FOR UPDATE`, userID, actorID).Scan(&active, &u.hasPassword, &u.email, &u.org)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return u, s.notAdmin(ctx, tx, actorID)
	case err != nil:
		return u, err
	case !active:
		return u, ErrInactive
	}
	return u, nil
}

// AdminLink lets an admin hand a user their link in person, where no mail
// server sends it: an invitation link (TokenInvite) for a user who has no
// password yet, else a password reset link (TokenReset), valid for
// ttl(purpose). The audit trail records who made it. Earlier unused links
// of the same purpose stop working.
func (s *Store) AdminLink(ctx context.Context, actorID, userID int64, ttl func(TokenPurpose) time.Duration) (string, TokenPurpose, error) {
	var token string
	var purpose TokenPurpose
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := s.linkTarget(ctx, tx, actorID, userID)
		if err != nil {
			return err
		}
		purpose = TokenInvite
		what := "invitation link made, to send by hand"
		if u.hasPassword {
			purpose, what = TokenReset, "password reset link made, to send by hand"
		}
		if token, err = insertToken(ctx, tx, userID, actorID, purpose, ttl(purpose)); err != nil {
			return err
		}
		return logEvent(ctx, tx, actorID, u.org, "link", u.email, nil, what)
	})
	if errors.Is(err, ErrInactive) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) {
		return "", "", err
	}
	if err != nil {
		return "", "", fmt.Errorf("store: link for %d: %w", userID, err)
	}
	return token, purpose, nil
}

// ErrAccepted refuses a new invitation to a user who has a password.
var ErrAccepted = errors.New("store: the user has accepted their invitation")

// Reinvite queues a new invitation e-mail to an active user who has not
// accepted theirs (ErrAccepted, ErrInactive otherwise); an admin may. Its
// job makes the new link, after which earlier ones stop working. The
// audit trail records who sent it.
func (s *Store) Reinvite(ctx context.Context, actorID, userID int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := s.linkTarget(ctx, tx, actorID, userID)
		if err != nil {
			return err
		}
		if u.hasPassword {
			return ErrAccepted
		}
		if _, err := s.jobs.InsertTx(ctx, tx, InvitationMail{UserID: userID, InviterID: actorID}, nil); err != nil {
			return err
		}
		return logEvent(ctx, tx, actorID, u.org, "link", u.email, nil, "invitation sent again by e-mail")
	})
	if errors.Is(err, ErrInactive) || errors.Is(err, ErrAccepted) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: invite %d again: %w", userID, err)
	}
	return nil
}

// TokenUser returns the user a valid (known, unused, unexpired) token was
// issued to, else ErrTokenInvalid.
func (s *Store) TokenUser(ctx context.Context, token string, purpose TokenPurpose) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+userFrom+`
		JOIN user_tokens t ON t.user_id = u.id
		WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now() AND u.active`,
		tokenHash(token), purpose))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrTokenInvalid
	}
	if err != nil {
		return User{}, fmt.Errorf("store: token user: %w", err)
	}
	return u, nil
}

// UseToken spends a token to set the user's password (and, when name is not
// empty, their name). It fails with ErrTokenInvalid when the token is
// unknown, used or expired, and with FieldErrors for a bad password. Every
// other token of the same purpose and every session of the user end with it.
// Using a token signs the user in, so it counts as their latest sign-in.
func (s *Store) UseToken(ctx context.Context, token string, purpose TokenPurpose, password, name string) (User, error) {
	u, err := s.TokenUser(ctx, token, purpose)
	if err != nil {
		return User{}, err
	}
	errs := FieldErrors{}
	// An invited person may change their name in the same form.
	if p := CheckPassword(password, u.Email, u.Name, name, u.OrganisationName); p != "" {
		errs["password"] = p
	}
	if tooLongName(name) {
		errs["name"] = NameTooLong
	}
	if len(errs) > 0 {
		return User{}, errs
	}
	hash, err := hashPassword(password)
	if err != nil {
		return User{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var userID int64
		var maker *string // the admin who made the link to pass on, if one did
		// The conditional update is the single-use guarantee: of two
		// concurrent uses, one updates the row and the other finds none.
		err := tx.QueryRow(ctx, `
			UPDATE user_tokens t SET used_at = now()
			WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
			RETURNING user_id, (SELECT m.name FROM users m WHERE m.id = t.made_by)`, tokenHash(token), purpose).Scan(&userID, &maker)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrTokenInvalid
		}
		if err != nil {
			return err
		}
		var was, email string
		var org int64
		if err := tx.QueryRow(ctx, `SELECT name, email, coalesce(organisation_id, 0) FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&was, &email, &org); err != nil {
			return err
		}
		now := cmp.Or(strings.TrimSpace(name), was)
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, name = $3, last_sign_in_at = now() WHERE id = $1`, userID, hash, now); err != nil {
			return err
		}
		what := "password set, invitation accepted"
		if purpose == TokenReset {
			what = "password reset with a single-use link"
		}
		if maker != nil {
			what += ", made by " + *maker + " to send by hand"
		}
		if err := logEvent(ctx, tx, userID, org, "password", email, nil, what); err != nil {
			return err
		}
		if now != was {
			if err := logEvent(ctx, tx, userID, org, "name", email, &was, now); err != nil {
				return err
			}
		}
		if err := revokeTokens(ctx, tx, userID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
	if errors.Is(err, ErrTokenInvalid) {
		return User{}, err
	}
	if err != nil {
		return User{}, fmt.Errorf("store: use %s token: %w", purpose, err)
	}
	return s.UserByID(ctx, u.ID)
}

func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// revokeTokens spends every unused link of a user, invitations and resets
// alike: a new password, or a deactivation, ends what older e-mails could
// still do.
func revokeTokens(ctx context.Context, tx pgx.Tx, userID int64) error {
	_, err := tx.Exec(ctx, `UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, userID)
	return err
}
