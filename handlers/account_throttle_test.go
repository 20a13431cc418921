package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestAccountPasswordGuessesThrottled: wrong current passwords on the
// account page count as failed sign-ins of the account, so someone holding
// a borrowed session cannot try passwords freely; past the limit even the
// right one waits, with Retry-After. A right current password clears the
// count, even when the new password is refused.
func TestAccountPasswordGuessesThrottled(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("viewer@example.org")
	change := func(current string) (*http.Response, string) {
		return b.Post("/account/password", url.Values{"current": {current}, "password": {"another long passphrase 9"}, "confirm": {"another long passphrase 9"}})
	}
	for i := range 9 {
		if resp, body := change("guess " + strconv.Itoa(i)); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "That is not your current password.") {
			t.Fatalf("guess %d = %d", i+1, resp.StatusCode)
		}
	}
	// The right current password with a refused new one: no guess.
	if resp, _ := b.Post("/account/password", url.Values{"current": {handlerstest.Password}, "password": {"short"}, "confirm": {"short"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a too short new password = %d, want 422", resp.StatusCode)
	}
	for i := range 10 {
		if resp, _ := change("again " + strconv.Itoa(i)); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("after the right password, guess %d = %d, want 422: the count starts again", i+1, resp.StatusCode)
		}
	}
	resp, body := change(handlerstest.Password)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many wrong passwords. Wait") {
		t.Fatalf("the right password after 10 wrong ones = %d (Retry-After %q), want 429 saying to wait", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, `id="f-current-error"`) {
		t.Error("the wait is not said beside the current password field")
	}
}
