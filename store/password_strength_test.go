package store_test

import (
	"strings"
	"testing"

	"groundwork/store"
)

func TestCheckPasswordRefusesGuessable(t *testing.T) {
	const email, name = "amina.wanjiru@moh.example.org", "Amina Wanjiru"
	tests := []struct {
		password string
		want     string // in the message; "" for accepted
	}{
		{"aaaaaaaaaaaa", "repeats characters"},
		{"            ", "repeats characters"},
		{"password1234", "most commonly used passwords"},
		{"123456789012", "most commonly used passwords"},
		{"qwertyuiop12", "most commonly used passwords"},
		{"abcdefghijklmnop", "sequence"},
		{"amina.wanjiru1", "your name, your e-mail address"},
		{"wanjiru amina!", "your name, your e-mail address"},
		{"groundwork2026", "your name, your e-mail address or the name of this site"},
		{"short", "at least 12"},
		{"correct horse battery staple", ""},
		{"kenya health ledger", ""},
		{"Tr0ub4dor&3xyz", ""},
	}
	for _, tt := range tests {
		got := store.CheckPassword(tt.password, email, name)
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("CheckPassword(%q) = %q, want a message with %q", tt.password, got, tt.want)
		}
		if tt.want != "" && tt.want != "at least 12" && !strings.Contains(got, "too easy to guess") {
			t.Errorf("CheckPassword(%q) = %q, want it to say the password is too easy to guess", tt.password, got)
		}
	}
}
