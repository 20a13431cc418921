package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"groundwork/store"
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

func TestSignInFailures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now().Add(-time.Minute)
	for range 3 {
		if err := f.st.RecordSignInFailure(ctx, "email:x@example.org", "ip:10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	n, last, err := f.st.SignInFailures(ctx, "email:x@example.org", start)
	if err != nil || n != 3 || time.Since(last) > time.Minute {
		t.Errorf("SignInFailures = %d, %v, %v; want 3, now", n, last, err)
	}
	if n, _, _ := f.st.SignInFailures(ctx, "ip:10.0.0.1", time.Now().Add(time.Minute)); n != 0 {
		t.Errorf("failures after a future moment = %d, want 0", n)
	}
	f.st.ClearSignInFailures(ctx, "email:x@example.org")
	if n, _, _ := f.st.SignInFailures(ctx, "email:x@example.org", start); n != 0 {
		t.Errorf("after clearing: %d failures", n)
	}
	if n, _, _ := f.st.SignInFailures(ctx, "ip:10.0.0.1", start); n != 3 {
		t.Errorf("clearing one key cleared another: %d", n)
	}
}
