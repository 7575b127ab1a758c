package payment

import (
	"crypto/rand"
	"encoding/hex"
)

// NewKey returns a fresh idempotency key: for requests that came without one,
// and for money forms, so a double submit refunds or adjusts once.
func NewKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
