package payment

import (
	"crypto/rand"
	"encoding/hex"
)

// randomKey returns a fresh idempotency key for requests that came without one.
func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
