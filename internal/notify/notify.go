// Package notify is SoulSeer's notification centre (MSG-2, RDR-7): the one
// way any feature tells a person something. A notification is stored in the
// transaction of the change that caused it, pushed live to the person's open
// pages once that transaction commits, listed with an unread count, and
// emailed — batched per group, at most one email per group per window — when
// the person has no live connection on any instance. Each person chooses per
// kind whether to be told in the app and by email.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/mail"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Kind names what a notification is about; each kind has default
// preferences (see Kinds).
type Kind string

// The kinds of notification. A feature that tells people something new adds
// its kind here and to kinds.
const (
	KindMessage      Kind = "message"       // a new message in a conversation
	KindReaderOnline Kind = "reader_online" // a reader a client asked about came online
	KindApplication  Kind = "application"   // an admin decided the person's application to become a reader
	KindBooking      Kind = "booking"       // a scheduled reading was booked, is coming up, was cancelled or settled
	KindSubscription Kind = "subscription"  // a subscription to a reader's streams lapsed
	KindModeration   Kind = "moderation"    // a moderator decided on something the person wrote
	KindOrder        Kind = "order"         // a shop order was paid, shipped, delivered, cancelled or refunded
	KindExport       Kind = "data_export"   // a copy of the person's data is ready to download (SEC-1)
	KindAutoReload   Kind = "auto_reload"   // the wallet was reloaded from the saved card, or a refused card switched auto-reload off (WAL-12)
)

// KindInfo describes a kind: how the preferences page names it and what a
// person who never chose gets.
type KindInfo struct {
	Kind  Kind
	Label string
	InApp bool // default: shown in the bell and list
	Email bool // default: emailed when away
}

// kinds is every kind in the order the preferences page lists them.
var kinds = []KindInfo{
	{Kind: KindMessage, Label: "New messages", InApp: true, Email: true},
	{Kind: KindReaderOnline, Label: "A reader you asked about comes online", InApp: true, Email: true},
	// The decision is emailed with its reason in any case, so the centre
	// does not email it a second time.
	{Kind: KindApplication, Label: "Decisions on your application to become a reader", InApp: true, Email: false},
	{Kind: KindBooking, Label: "Scheduled readings: bookings, reminders and cancellations", InApp: true, Email: true},
	{Kind: KindSubscription, Label: "Stream subscriptions that could not be renewed", InApp: true, Email: true},
	{Kind: KindModeration, Label: "Moderators' decisions about what you posted", InApp: true, Email: true},
	{Kind: KindOrder, Label: "Shop orders: payment, shipping and delivery", InApp: true, Email: true},
	{Kind: KindExport, Label: "Copies of your data, ready to download", InApp: true, Email: true},
	{Kind: KindAutoReload, Label: "Auto-reload: your wallet reloaded from your card, or your card refused", InApp: true, Email: true},
}

// Kinds returns every kind with its defaults.
func Kinds() []KindInfo { return append([]KindInfo(nil), kinds...) }

// info returns the description of k, false for an unknown kind.
func info(k Kind) (KindInfo, bool) {
	for _, ki := range kinds {
		if ki.Kind == k {
			return ki, true
		}
	}
	return KindInfo{}, false
}

// Length limits of what a notification shows; longer text is cut with "…".
const (
	MaxTitleLen = 120
	MaxBodyLen  = 280
)

// Notification is what a feature tells one person.
type Notification struct {
	UserID int64  // recipient
	Kind   Kind   // what it is about
	Title  string // short, plain text
	Body   string // short, plain text (never a locked paid reply's text)
	URL    string // a local path to open, e.g. "/messages/12"; may be empty
	// Group is the email batching key, e.g. "conversation:12": at most one
	// email per (user, group) per EmailWindow. Empty means the kind's name.
	Group string
	// Receipt, when set, is the email the person gets for this instead of
	// a batched one: a record they keep (a booking with its calendar
	// file), sent at once to their address (To is filled in) if their
	// preferences allow email for the kind, whether or not they are away.
	Receipt *mail.Message
}

// Defaults of Service's timing.
const (
	// DefaultEmailDelay is how long a notification waits before it is
	// emailed, so one read live within it costs no email.
	DefaultEmailDelay = time.Minute
	// DefaultEmailWindow is the least time between two emails of one group
	// to one person.
	DefaultEmailWindow = 15 * time.Minute
	// EmailSweepInterval is how often due emails are looked for.
	EmailSweepInterval = 15 * time.Second
)

// Service stores, pushes and emails notifications.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Hub   *realtime.Hub
	Mail  *mail.Mailer
	Log   *slog.Logger
	// BaseURL makes the links in emails absolute.
	BaseURL string
	// PresenceTimeout is how recently a person must have held a live
	// connection to count as present; an absent person is emailed.
	PresenceTimeout time.Duration
	// EmailDelay and EmailWindow: see DefaultEmailDelay and
	// DefaultEmailWindow; zero means the default.
	EmailDelay  time.Duration
	EmailWindow time.Duration
}

