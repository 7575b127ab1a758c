// Package signing signs the links SoulSeer hands out for one person's
// eyes (a shop download, a data export): an HMAC-SHA256 of what the link
// is for, under a secret kept in the database, so every instance signs
// and checks alike and a restart invalidates nothing.
package signing

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/db"
)

// keys caches each database's secrets once read, by name.
var keys struct {
	sync.Mutex
	byDB map[*db.DB]map[string][]byte
}

// Key returns the secret called name, made on first use (now is when) and
// kept in signing_keys; when two instances make it at once, both use the
// one stored first.
func Key(ctx context.Context, d *db.DB, name string, now time.Time) ([]byte, error) {
	keys.Lock()
	defer keys.Unlock()
	if k, ok := keys.byDB[d][name]; ok {
		return k, nil
	}
	fresh := make([]byte, 32)
	_, _ = rand.Read(fresh)
	var secret string
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (name, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			name, hex.EncodeToString(fresh), db.Millis(now)); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT secret FROM signing_keys WHERE name = $1`, name).Scan(&secret)
	})
	if err != nil {
		return nil, fmt.Errorf("signing: key %s: %w", name, err)
	}
	k, err := hex.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("signing: key %s: %w", name, err)
	}
	if keys.byDB == nil {
		keys.byDB = map[*db.DB]map[string][]byte{}
	}
	if keys.byDB[d] == nil {
		keys.byDB[d] = map[string][]byte{}
	}
	keys.byDB[d][name] = k
	return k, nil
}

// Sign is the signature of parts under key: HMAC-SHA256 of the parts
// joined by NUL bytes, base64url without padding. The first part names
// what is signed, so a signature for one kind of link never fits another.
func Sign(key []byte, parts ...any) string {
	m := hmac.New(sha256.New, key)
	strs := make([]string, len(parts))
	for i, p := range parts {
		strs[i] = fmt.Sprint(p)
	}
	m.Write([]byte(strings.Join(strs, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Valid reports, in constant time, whether sig is the signature of parts
// under key.
func Valid(key []byte, sig string, parts ...any) bool {
	return hmac.Equal([]byte(sig), []byte(Sign(key, parts...)))
}
