package store_test

import (
	"testing"

	"groundwork/store"
)

func TestCheckPasswordRefusesGuessable(t *testing.T) {
	const email, name = "amina.wanjiru@moh.example.org", "Amina Wanjiru"
	tests := []struct {
		password string
		want     store.Problem // "" for accepted
	}{
		{"aaaaaaaaaaaa", store.PasswordRepeats},
		{"            ", store.PasswordRepeats},
		{"password1234", store.PasswordCommon},
		{"123456789012", store.PasswordCommon},
		{"qwertyuiop12", store.PasswordCommon},
		{"abcdefghijklmnop", store.PasswordSequence},
		{"amina.wanjiru1", store.PasswordPersonal},
		{"wanjiru amina!", store.PasswordPersonal},
		{"groundwork2026", store.PasswordPersonal},
		{"short", store.PasswordTooShort},
		{"correct horse battery staple", ""},
		{"kenya health ledger", ""},
		{"Tr0ub4dor&3xyz", ""},
	}
	for _, tt := range tests {
		got := store.CheckPassword(tt.password, email, name)
		if got != tt.want {
			t.Errorf("CheckPassword(%q) = %q, want %q", tt.password, got, tt.want)
		}
	}
}
