package db_test

import (
	"slices"
	"testing"

	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// ACC-9 RDR-1: migration 0010 moves each reader's photo to their account,
// where every user's photo now lives, and gives every session a public id
// of its own and its start as the time it was last used, on both engines.
func TestAccountSettingsMigrationKeepsPhotosAndSessions_ACC9(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			d := openAt(t, e, 9)
			execAll(t, d,
				"INSERT INTO users (id, email, display_name, role, created_at, updated_at) VALUES (1, 'r@example.com', 'R', 'reader', 1, 1), (2, 'c@example.com', 'C', 'client', 1, 1)",
				"INSERT INTO reader_profiles (user_id, avatar_key, status_changed_at, created_at, updated_at) VALUES (1, 'avatars/1-0123456789ab.jpg', 1, 1, 1)",
				"INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h1', 1, 1000, 9000), ('h2', 1, 2000, 9000)")
			if n := migrateThrough(t, d, 10); n != 1 {
				t.Fatalf("applied %d migrations, want 0010", n)
			}
			if got := dumpRows(t, d, "SELECT id, avatar_key, time_zone FROM users ORDER BY id"); !slices.Equal(got, []string{"int64:1|avatars/1-0123456789ab.jpg|", "int64:2||"}) {
				t.Fatalf("users after 0010 = %q", got)
			}
			if got := dumpRows(t, d, "SELECT token_hash, last_seen_at FROM sessions ORDER BY token_hash"); !slices.Equal(got, []string{"h1|int64:1000", "h2|int64:2000"}) {
				t.Fatalf("sessions after 0010 = %q", got)
			}
			if ids := dumpRows(t, d, "SELECT DISTINCT public_id FROM sessions WHERE length(public_id) = 16"); len(ids) != 2 {
				t.Fatalf("session ids after 0010 = %q, want two distinct 16-character ids", ids)
			}
		})
	}
}
