package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MinPasswordScore is the lowest zxcvbn score (0 to 4) a new password may
// have. 3 means about 10^8 guesses or more: NIST SP 800-63B asks that
// passwords found in breach lists, dictionary words, repetitive or
// sequential characters and context-specific words be refused, and a
// score of 3 refuses those while any twelve characters that are not a
// known pattern pass.
const MinPasswordScore = 3

// siteWords are context-specific words a password must not lean on.
var siteWords = []string{"groundwork", "commcare", "opencrvs", "dimagi"}

// weakPassword returns why password is too easy to guess for the person
// with userInputs (name, e-mail address), or "".
func weakPassword(password string, userInputs ...string) Problem {
	inputs := append([]string(nil), siteWords...)
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		inputs = append(inputs, in)
		// The parts of a name or an address are guessed on their own too.
		inputs = append(inputs, strings.FieldsFunc(in, func(r rune) bool { return strings.ContainsRune(" @.-_+", r) })...)
	}
	res := zxcvbn.PasswordStrength(password, inputs)
	if res.Score >= MinPasswordScore && !builtOn(password, inputs) {
		return ""
	}
	if res.Score >= MinPasswordScore {
		return PasswordPersonal
	}
	return weakness(res.Sequence)
}

// weakness says what makes the guessable parts of a password guessable:
// the first pattern found that a guesser tries early.
func weakness(seq []*match.Match) Problem {
	for _, m := range seq {
		switch m.Pattern {
		case "dictionary":
			switch m.DictionaryName {
			case "passwords":
				return PasswordCommon
			case "user_inputs":
				return PasswordPersonal
			default:
				return PasswordCommonWords
			}
		case "repeat":
			return PasswordRepeats
		case "sequence":
			return PasswordSequence
		case "spatial":
			return PasswordKeyboard
		case "date", "regex":
			return PasswordDate
		}
	}
	return PasswordGuessable
}

// builtOn reports whether password's letters are little more than words
// from inputs: zxcvbn scores "amina.wanjiru1" high for a user named Amina
// Wanjiru, but the first thing anyone targeting her would try is her name.
func builtOn(password string, inputs []string) bool {
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, password)
	rest, used := letters, false
	for _, in := range inputs {
		if utf8.RuneCountInString(in) >= 3 && strings.Contains(rest, in) {
			rest, used = strings.ReplaceAll(rest, in, ""), true
		}
	}
	return used && utf8.RuneCountInString(rest) < 4
}
