// Package mail sends SoulSeer's email. Every message is first written to the
// outbox table in the caller's transaction; with SMTP configured a job then
// delivers it, otherwise it stays in the outbox, which admins read at
// /admin/outbox (EXT-6).
package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/job"
)

// Message is one email to one recipient, plain text, with at most one
// text file attached.
type Message struct {
	To         string
	Subject    string
	Body       string
	Attachment Attachment // zero: none
}

// Attachment is a text file sent with an email, such as a calendar entry
// (Name "booking-7.ics", Type "text/calendar; method=PUBLISH").
type Attachment struct {
	Name    string
	Type    string
	Content string
}

// Email is a message as stored in the outbox.
type Email struct {
	Message
	ID        int64
	CreatedAt time.Time
	SentAt    time.Time // zero until delivered
	Attempts  int
	LastError string
}

// Mailer queues and delivers email.
type Mailer struct {
	DB     *db.DB
	Clock  clock.Clock
	Queue  *job.Queue
	Sender *SMTPSender // nil: keep mail in the outbox only
	Log    *slog.Logger
}

// Send stores msg in the outbox inside tx and, when SMTP is configured,
// enqueues its delivery in the same transaction.
func (m *Mailer) Send(ctx context.Context, tx *db.Tx, msg Message) error {
	var id int64
	a := msg.Attachment
	err := tx.QueryRowContext(ctx, `INSERT INTO outbox (to_addr, subject, body, attachment_name, attachment_type, attachment, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		msg.To, msg.Subject, msg.Body, a.Name, a.Type, a.Content, db.Millis(m.Clock.Now())).Scan(&id)
	if err != nil {
		return fmt.Errorf("mail: queue: %w", err)
	}
	if m.Sender == nil {
		m.Log.Info("email kept in outbox (no SMTP configured)", "id", id, "to", msg.To, "subject", msg.Subject)
		return nil
	}
	return m.Queue.InsertTx(ctx, tx, DeliverArgs{OutboxID: id}, nil)
}

// Get returns one outbox message.
func (m *Mailer) Get(ctx context.Context, id int64) (Email, error) {
	list, err := m.list(ctx, "WHERE id = $1", id)
	if err != nil {
		return Email{}, err
	}
	if len(list) == 0 {
		return Email{}, apperr.Errorf(apperr.NotFound, "No such email.")
	}
	return list[0], nil
}

// Recent returns the newest outbox messages, optionally only those to one
// address.
func (m *Mailer) Recent(ctx context.Context, to string, limit int) ([]Email, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if to != "" {
		return m.list(ctx, fmt.Sprintf("WHERE to_addr = $1 ORDER BY id DESC LIMIT %d", limit), strings.ToLower(to))
	}
	return m.list(ctx, fmt.Sprintf("ORDER BY id DESC LIMIT %d", limit))
}

func (m *Mailer) list(ctx context.Context, tail string, args ...any) ([]Email, error) {
	rows, err := m.DB.Read().QueryContext(ctx, `SELECT id, to_addr, subject, body, attachment_name, attachment_type, attachment, created_at, sent_at, attempts, last_error FROM outbox `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("mail: list: %w", err)
	}
	defer rows.Close()
	var out []Email
	for rows.Next() {
		var e Email
		var created int64
		var sent sql.NullInt64
		if err := rows.Scan(&e.ID, &e.To, &e.Subject, &e.Body, &e.Attachment.Name, &e.Attachment.Type, &e.Attachment.Content, &created, &sent, &e.Attempts, &e.LastError); err != nil {
			return nil, fmt.Errorf("mail: list: %w", err)
		}
		e.CreatedAt, e.SentAt = db.Time(created), db.NullTime(sent)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeliverArgs asks for one outbox message to be sent over SMTP.
type DeliverArgs struct {
	OutboxID int64 `json:"outbox_id"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "mail.deliver" }

// DeliverWorker sends outbox messages over SMTP. A message already marked
// sent is skipped, so a retried job does not send twice unless the process
// died between sending and marking.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	Mailer *Mailer
}

// Work delivers one message and records the attempt.
func (w *DeliverWorker) Work(ctx context.Context, j *river.Job[DeliverArgs]) error {
	m := w.Mailer
	e, err := m.Get(ctx, j.Args.OutboxID)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil
		}
		return err
	}
	if !e.SentAt.IsZero() {
		return nil
	}
	if m.Sender == nil {
		return errors.New("mail: SMTP is not configured")
	}
	sendErr := m.Sender.Send(ctx, e.Message, e.ID, e.CreatedAt)
	// The attempt is recorded in its own transaction, which commits even
	// when sending failed; the send error then makes River retry the job.
	err = m.DB.Tx(ctx, func(tx *db.Tx) error {
		if sendErr != nil {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2`, sendErr.Error(), e.ID)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = '', sent_at = $1 WHERE id = $2`, db.Millis(m.Clock.Now()), e.ID)
		return err
	})
	if err != nil {
		return errors.Join(sendErr, fmt.Errorf("mail: record attempt: %w", err))
	}
	return sendErr
}
