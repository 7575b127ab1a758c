package privacy

// Table is one table of the schema and what it holds of people: the one
// place that says where a person's data lives. A data export (SEC-1)
// reads the tables with a File; erasing an account (SEC-2) follows People
// and Via. Every table of the schema has an entry (a test holds the list
// to the database of each engine), so a new table is placed here before
// it ships.
type Table struct {
	Name string
	// People are the columns naming a person a row belongs to or is
	// about ("id" for users); none for a table that holds no one's data
	// or reaches its people through Via.
	People []string
	// Via is the table a row belongs to, whose people are the row's too
	// (reading_messages: readings); "" when none.
	Via string
	// File is the export file a person's rows go to; "" when none does.
	File string
	// Left says why the table is in no export file; "" when it is in one.
	Left string
}

// The files of an export, each a JSON document (see sections).
const (
	fileProfile       = "profile.json"
	fileSecurity      = "security.json"
	fileReadings      = "readings.json"
	fileBookings      = "bookings.json"
	fileMessages      = "messages.json"
	fileWallet        = "wallet.json"
	fileGifts         = "gifts.json"
	fileStreams       = "streams.json"
	fileShop          = "shop.json"
	filePayouts       = "payouts.json"
	fileForum         = "forum.json"
	fileFlags         = "flags.json"
	fileNotifications = "notifications.json"
	fileReviews       = "reviews.json"
	fileFavorites     = "favorites.json"
)

// Reasons a table is left out of exports.
const (
	leftNobody    = "holds no one's data"
	leftSecret    = "secrets and their hashes are never handed out"
	leftTransient = "short-lived bookkeeping, gone within minutes or hours"
	leftOperator  = "the operator's own records"
)

