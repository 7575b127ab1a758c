package deletion

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// Removed stands in for the text of a deleted account's messages, which
// stay in their conversations, chats and threads for the other people.
const Removed = "[deleted]"

// erasures are the statements that erase a person ($1) at a time ($2),
// table by table, as privacy.Tables lists where people's data lives. What
// is theirs alone is deleted; what others keep — a conversation, a chat, a
// forum thread, a review of a reading — stays with its text removed (a
// paid reply someone bought stays: it is theirs); money records stay for
// accounting, reaching nobody once the account row is anonymised.
var erasures = []string{
	// Signing in, settings and what only they saw.
	`DELETE FROM api_tokens WHERE user_id = $1`,
	`DELETE FROM password_resets WHERE user_id = $1`,
	`DELETE FROM email_changes WHERE user_id = $1`,
	`DELETE FROM oidc_identities WHERE user_id = $1`,
	`DELETE FROM two_factor_recovery_codes WHERE user_id = $1`,
	`DELETE FROM two_factor_challenges WHERE user_id = $1`,
	`DELETE FROM two_factor_devices WHERE user_id = $1`,
	`DELETE FROM two_factor WHERE user_id = $1`,
	`DELETE FROM notification_preferences WHERE user_id = $1`,
	`DELETE FROM notification_email_batches WHERE user_id = $1`,
	`DELETE FROM notification_unsubscribes WHERE user_id = $1`,
	`DELETE FROM notifications WHERE user_id = $1`,
	`DELETE FROM data_exports WHERE user_id = $1`,
	`DELETE FROM spending_limits WHERE user_id = $1`,
	`DELETE FROM auto_reloads WHERE user_id = $1`,
	`DELETE FROM test_card_setups WHERE user_id = $1`,
	`DELETE FROM payment_customers WHERE user_id = $1`,
	`DELETE FROM favorites WHERE client_id = $1 OR reader_id = $1`,
	`DELETE FROM online_watches WHERE client_id = $1 OR reader_id = $1`,
	`DELETE FROM blocks WHERE blocker_id = $1 OR blocked_id = $1`,
	`DELETE FROM client_notes WHERE reader_id = $1 OR client_id = $1`,
	`DELETE FROM reading_notes WHERE client_id = $1`,
	`DELETE FROM reading_queue WHERE reader_id = $1 OR client_id = $1`,
	`DELETE FROM forum_reads WHERE user_id = $1`,
	`DELETE FROM account_deletions WHERE user_id = $1`,

	// A reader's listing, schedule and streams.
	`DELETE FROM reader_applications WHERE user_id = $1`,
	`DELETE FROM reader_specialties WHERE reader_id = $1`,
	`DELETE FROM reader_availability WHERE reader_id = $1`,
	`DELETE FROM availability_durations WHERE reader_id = $1`,
	`DELETE FROM availability_weekly WHERE reader_id = $1`,
	`DELETE FROM availability_openings WHERE reader_id = $1`,
	`DELETE FROM availability_time_off WHERE reader_id = $1`,
	`UPDATE reader_profiles SET tagline = '', bio = '', languages = '', is_verified = FALSE, status = 'offline',
		simulated_presence = FALSE, automated = FALSE, updated_at = $2 WHERE user_id = $1`,
	`UPDATE streams SET title = '` + Removed + `' WHERE reader_id = $1`,
	`DELETE FROM stream_invites WHERE user_id = $1`,
	`DELETE FROM stream_viewers WHERE user_id = $1`,
	`DELETE FROM stream_moderators WHERE reader_id = $1 OR moderator_id = $1`,
	`DELETE FROM stream_bans WHERE reader_id = $1 OR user_id = $1`,
	`DELETE FROM stream_mutes WHERE reader_id = $1 OR user_id = $1`,
	// Subscriptions to or of them run to the end of the period paid for.
	`UPDATE stream_subscriptions SET cancel_at_period_end = TRUE, updated_at = $2
		WHERE (subscriber_id = $1 OR reader_id = $1) AND state = 'active'`,

	// What others keep, without their words.
	`UPDATE reading_messages SET body = '` + Removed + `' WHERE sender_id = $1`,
	`UPDATE booking_messages SET body = '` + Removed + `' WHERE sender_id = $1`,
	`UPDATE stream_messages SET body = '` + Removed + `' WHERE sender_id = $1`,
	`UPDATE messages SET body = '` + Removed + `' WHERE sender_id = $1 AND NOT (price_cents > 0 AND unlocked_at IS NOT NULL)`,
	`UPDATE satisfaction_claims SET details = '' WHERE client_id = $1`,
	`UPDATE reviews SET body = '' WHERE client_id = $1`,
	`UPDATE reviews SET reply = '' WHERE reader_id = $1`,
	`UPDATE flags SET note = '' WHERE reporter_id = $1`,
	`DELETE FROM forum_post_revisions WHERE post_id IN (SELECT id FROM forum_posts WHERE author_id = $1)`,
	`UPDATE forum_posts SET body = '', body_html = '', deleted_at = COALESCE(deleted_at, $2) WHERE author_id = $1`,
	`UPDATE forum_threads SET title = '` + Removed + `' WHERE author_id = $1`,
	`DELETE FROM uploads WHERE owner_id = $1`,
	`UPDATE shop_orders SET ship_name = '', ship_line1 = '', ship_line2 = '', ship_city = '', ship_region = '', ship_postal_code = '',
		ship_country = '' WHERE user_id = $1`,
}

