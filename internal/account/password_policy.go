package account

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Password length limits: long enough to resist guessing, short enough that
// hashing cannot be abused.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the embedded list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10_000)
	for line := range strings.Lines(commonPasswordList) {
		if line = strings.TrimRight(line, "\r\n"); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
})

// CheckPasswordPolicy returns a user-facing problem with a new password, or
// nil. The same rules hold for sign-up, password resets and accounts made
// from the command line: at least MinPasswordLen characters and at most
// MaxPasswordLen bytes; not only whitespace; not a few characters repeated
// ("aaaaaaaa", "abababab") or a straight run ("12345678", "hgfedcba"); not
// one of the 10,000 most common passwords (common_passwords.txt), in any
// letter case; and not the user's own email address, the part before its @,
// or display name (personal lists those; empty ones are skipped).
func CheckPasswordPolicy(pw string, personal ...string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return fmt.Errorf("Use at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Errorf("Use at most %d characters.", MaxPasswordLen)
	case strings.TrimSpace(pw) == "":
		return errors.New("Use letters, numbers or symbols, not only spaces.")
	case repeatsShortPattern(pw):
		return errors.New("Use more than a few characters over and over.")
	case isStraightRun(pw):
		return errors.New("Use something harder to guess than a sequence like 12345678 or abcdefgh.")
	}
	folded := strings.ToLower(strings.TrimSpace(pw))
	if _, common := commonPasswords()[folded]; common {
		return errors.New("This is one of the most common passwords, the first ones attackers try. Choose another.")
	}
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		local, _, _ := strings.Cut(p, "@")
		for _, v := range []string{p, local, strings.ReplaceAll(p, " ", "")} {
			if v != "" && folded == v {
				return errors.New("Do not use your email address or name as your password.")
			}
		}
	}
	return nil
}

// repeatsShortPattern reports whether pw is a chunk of 1 to 3 characters
// repeated to its whole length.
func repeatsShortPattern(pw string) bool {
	r := []rune(pw)
	for n := 1; n <= 3 && n < len(r); n++ {
		same := true
		for i := n; i < len(r) && same; i++ {
			same = r[i] == r[i-n]
		}
		if same {
			return true
		}
	}
	return false
}

// isStraightRun reports whether each character of pw comes right after the
// one before it, or each right before it ("12345678", "hgfedcba").
func isStraightRun(pw string) bool {
	r := []rune(pw)
	for _, step := range []rune{1, -1} {
		run := true
		for i := 1; i < len(r) && run; i++ {
			run = r[i]-r[i-1] == step
		}
		if run {
			return true
		}
	}
	return false
}
