package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's first recommended set (19 MiB, 2 passes,
// 1 lane). A hash takes about 35 ms on one core of the 2-core machine this
// was measured on (BenchmarkHashPassword), slow enough to make guessing
// expensive and fast enough that a sign-in feels instant.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// MaxPasswordLength, the longest password accepted, bounds the work one sign-in attempt can cause.
const MaxPasswordLength = 256

// CheckPassword returns the problem when password is not acceptable for
// the account with email and names (the person's, their organisation's),
// or "": too short, too long, or too easy to guess (see MinPasswordScore).
func CheckPassword(password, email string, names ...string) Problem {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return PasswordTooShort
	case len(password) > MaxPasswordLength:
		return PasswordTooLong
	case strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return PasswordIsEmail
	}
	return weakPassword(password, append([]string{email}, names...)...)
}

// hashPassword returns an argon2id hash in the PHC string format.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("store: malformed password hash")

// verifyPassword reports whether password matches hash, and whether the
// hash should be replaced because its parameters are outdated.
func verifyPassword(hash, password string) (ok, rehash bool, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false, errBadHash
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return false, false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false, false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || memory > 1<<20 || time > 16 || threads == 0 {
		return false, false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	rehash = version != argon2.Version || memory != argonMemory || time != argonTime || threads != argonThreads || len(want) != argonKeyLen
	return ok, rehash, nil
}

// dummyHash is verified against when an account does not exist, so that
// unknown addresses take as long as wrong passwords. It is a constant, not
// computed at start: hashing costs 19 MiB and ~50 ms that every start (and
// the idle memory) would pay. TestDummyHashMatchesParameters keeps it in
// step with the parameters above.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$GmDsQwA+JpYUhPMyTU0P/Q$7t7CKkB9jijwhj4xg21VQhUXiJYfXYAybFa9Ly+LaUM"
