package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/mail"
)

// emailBatchLimit bounds how many due batches one sweep takes.
const emailBatchLimit = 200

// SendDueEmails sends every email batch that is due: for each person and
// group with notifications waiting, one email summarising those still
// unread — only when the person holds no live connection on any instance
// and still wants email of their kinds. Notifications read or seen live
// are settled without an email. It returns how many emails it queued.
// Each batch is settled under its row's lock, so sweeps running at once
// send nothing twice.
func (s *Service) SendDueEmails(ctx context.Context) (int, error) {
	now := db.Millis(s.Clock.Now())
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT user_id, grp FROM notification_email_batches
		WHERE due_at > 0 AND due_at <= $1 ORDER BY due_at LIMIT $2`, now, emailBatchLimit)
	if err != nil {
		return 0, fmt.Errorf("notify: due emails: %w", err)
	}
	type batch struct {
		user int64
		grp  string
	}
	var due []batch
	for rows.Next() {
		var b batch
		if err := rows.Scan(&b.user, &b.grp); err != nil {
			rows.Close()
			return 0, fmt.Errorf("notify: due emails: %w", err)
		}
		due = append(due, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("notify: due emails: %w", err)
	}
	sent := 0
	for _, b := range due {
		ok, err := s.emailBatch(ctx, b.user, b.grp)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// recipient is who a batch is for.
type recipient struct {
	email, name string
	lastSeen    int64
}

// emailBatch settles one due batch in one transaction and reports whether
// it queued an email.
func (s *Service) emailBatch(ctx context.Context, userID int64, grp string) (bool, error) {
	var sent bool
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		sent = false
		now := s.Clock.Now()
		var due int64
		var to recipient
		err := tx.QueryRowContext(ctx, `SELECT b.due_at, u.email, u.display_name, u.last_seen_at
			FROM notification_email_batches b JOIN users u ON u.id = b.user_id
			WHERE b.user_id = $1 AND b.grp = $2`+s.DB.ForUpdateOf("b"), userID, grp).Scan(&due, &to.email, &to.name, &to.lastSeen)
		if err != nil {
			return fmt.Errorf("notify: email batch: %w", err)
		}
		if due == 0 || due > db.Millis(now) {
			return nil // settled by another sweep since it was listed
		}
		items, last, err := s.waiting(ctx, tx, userID, grp)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET email_pending = FALSE
			WHERE user_id = $1 AND grp = $2 AND email_pending AND id <= $3`, userID, grp, last); err != nil {
			return fmt.Errorf("notify: settle email batch: %w", err)
		}
		present := to.lastSeen > db.Millis(now.Add(-s.PresenceTimeout))
		if present || len(items) == 0 {
			_, err := tx.ExecContext(ctx, `UPDATE notification_email_batches SET due_at = 0 WHERE user_id = $1 AND grp = $2`, userID, grp)
			return err
		}
		msg, err := s.compose(ctx, tx, userID, to, items)
		if err != nil {
			return err
		}
		if err := s.Mail.Send(ctx, tx, msg); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notification_email_batches SET due_at = 0, last_sent_at = $1 WHERE user_id = $2 AND grp = $3`,
			db.Millis(now), userID, grp); err != nil {
			return fmt.Errorf("notify: settle email batch: %w", err)
		}
		sent = true
		return nil
	})
	return sent, err
}

// waiting returns the notifications of a batch that an email should still
// tell about — unread, of kinds the person still wants email of — and the
// highest id of all its pending ones, which the batch settles.
func (s *Service) waiting(ctx context.Context, tx *db.Tx, userID int64, grp string) ([]Item, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, title, body, url, read_at IS NOT NULL FROM notifications
		WHERE user_id = $1 AND grp = $2 AND email_pending ORDER BY id`, userID, grp)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: email batch: %w", err)
	}
	var all []Item
	var last int64
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Kind, &it.Title, &it.Body, &it.URL, &it.Read); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("notify: email batch: %w", err)
		}
		last = it.ID
		all = append(all, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("notify: email batch: %w", err)
	}
	wants := map[Kind]bool{}
	var out []Item
	for _, it := range all {
		want, ok := wants[it.Kind]
		if !ok {
			p, err := preference(ctx, tx, userID, it.Kind)
			if err != nil {
				return nil, 0, err
			}
			want = p.Email
			wants[it.Kind] = want
		}
		if want && !it.Read {
			out = append(out, it)
		}
	}
	return out, last, nil
}

// compose writes the email about items: each one's title, text and link,
// where to change what is emailed, and a link that stops email of the
// first item's kind without signing in.
func (s *Service) compose(ctx context.Context, tx *db.Tx, userID int64, to recipient, items []Item) (mail.Message, error) {
	token, err := s.newUnsubscribe(ctx, tx, userID, items[0].Kind)
	if err != nil {
		return mail.Message{}, err
	}
	subject := items[0].Title
	if len(items) > 1 {
		subject = fmt.Sprintf("%s (and %d more)", subject, len(items)-1)
	}
	ki, _ := info(items[0].Kind)
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\nThis arrived on SoulSeer while you were away:\n", to.name)
	for _, it := range items {
		fmt.Fprintf(&b, "\n%s\n", it.Title)
		if it.Body != "" {
			fmt.Fprintf(&b, "%s\n", it.Body)
		}
		if it.URL != "" {
			fmt.Fprintf(&b, "%s%s\n", s.BaseURL, it.URL)
		}
	}
	fmt.Fprintf(&b, "\nYou get at most one email like this every %d minutes.\n", int(s.emailWindow().Minutes()))
	fmt.Fprintf(&b, "Choose what SoulSeer emails you: %s/notifications/preferences\n", s.BaseURL)
	fmt.Fprintf(&b, "Stop emails about %q: %s/notifications/unsubscribe/%s\n", strings.ToLower(ki.Label), s.BaseURL, token)
	return mail.Message{To: to.email, Subject: subject, Body: b.String()}, nil
}

// EmailArgs is the periodic job that sends due notification emails.
type EmailArgs struct{}

// Kind names the job.
func (EmailArgs) Kind() string { return "notify.email" }

// EmailWorker runs SendDueEmails.
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	Notify *Service
}

// Work sends the due emails.
func (w *EmailWorker) Work(ctx context.Context, _ *river.Job[EmailArgs]) error {
	_, err := w.Notify.SendDueEmails(ctx)
	return err
}
