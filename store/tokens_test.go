package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/store"
	"groundwork/store/storetest"
)

func TestTokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	invited, err := f.st.CreateUser(ctx, store.NewUser{Email: "invited@example.org", Name: "Invited", Role: store.RoleViewer, OrganisationID: f.orgA.ID})
	if err != nil {
		t.Fatal(err)
	}
	token, err := f.st.CreateToken(ctx, invited.ID, store.TokenInvite, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := f.st.TokenUser(ctx, token, store.TokenInvite); err != nil || u.ID != invited.ID {
		t.Fatalf("TokenUser = %+v, %v", u, err)
	}
	if _, err := f.st.TokenUser(ctx, token, store.TokenReset); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("invite token used for a reset: err = %v", err)
	}
	flip := "A"
	if token[len(token)-1] == 'A' {
		flip = "B"
	}
	tampered := token[:len(token)-1] + flip
	if _, err := f.st.TokenUser(ctx, tampered, store.TokenInvite); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("tampered token: err = %v", err)
	}
	var fe store.FieldErrors
	if _, err := f.st.UseToken(ctx, token, store.TokenInvite, "short", ""); !errors.As(err, &fe) {
		t.Errorf("short password: err = %v, want field errors", err)
	}
	if _, err := f.st.TokenUser(ctx, token, store.TokenInvite); err != nil {
		t.Errorf("a refused password spent the token: %v", err)
	}
	// The organisation's name, printed on the invitation's page, is no
	// password either.
	if err := f.st.UpdateOrganisation(ctx, f.admin.ID, store.Organisation{ID: f.orgA.ID, Name: "Ministry of Health Kenya", Platform: "commcare"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.UseToken(ctx, token, store.TokenInvite, "Ministry of Health Kenya", "Invited Person"); !errors.As(err, &fe) || fe["password"] != store.PasswordPersonal {
		t.Errorf("the organisation's name as the password: err = %v, want PasswordPersonal", err)
	}
	u, err := f.st.UseToken(ctx, token, store.TokenInvite, "a long enough secret", "Invited Person")
	if err != nil {
		t.Fatal(err)
	}
	if !u.HasPassword || u.Name != "Invited Person" {
		t.Errorf("after accepting: %+v", u)
	}
	if _, err := f.st.UseToken(ctx, token, store.TokenInvite, "another long secret", ""); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("reused token: err = %v, want ErrTokenInvalid", err)
	}
	if _, err := f.st.Authenticate(ctx, invited.Email, "a long enough secret"); err != nil {
		t.Errorf("cannot sign in with the chosen password: %v", err)
	}

	expired, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, -time.Second)
	if _, err := f.st.UseToken(ctx, expired, store.TokenReset, "a long enough secret", ""); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("expired token: err = %v, want ErrTokenInvalid", err)
	}

	// Two reset links: using one spends the other.
	first, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, time.Hour)
	second, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, time.Hour)
	if _, err := f.st.UseToken(ctx, second, store.TokenReset, "reset passphrase 1", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.TokenUser(ctx, first, store.TokenReset); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("older reset link still valid after a reset: %v", err)
	}

	// Using a reset link also spends a pending invitation, and the other way round.
	invite, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenInvite, time.Hour)
	reset, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, time.Hour)
	if _, err := f.st.UseToken(ctx, reset, store.TokenReset, "reset passphrase 2", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.TokenUser(ctx, invite, store.TokenInvite); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("invitation still valid after a reset: %v", err)
	}

	// Changing one's password spends reset links sent earlier.
	reset, _ = f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, time.Hour)
	if err := f.st.ChangePassword(ctx, f.manager.ID, "reset passphrase 2", "changed passphrase 3", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.TokenUser(ctx, reset, store.TokenReset); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("reset link still valid after a password change: %v", err)
	}

	// A deactivated user's link does not work, nor after reactivation.
	tok, _ := f.st.CreateToken(ctx, f.viewer.ID, store.TokenReset, time.Hour)
	f.st.SetUserActive(ctx, f.admin.ID, f.viewer.ID, false)
	if _, err := f.st.TokenUser(ctx, tok, store.TokenReset); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("deactivated user's token: err = %v", err)
	}
	f.st.SetUserActive(ctx, f.admin.ID, f.viewer.ID, true)
	if _, err := f.st.TokenUser(ctx, tok, store.TokenReset); !errors.Is(err, store.ErrTokenInvalid) {
		t.Errorf("link came back when the user was reactivated: %v", err)
	}
}