func (s *Service) emailDelay() time.Duration {
	if s.EmailDelay > 0 {
		return s.EmailDelay
	}
	return DefaultEmailDelay
}

func (s *Service) emailWindow() time.Duration {
	if s.EmailWindow > 0 {
		return s.EmailWindow
	}
	return DefaultEmailWindow
}

// clip shortens s to at most n characters, ending with "…" when cut, and
// folds its whitespace, so a notification stays one short plain line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// check normalises n and refuses one no feature should send: an unknown
// kind, no recipient or title, or a link that leaves the site.
func (n *Notification) check() error {
	if _, ok := info(n.Kind); !ok {
		return fmt.Errorf("notify: unknown kind %q", n.Kind)
	}
	if n.UserID <= 0 {
		return fmt.Errorf("notify: no recipient")
	}
	n.Title, n.Body = clip(n.Title, MaxTitleLen), clip(n.Body, MaxBodyLen)
	if n.Title == "" {
		return fmt.Errorf("notify: %s notification without a title", n.Kind)
	}
	if n.URL != "" && (!strings.HasPrefix(n.URL, "/") || strings.HasPrefix(n.URL, "//") || strings.HasPrefix(n.URL, "/\\")) {
		return fmt.Errorf("notify: link %q is not a local path", n.URL)
	}
	if n.Group == "" {
		n.Group = string(n.Kind)
	}
	return nil
}

// sendReceipt emails msg to userID's address inside tx.
func (s *Service) sendReceipt(ctx context.Context, tx *db.Tx, userID int64, msg mail.Message) error {
	if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&msg.To); err != nil {
		return fmt.Errorf("notify: receipt address: %w", err)
	}
	return s.Mail.Send(ctx, tx, msg)
}

// NewEvent is the live event "notification.new" on the recipient's user
// topic: the notification and their unread count with it.
type NewEvent struct {
	Notification Item `json:"notification"`
	Unread       int  `json:"unread"`
}

// Send stores n inside tx (so it exists exactly when the change that caused
// it commits), pushes it live to the recipient's open pages after commit
// (the user topic, type "notification.new" with the unread count), and —
// if the recipient's preferences allow email for the kind — schedules an
// email: it goes out after EmailDelay, and only if by then the notification
// is unread and the recipient holds no live connection on any instance;
// notifications of one Group arriving until then, and within EmailWindow of
// the group's last email, share one email. With both in-app and email off
// for the kind, nothing is stored.
func (s *Service) Send(ctx context.Context, tx *db.Tx, n Notification) error {
	if err := n.check(); err != nil {
		return err
	}
	pref, err := preference(ctx, tx, n.UserID, n.Kind)
	if err != nil {
		return err
	}
	if !pref.InApp && !pref.Email {
		return nil
	}
	if pref.Email && n.Receipt != nil {
		if err := s.sendReceipt(ctx, tx, n.UserID, *n.Receipt); err != nil {
			return err
		}
		if !pref.InApp {
			return nil
		}
		pref.Email = false // sent: nothing left for the batch
	}
	now := s.Clock.Now()
	it := Item{Kind: n.Kind, Title: n.Title, Body: n.Body, URL: n.URL, CreatedAt: now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO notifications (user_id, kind, title, body, url, grp, in_app, email_pending, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		n.UserID, n.Kind, n.Title, n.Body, n.URL, n.Group, pref.InApp, pref.Email, db.Millis(now)).Scan(&it.ID); err != nil {
		return fmt.Errorf("notify: store: %w", err)
	}
	if pref.InApp {
		unread, err := unreadCount(ctx, tx, n.UserID)
		if err != nil {
			return err
		}
		if err := s.Hub.PublishOnCommit(tx, realtime.UserTopic(n.UserID), "notification.new", NewEvent{Notification: it, Unread: unread}); err != nil {
			return err
		}
	}
	if pref.Email {
		// A batch already due keeps its time; otherwise the next email is
		// due after the delay, but not within the window of the last one.
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_email_batches (user_id, grp, due_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, grp) DO UPDATE SET due_at = CASE
				WHEN notification_email_batches.due_at > 0 THEN notification_email_batches.due_at
				WHEN notification_email_batches.last_sent_at + $4 > excluded.due_at THEN notification_email_batches.last_sent_at + $4
				ELSE excluded.due_at END`,
			n.UserID, n.Group, db.Millis(now.Add(s.emailDelay())), s.emailWindow().Milliseconds())
		if err != nil {
			return fmt.Errorf("notify: schedule email: %w", err)
		}
	}
	return nil
}
