package reading

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// MinReviewMinutes is how many paid minutes a reading needs before the
// client may review it (RDR-5).
const MinReviewMinutes = 5

// MaxNoteLen bounds notes, reviews, replies to reviews and claim reasons, in
// characters.
const MaxNoteLen = 4000

func cleanText(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		return "", apperr.Validation(map[string]string{field: "This cannot be empty."})
	case n > MaxNoteLen:
		return "", apperr.Validation(map[string]string{field: fmt.Sprintf("Use at most %d characters.", MaxNoteLen)})
	}
	return s, nil
}

// SetClientNote saves the client's private note on one of their readings (OD-12).
func (s *Service) SetClientNote(ctx context.Context, client account.User, id int64, body string) error {
	body, err := cleanText("note", body, false)
	if err != nil {
		return err
	}
	r, err := s.Get(ctx, client, id)
	if err != nil {
		return err
	}
	if r.ClientID != client.ID {
		return errNoReading
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reading_notes (reading_id, client_id, body, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (reading_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, id, client.ID, body, db.Millis(s.Clock.Now()))
		return err
	})
}

// ClientNote returns the client's note on a reading ("" if none).
func (s *Service) ClientNote(ctx context.Context, clientID, readingID int64) (string, error) {
	return note(ctx, s.DB.Read(), `SELECT body FROM reading_notes WHERE reading_id = $1 AND client_id = $2`, readingID, clientID)
}

// SetReaderNote saves a reader's private note about a client they have read
// for (OD-12).
func (s *Service) SetReaderNote(ctx context.Context, rdr account.User, clientID int64, body string) error {
	body, err := cleanText("note", body, false)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM readings WHERE reader_id = $1 AND client_id = $2`, rdr.ID, clientID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Errorf(apperr.NotFound, "You have not read for this client.")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO client_notes (reader_id, client_id, body, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (reader_id, client_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, rdr.ID, clientID, body, db.Millis(s.Clock.Now()))
		return err
	})
}

// ReaderNote returns a reader's note about a client ("" if none).
func (s *Service) ReaderNote(ctx context.Context, readerID, clientID int64) (string, error) {
	return note(ctx, s.DB.Read(), `SELECT body FROM client_notes WHERE reader_id = $1 AND client_id = $2`, readerID, clientID)
}

func note(ctx context.Context, q db.Querier, query string, args ...any) (string, error) {
	var body string
	err := q.QueryRowContext(ctx, query, args...).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return body, err
}

// Claim is a client's satisfaction claim on a reading (OD-14).
type Claim struct {
	ID         int64
	ReadingID  int64
	ClientID   int64
	ClientName string
	ReaderName string
	TotalCents int64
	Reason     string // a ClaimReasons code
	Details    string // the client's own words, optional
	Status     string
	Note       string
	CreatedAt  time.Time
}

// ReasonLabel is the claim's reason in words.
func (c Claim) ReasonLabel() string { return ClaimReasonLabel(c.Reason) }

// FileClaim queues a satisfaction claim on an ended, paid reading for admin
// review (OD-14), one per reading: its reason is one of ClaimReasons, and
// details, the client's own words, are optional.
func (s *Service) FileClaim(ctx context.Context, client account.User, id int64, reason, details string) error {
	if _, ok := claimReason(reason); !ok {
		return apperr.Validation(map[string]string{"reason": "Choose one of the reasons."})
	}
	details, err := cleanText("details", details, false)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		r, err := load(ctx, tx, id, "")
		if err != nil {
			return err
		}
		if r.ClientID != client.ID {
			return errNoReading
		}
		if r.State.Open() || r.TotalCents == 0 {
			return apperr.Errorf(apperr.Conflict, "A claim can be made on a paid reading once it has ended.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO satisfaction_claims (reading_id, client_id, reason, details, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, client.ID, reason, details, db.Millis(s.Clock.Now()))
		if s.DB.IsUniqueViolation(err) {
			return apperr.Errorf(apperr.Conflict, "You have already made a claim on this reading.")
		}
		return err
	})
}

// Claims lists claims with the given status, oldest first.
func (s *Service) Claims(ctx context.Context, status string) ([]Claim, error) {
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT c.id, c.reading_id, COALESCE(c.client_id, 0), COALESCE(cu.display_name, ''), ru.display_name,
		r.total_cents, c.reason, c.details, c.status, c.note, c.created_at
		FROM satisfaction_claims c JOIN readings r ON r.id = c.reading_id JOIN users ru ON ru.id = r.reader_id
		LEFT JOIN users cu ON cu.id = c.client_id WHERE c.status = $1 ORDER BY c.id LIMIT 200`, status)
	if err != nil {
		return nil, fmt.Errorf("reading: claims: %w", err)
	}
	defer rows.Close()
	var out []Claim
	for rows.Next() {
		var c Claim
		var at int64
		if err := rows.Scan(&c.ID, &c.ReadingID, &c.ClientID, &c.ClientName, &c.ReaderName, &c.TotalCents, &c.Reason, &c.Details, &c.Status, &c.Note, &at); err != nil {
			return nil, err
		}
		c.CreatedAt = db.Time(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ClaimOf returns the claim on a reading, if any.
func (s *Service) ClaimOf(ctx context.Context, readingID int64) (string, error) {
	return note(ctx, s.DB.Read(), `SELECT status FROM satisfaction_claims WHERE reading_id = $1`, readingID)
}

// ResolveClaim approves (refunding the reading to the client's wallet) or
// rejects a pending claim. Audited.
func (s *Service) ResolveClaim(ctx context.Context, admin account.User, claimID int64, approve bool, note string) error {
	if admin.Role != account.RoleAdmin {
		return apperr.Errorf(apperr.Forbidden, "Only admins can resolve claims.")
	}
	note, err := cleanText("note", note, false)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		var readingID int64
		var status string
		err := tx.QueryRowContext(ctx, `SELECT reading_id, status FROM satisfaction_claims WHERE id = $1`+s.DB.ForUpdate(), claimID).Scan(&readingID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Errorf(apperr.NotFound, "No such claim.")
		}
		if err != nil {
			return err
		}
		if status != "pending" {
			return apperr.Errorf(apperr.Conflict, "This claim was already %s.", status)
		}
		newStatus, refunded := "rejected", int64(0)
		if approve {
			newStatus = "approved"
			rid := strconv.FormatInt(readingID, 10)
			if refunded, err = s.Payments.RefundCause(ctx, tx, admin.ID, "reading", rid, "Satisfaction claim approved", "claim:"+strconv.FormatInt(claimID, 10)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE readings SET credited_cents = credited_cents + $1 WHERE id = $2`, refunded, readingID); err != nil {
				return err
			}
		}
		now := s.Clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE satisfaction_claims SET status = $1, note = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5`,
			newStatus, note, admin.ID, db.Millis(now), claimID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "reading.claim_" + newStatus, Model: "satisfaction_claim",
			ObjectID: strconv.FormatInt(claimID, 10), Details: map[string]any{"reading": readingID, "refunded_cents": refunded, "note": note}, At: now})
	})
}