// erase removes u's personal data in one transaction, with the link that
// confirmed it, and returns the stored files to remove once it commits
// (their photo, uploads and exports). Their name and address are then
// taken out of what others were told (see scrubMentions), the account row
// becomes "Deleted user" with an address that cannot receive mail (so
// theirs can sign up again), and the audit log records the deletion by
// number, without anything that names them.
func (s *Service) erase(ctx context.Context, u account.User, token string) ([]string, error) {
	var files []string
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := s.Accounts.UserToDelete(ctx, tx, token); err != nil {
			return err // erased by a run that finished first
		}
		var err error
		if files, err = filesOf(ctx, tx, u); err != nil {
			return err
		}
		now := db.Millis(s.Clock.Now())
		for _, q := range erasures {
			args := []any{u.ID}
			if strings.Contains(q, "$2") {
				args = append(args, now) // PostgreSQL refuses a parameter a statement does not use
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("deletion: %.60s: %w", q, err)
			}
		}
		if err := account.EndSessions(ctx, tx, s.Accounts.Hub, u.ID); err != nil {
			return fmt.Errorf("deletion: end sessions: %w", err)
		}
		if err := scrubMentions(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = $2, display_name = $3, password_hash = NULL, avatar_key = '', time_zone = '',
			two_factor_at = NULL, suspended_until = NULL, last_login_at = NULL, deleted_at = $4, updated_at = $4 WHERE id = $1`,
			u.ID, account.Tombstone(u.ID), account.DeletedName, now); err != nil {
			return fmt.Errorf("deletion: anonymise account: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "account.delete", Model: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			Details: map[string]any{"role": u.Role}, At: s.Clock.Now()})
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// filesOf lists the stored files of u: their photo, their uploads (and
// thumbnails) and their data exports.
func filesOf(ctx context.Context, tx *db.Tx, u account.User) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT file_key FROM uploads WHERE owner_id = $1
		UNION ALL SELECT thumb_key FROM uploads WHERE owner_id = $1 AND thumb_key <> ''
		UNION ALL SELECT file_key FROM data_exports WHERE user_id = $1 AND file_key <> ''`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("deletion: files: %w", err)
	}
	files, err := db.Collect(rows, func(r db.Row) (string, error) {
		var k string
		err := r.Scan(&k)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("deletion: files: %w", err)
	}
	if u.AvatarKey != "" {
		files = append(files, u.AvatarKey)
	}
	return files, nil
}