// tables is every table of the schema.
var tables = []Table{
	// Accounts and sign-in.
	{Name: "users", People: []string{"id"}, File: fileProfile},
	{Name: "oidc_identities", People: []string{"user_id"}, File: fileSecurity},
	{Name: "sessions", People: []string{"user_id"}, File: fileSecurity},
	{Name: "api_tokens", People: []string{"user_id"}, File: fileSecurity},
	{Name: "password_resets", People: []string{"user_id"}, File: fileSecurity},
	{Name: "email_changes", People: []string{"user_id"}, File: fileProfile},
	{Name: "account_deletions", People: []string{"user_id"}, Left: leftTransient + " (a link to confirm deleting the account)"},
	{Name: "two_factor", People: []string{"user_id"}, Left: leftSecret + " (profile.json says whether it is on)"},
	{Name: "two_factor_recovery_codes", People: []string{"user_id"}, File: fileSecurity}, // how many are left, never the codes
	{Name: "two_factor_challenges", People: []string{"user_id"}, Left: leftTransient},
	{Name: "two_factor_devices", People: []string{"user_id"}, File: fileSecurity},
	{Name: "rate_limit_buckets", Left: leftTransient},
	{Name: "rate_limit_hits", Left: leftTransient},
	{Name: "spending_limits", People: []string{"user_id"}, File: fileProfile},
	{Name: "auto_reloads", People: []string{"user_id"}, File: fileProfile},
	{Name: "notification_preferences", People: []string{"user_id"}, File: fileProfile},
	{Name: "notifications", People: []string{"user_id"}, File: fileNotifications},
	{Name: "notification_email_batches", People: []string{"user_id"}, Left: leftTransient},
	{Name: "notification_unsubscribes", People: []string{"user_id"}, Left: leftSecret},
	{Name: "data_exports", People: []string{"user_id"}, Left: "the exports themselves, listed on the export page"},
	{Name: "outbox", Left: "copies of the email sent to the person, which say what notifications.json and the other files hold"},
	{Name: "audit_log", People: []string{"actor_id"}, Left: leftOperator},
	{Name: "signing_keys", Left: leftSecret},

	// Readers.
	{Name: "reader_profiles", People: []string{"user_id"}, File: fileProfile},
	{Name: "reader_specialties", People: []string{"reader_id"}, File: fileProfile},
	{Name: "reader_applications", People: []string{"user_id", "decided_by"}, File: fileProfile},
	{Name: "reader_availability", People: []string{"reader_id"}, File: fileProfile},
	{Name: "availability_durations", People: []string{"reader_id"}, File: fileProfile},
	{Name: "availability_weekly", People: []string{"reader_id"}, File: fileProfile},
	{Name: "availability_openings", People: []string{"reader_id"}, File: fileProfile},
	{Name: "availability_time_off", People: []string{"reader_id"}, File: fileProfile},
	{Name: "favorites", People: []string{"client_id", "reader_id"}, File: fileFavorites},
	{Name: "online_watches", People: []string{"client_id", "reader_id"}, File: fileFavorites},
	// Only the person's own blocks: whom blocked them is the other's to know.
	{Name: "blocks", People: []string{"blocker_id", "blocked_id"}, File: fileFavorites},

	// Readings.
	{Name: "readings", People: []string{"client_id", "reader_id", "ended_by"}, File: fileReadings},
	{Name: "reading_transitions", Via: "readings", Left: "each reading's state history; readings.json gives its times and how it ended"},
	{Name: "reading_messages", People: []string{"sender_id"}, Via: "readings", File: fileReadings},
	{Name: "reading_notes", People: []string{"client_id"}, Via: "readings", File: fileReadings},
	// Only the reader's: a reader's note about a client is the reader's alone.
	{Name: "client_notes", People: []string{"reader_id", "client_id"}, File: fileReadings},
	{Name: "reading_queue", People: []string{"reader_id", "client_id"}, File: fileReadings},
	{Name: "satisfaction_claims", People: []string{"client_id", "resolved_by"}, Via: "readings", File: fileReadings},
	{Name: "reviews", People: []string{"client_id", "reader_id"}, Via: "readings", File: fileReviews},

	// Scheduled readings.
	{Name: "bookings", People: []string{"client_id", "reader_id", "cancelled_by"}, File: fileBookings},
	{Name: "booking_messages", People: []string{"sender_id"}, Via: "bookings", File: fileBookings},

	// Messages.
	{Name: "conversations", People: []string{"client_id", "reader_id"}, File: fileMessages},
	{Name: "messages", People: []string{"sender_id"}, Via: "conversations", File: fileMessages},

	// Money.
	{Name: "ledger_accounts", People: []string{"user_id"}, File: fileWallet},
	{Name: "ledger_transfers", People: []string{"actor_id"}, File: fileWallet},
	{Name: "ledger_postings", Via: "ledger_accounts", File: fileWallet},
	{Name: "topups", People: []string{"user_id"}, File: fileWallet},
	{Name: "refunds", People: []string{"user_id", "admin_id"}, File: fileWallet},
	{Name: "disputes", People: []string{"user_id"}, File: fileWallet},
	{Name: "adjustment_requests", People: []string{"requested_by", "decided_by"}, File: fileWallet},
	{Name: "auto_reload_attempts", People: []string{"user_id"}, File: fileWallet},
	{Name: "payment_customers", People: []string{"user_id"}, Left: "the payment processor's name for the person; wallet.json holds what was paid"},
	{Name: "stripe_events", Left: "the payment processor's raw messages; wallet.json holds what they did"},
	{Name: "test_card_setups", People: []string{"user_id"}, Left: "the built-in test checkout's own records of cards saved in test mode"},
	{Name: "test_charges", Left: leftNobody + " (the built-in test checkout's own records)"},
	{Name: "test_refunds", Left: leftNobody + " (the built-in test checkout's own records)"},
	{Name: "test_transfers", Left: leftNobody + " (the built-in test payouts' own records)"},
	{Name: "payout_accounts", People: []string{"user_id"}, File: filePayouts},
	{Name: "payout_holds", People: []string{"user_id", "admin_id"}, File: filePayouts},
	{Name: "payouts", People: []string{"user_id", "admin_id"}, File: filePayouts},

	// Livestreams.
	{Name: "streams", People: []string{"reader_id", "ended_by"}, File: fileStreams},
	{Name: "stream_invites", People: []string{"user_id"}, Via: "streams", File: fileStreams},
	{Name: "stream_tickets", People: []string{"user_id"}, Via: "streams", File: fileStreams},
	{Name: "stream_subscriptions", People: []string{"subscriber_id", "reader_id"}, File: fileStreams},
	{Name: "stream_messages", People: []string{"sender_id", "hidden_by"}, Via: "streams", File: fileStreams},
	{Name: "stream_moderators", People: []string{"reader_id", "moderator_id"}, File: fileStreams},
	{Name: "stream_bans", People: []string{"reader_id", "user_id", "banned_by"}, File: fileStreams},
	{Name: "stream_mutes", People: []string{"reader_id", "user_id", "muted_by"}, File: fileStreams},
	{Name: "stream_viewers", People: []string{"user_id"}, Left: leftTransient + " (who is watching a stream right now)"},
	{Name: "live_instances", Left: leftNobody},
	{Name: "gifts", Left: leftNobody + " (the gift catalog)"},
	{Name: "stream_gifts", People: []string{"sender_id"}, Via: "streams", File: fileGifts},

	// Forum, uploads and flags.
	{Name: "forum_categories", Left: leftNobody},
	{Name: "forum_threads", People: []string{"author_id"}, File: fileForum},
	{Name: "forum_posts", People: []string{"author_id"}, Via: "forum_threads", File: fileForum},
	{Name: "forum_post_revisions", People: []string{"edited_by"}, Via: "forum_posts", File: fileForum},
	{Name: "forum_post_uploads", Via: "uploads", File: fileForum},
	{Name: "forum_reads", People: []string{"user_id"}, File: fileForum},
	{Name: "forum_search", Left: "SQLite's search index of forum posts, a copy of forum_posts"},
	{Name: "uploads", People: []string{"owner_id"}, File: fileForum},
	// Only the flags the person raised: who reported them is the
	// reporter's to know.
	{Name: "flags", People: []string{"reporter_id", "author_id", "decided_by"}, File: fileFlags},

	// Shop.
	{Name: "shop_products", Left: leftNobody + " (the catalog)"},
	{Name: "shop_coupons", Left: leftNobody},
	{Name: "shop_orders", People: []string{"user_id"}, File: fileShop},
	{Name: "shop_order_items", Via: "shop_orders", File: fileShop},
	{Name: "shop_catalog_syncs", Left: leftNobody},
}

// Tables returns every table of the schema with what it holds of people.
func Tables() []Table { return append([]Table(nil), tables...) }
