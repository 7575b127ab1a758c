package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// readingsFile is readings.json.
type readingsFile struct {
	Readings    []readingData    `json:"readings"`
	ClientNotes []clientNoteData `json:"client_notes"`
	Queue       []queueData      `json:"queue"`
}

type readingData struct {
	ID            int64  `json:"id"`
	Role          string `json:"role"` // client or reader: the person's part in it
	Client        *party `json:"client"`
	Reader        *party `json:"reader"`
	Modality      string `json:"modality"`
	RateCents     int64  `json:"rate_cents"`
	State         string `json:"state"`
	EndReason     string `json:"end_reason"`
	BilledMinutes int64  `json:"billed_minutes"`
	TotalCents    int64  `json:"total_cents"`
	CreditedCents int64  `json:"credited_cents"`
	// ReaderEarningsCents is what the reader earned: the reader's own
	// figure, shown to them alone.
	ReaderEarningsCents *int64     `json:"reader_earnings_cents,omitempty"`
	CreatedAt           stamp      `json:"created_at"`
	ActivatedAt         stamp      `json:"activated_at"`
	EndedAt             stamp      `json:"ended_at"`
	Transcript          []chatLine `json:"transcript"`
	// Note and Claim are the client's own: shown to the client alone.
	Note  *noteData  `json:"note,omitempty"`
	Claim *claimData `json:"satisfaction_claim,omitempty"`
}

// chatLine is one line of a reading's or a booked room's chat.
type chatLine struct {
	ID   int64  `json:"id"`
	From *party `json:"from"` // null: the account is no longer there
	Body string `json:"body"`
	At   stamp  `json:"at"`

	of int64 // the reading or booking it belongs to
}

type noteData struct {
	Body      string `json:"body"`
	UpdatedAt stamp  `json:"updated_at"`

	of int64
}

type claimData struct {
	Reason     string `json:"reason"`
	Details    string `json:"details"`
	Status     string `json:"status"`
	CreatedAt  stamp  `json:"created_at"`
	ResolvedAt stamp  `json:"resolved_at"`

	of int64
}

type clientNoteData struct {
	Client    *party `json:"client"`
	Body      string `json:"body"`
	UpdatedAt stamp  `json:"updated_at"`
}

type queueData struct {
	Reader    *party `json:"reader"`
	Client    *party `json:"client"`
	Modality  string `json:"modality"`
	CreatedAt stamp  `json:"created_at"`
}

// readReadings reads readings.json: the person's readings on either side
// with their transcripts; a client's own notes and claims; a reader's own
// notes about clients (never a reader's note to the client it is about);
// queues they wait in or keep.
func readReadings(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f readingsFile
	var errs [6]error
	var transcript []chatLine
	var notes []noteData
	var claims []claimData
	f.Readings, errs[0] = list(ctx, q, `SELECT r.id, CASE WHEN r.client_id = $1 THEN 'client' ELSE 'reader' END, `+partyColumns("c")+`, `+partyColumns("rd")+`,
		r.modality, r.rate_cents, r.state, r.end_reason, r.billed_minutes, r.total_cents, r.credited_cents, r.reader_earnings_cents,
		r.created_at, r.activated_at, r.ended_at
		FROM readings r LEFT JOIN users c ON c.id = r.client_id LEFT JOIN users rd ON rd.id = r.reader_id
		WHERE r.client_id = $1 OR r.reader_id = $1 ORDER BY r.id`,
		func(r db.Row, x *readingData) error {
			var cID, rID, earned int64
			var cName, rName string
			err := r.Scan(&x.ID, &x.Role, &cID, &cName, &rID, &rName, &x.Modality, &x.RateCents, &x.State, &x.EndReason, &x.BilledMinutes,
				&x.TotalCents, &x.CreditedCents, &earned, &x.CreatedAt, &x.ActivatedAt, &x.EndedAt)
			x.Client, x.Reader = partyOf(cID, cName), partyOf(rID, rName)
			if x.Role == "reader" {
				x.ReaderEarningsCents = &earned
			}
			return err
		}, userID)
	transcript, errs[1] = list(ctx, q, `SELECT m.reading_id, m.id, `+partyColumns("s")+`, m.body, m.created_at
		FROM reading_messages m JOIN readings r ON r.id = m.reading_id LEFT JOIN users s ON s.id = m.sender_id
		WHERE r.client_id = $1 OR r.reader_id = $1 ORDER BY m.reading_id, m.id`, scanChatLine, userID)
	notes, errs[2] = list(ctx, q, `SELECT reading_id, body, updated_at FROM reading_notes WHERE client_id = $1`,
		func(r db.Row, x *noteData) error { return r.Scan(&x.of, &x.Body, &x.UpdatedAt) }, userID)
	claims, errs[3] = list(ctx, q, `SELECT reading_id, reason, details, status, created_at, resolved_at FROM satisfaction_claims WHERE client_id = $1`,
		func(r db.Row, x *claimData) error {
			return r.Scan(&x.of, &x.Reason, &x.Details, &x.Status, &x.CreatedAt, &x.ResolvedAt)
		}, userID)
	f.ClientNotes, errs[4] = list(ctx, q, `SELECT `+partyColumns("c")+`, n.body, n.updated_at FROM client_notes n LEFT JOIN users c ON c.id = n.client_id
		WHERE n.reader_id = $1 ORDER BY n.client_id`,
		func(r db.Row, x *clientNoteData) error {
			var id int64
			var name string
			err := r.Scan(&id, &name, &x.Body, &x.UpdatedAt)
			x.Client = partyOf(id, name)
			return err
		}, userID)
	f.Queue, errs[5] = list(ctx, q, `SELECT `+partyColumns("rd")+`, `+partyColumns("c")+`, w.modality, w.created_at
		FROM reading_queue w LEFT JOIN users rd ON rd.id = w.reader_id LEFT JOIN users c ON c.id = w.client_id
		WHERE w.client_id = $1 OR w.reader_id = $1 ORDER BY w.id`,
		func(r db.Row, x *queueData) error {
			var rID, cID int64
			var rName, cName string
			err := r.Scan(&rID, &rName, &cID, &cName, &x.Modality, &x.CreatedAt)
			x.Reader, x.Client = partyOf(rID, rName), partyOf(cID, cName)
			return err
		}, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	lines := groupBy(transcript, func(l chatLine) int64 { return l.of })
	noteOf := groupBy(notes, func(n noteData) int64 { return n.of })
	claimOf := groupBy(claims, func(c claimData) int64 { return c.of })
	for i := range f.Readings {
		rd := &f.Readings[i]
		rd.Transcript = orEmpty(lines[rd.ID])
		if n := noteOf[rd.ID]; len(n) > 0 {
			rd.Note = &n[0]
		}
		if c := claimOf[rd.ID]; len(c) > 0 {
			rd.Claim = &c[0]
		}
	}
	return f, nil
}

// scanChatLine reads the owner's id, the line's id, its sender (the two
// columns of partyColumns), its text and time.
func scanChatLine(r db.Row, x *chatLine) error {
	var id int64
	var name string
	err := r.Scan(&x.of, &x.ID, &id, &name, &x.Body, &x.At)
	x.From = partyOf(id, name)
	return err
}

// groupBy groups items by key, keeping their order.
func groupBy[T any](items []T, key func(T) int64) map[int64][]T {
	out := map[int64][]T{}
	for _, it := range items {
		out[key(it)] = append(out[key(it)], it)
	}
	return out
}

// orEmpty is s, or an empty list for none, so a file says [] rather than
// null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
