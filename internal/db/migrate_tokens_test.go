package db_test

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// ACC-10: API tokens made before migration 0008 get the default lifetime of
// 90 days from their creation and a public id of their own, on both
// engines; nothing else about them changes.
func TestTokenExpiryMigrationKeepsTokens_ACC10(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			d := openAt(t, e, 7)
			execAll(t, d, "INSERT INTO users (id, email, display_name, created_at, updated_at) VALUES (1, 'a@example.com', 'A', 1, 1)",
				"INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (1, 'old', 'h1', 1000)",
				"INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (1, 'new', 'h2', 5000)")
			if err := d.Migrate(ctx, discard(), nil); err != nil {
				t.Fatal(err)
			}
			got := dumpRows(t, d, "SELECT name, token_hash, expires_at FROM api_tokens ORDER BY id")
			want := []string{"old|h1|int64:7776001000", "new|h2|int64:7776005000"}
			if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("tokens after 0008 = %q, want %q", got, want)
			}
			ids := dumpRows(t, d, "SELECT DISTINCT public_id FROM api_tokens WHERE length(public_id) = 16")
			if len(ids) != 2 {
				t.Fatalf("public ids after 0008 = %q, want two distinct 16-character ids", ids)
			}
		})
	}
}