// A new link ends the user's earlier unused links of the same kind:
// e-mailed (CreateToken) or made by an admin to pass on (AdminLink).
func TestNewLinkEndsEarlierOnes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	invited, err := f.st.CreateUser(ctx, store.NewUser{Email: "invited@example.org", Name: "Invited", Role: store.RoleViewer, OrganisationID: f.orgA.ID})
	if err != nil {
		t.Fatal(err)
	}
	valid := func(token string, purpose store.TokenPurpose) bool {
		_, err := f.st.TokenUser(ctx, token, purpose)
		return err == nil
	}
	mailed, _ := f.st.CreateToken(ctx, invited.ID, store.TokenInvite, time.Hour)
	again, _ := f.st.CreateToken(ctx, invited.ID, store.TokenInvite, time.Hour)
	if valid(mailed, store.TokenInvite) || !valid(again, store.TokenInvite) {
		t.Errorf("after a second invitation: first valid %v, second valid %v; want only the second", valid(mailed, store.TokenInvite), valid(again, store.TokenInvite))
	}
	made, purpose, err := f.st.AdminLink(ctx, f.admin.ID, invited.ID, func(store.TokenPurpose) time.Duration { return time.Hour })
	if err != nil || purpose != store.TokenInvite {
		t.Fatalf("AdminLink = %s, %v", purpose, err)
	}
	if valid(again, store.TokenInvite) || !valid(made, store.TokenInvite) {
		t.Error("the admin's link did not end the e-mailed one, or does not work itself")
	}
	// Reset links alike; a reset link leaves a pending invitation alone.
	invite, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenInvite, time.Hour)
	first, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, time.Hour)
	second, _ := f.st.CreateToken(ctx, f.manager.ID, store.TokenReset, time.Hour)
	if valid(first, store.TokenReset) || !valid(second, store.TokenReset) {
		t.Error("after a second reset link the first still works, or the second does not")
	}
	if !valid(invite, store.TokenInvite) {
		t.Error("a reset link ended an invitation")
	}
	// The link left works, once.
	if _, err := f.st.UseToken(ctx, made, store.TokenInvite, "a long enough secret", ""); err != nil {
		t.Errorf("the newest invitation link: %v", err)
	}
}

func TestClaimAttempt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now().Add(-time.Minute)
	keys := []string{"email:x@example.org", "ip:10.0.0.1"}
	var seen []store.Attempts
	record := func(as []store.Attempts) time.Duration { seen = as; return 0 }
	var at time.Time
	for range 3 {
		_, a, err := f.st.ClaimAttempt(ctx, start, keys, record)
		if err != nil {
			t.Fatal(err)
		}
		at = a
	}
	if _, _, err := f.st.ClaimAttempt(ctx, start, keys, func(as []store.Attempts) time.Duration { seen = as; return time.Minute }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Count != 3 || seen[1].Count != 3 || !seen[0].Last.Equal(at) {
		t.Errorf("counts after 3 claims = %+v, want 3 under each key, the last at %v", seen, at)
	}
	f.st.ClaimAttempt(ctx, time.Now().Add(time.Minute), keys, func(as []store.Attempts) time.Duration { seen = as; return time.Minute })
	if seen[0].Count != 0 || !seen[0].Last.IsZero() {
		t.Errorf("failures after a future moment = %+v, want none", seen[0])
	}
	// A refused claim (a wait) recorded nothing; forgiving takes back one.
	f.st.ForgiveAttempt(ctx, keys[1], at)
	f.st.ClearSignInFailures(ctx, keys[0])
	f.st.ClaimAttempt(ctx, start, keys, func(as []store.Attempts) time.Duration { seen = as; return time.Minute })
	if seen[0].Count != 0 || seen[1].Count != 2 {
		t.Errorf("after clearing one key and forgiving one attempt under the other: %+v, want 0 and 2", seen)
	}
}

// TestClaimAttemptIsAtomic fires concurrent claims that each go ahead only
// below a limit: however they interleave, at most the limit go ahead.
func TestClaimAttemptIsAtomic(t *testing.T) {
	// A wide pool, so that the claims really run at once (20: a shared
	// TEST_DATABASE_URL server has other packages connected too).
	cfg, err := pgxpool.ParseConfig(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	const limit, attempts = 10, 60
	var wg sync.WaitGroup
	var ahead atomic.Int32
	for range attempts {
		wg.Go(func() {
			wait, _, err := st.ClaimAttempt(context.Background(), time.Now().Add(-time.Hour), []string{"ip:10.0.0.2", "email:y@example.org"},
				func(as []store.Attempts) time.Duration {
					time.Sleep(20 * time.Millisecond) // widen any window between counting and recording
					if as[1].Count >= limit {
						return time.Minute
					}
					return 0
				})
			if err != nil {
				t.Error(err)
			}
			if wait == 0 {
				ahead.Add(1)
			}
		})
	}
	wg.Wait()
	if got := ahead.Load(); got != limit {
		t.Errorf("%d concurrent claims: %d went ahead, want %d", attempts, got, limit)
	}
}
