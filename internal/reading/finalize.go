package reading

import (
	"context"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
)

// finalize records the summary of an ended reading (OD-11): its duration,
// billed minutes, total and reader earnings are already on the reading; the
// reader's readings count grows by one when a minute was paid.
func (s *Service) finalize(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) error {
	if err := transition(ctx, tx, r, EventFinalize, "", now); err != nil {
		return err
	}
	r.FinalizedAt = now
	if r.BilledMinutes > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET readings_count = readings_count + 1 WHERE user_id = $1`, r.ReaderID); err != nil {
			return err
		}
		if err := s.notifyQueue(ctx, tx, r.ReaderID); err != nil {
			return err
		}
	}
	return s.announce(tx, r, "reading.ended")
}

// autoCredit gives the client their money back, without anyone having to
// ask, when a reading drops within its first minute through no fault of
// theirs: the reader ended it, or the reader's connection never came back
// (OD-14).
func (s *Service) autoCredit(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) error {
	if r.TotalCents == 0 || r.ActiveMS > r.Period.Milliseconds() || r.ActivatedAt.IsZero() {
		return nil
	}
	readerFault := r.EndReason == EndByReader ||
		(r.EndReason == EndGraceExpired && r.GoneParty == string(Reader)) ||
		(r.EndReason == EndAbuse && r.EndedBy == r.ReaderID)
	if !readerFault {
		return nil
	}
	refunded, err := s.Payments.RefundCause(ctx, tx, 0, "reading", strconv.FormatInt(r.ID, 10),
		"Automatic credit: the reading dropped in its first minute", "auto-credit:reading:"+strconv.FormatInt(r.ID, 10))
	if err != nil {
		return err
	}
	r.CreditedCents += refunded
	return audit.Record(ctx, tx, audit.Entry{Action: "reading.auto_credit", Model: "reading", ObjectID: strconv.FormatInt(r.ID, 10),
		Details: map[string]any{"credited_cents": refunded, "end_reason": r.EndReason}, At: now})
}

// View is a reading as its parties see it, for pages and the API.
type View struct {
	ID                  int64     `json:"id"`
	State               State     `json:"state"`
	ClientID            int64     `json:"client_id"`
	ClientName          string    `json:"client_name"`
	ReaderID            int64     `json:"reader_id"`
	ReaderName          string    `json:"reader_name"`
	Modality            string    `json:"modality"`
	RateCents           int64     `json:"rate_cents"`
	PeriodSeconds       float64   `json:"period_seconds"`
	PauseReason         string    `json:"pause_reason,omitempty"`
	EndReason           string    `json:"end_reason,omitempty"`
	ActiveSeconds       float64   `json:"active_seconds"`
	BilledMinutes       int64     `json:"billed_minutes"`
	TotalCents          int64     `json:"total_cents"`
	ReaderEarningsCents int64     `json:"reader_earnings_cents"`
	CreditedCents       int64     `json:"credited_cents"`
	ExpiresAt           time.Time `json:"expires_at,omitzero"`
	ActivatedAt         time.Time `json:"activated_at,omitzero"`
	EndedAt             time.Time `json:"ended_at,omitzero"`
	GraceUntil          time.Time `json:"grace_until,omitzero"`
	CreatedAt           time.Time `json:"created_at"`
}

// View returns what the parties see of r at now.
func (r Reading) View(now time.Time) View {
	return View{
		ID: r.ID, State: r.State, ClientID: r.ClientID, ClientName: r.ClientName, ReaderID: r.ReaderID, ReaderName: r.ReaderName,
		Modality: string(r.Modality), RateCents: r.RateCents, PeriodSeconds: r.Period.Seconds(), PauseReason: r.PauseReason,
		EndReason: r.EndReason, ActiveSeconds: r.ActiveTime(now).Seconds(), BilledMinutes: r.BilledMinutes, TotalCents: r.TotalCents,
		ReaderEarningsCents: r.ReaderEarningsCents, CreditedCents: r.CreditedCents, ExpiresAt: r.ExpiresAt,
		ActivatedAt: r.ActivatedAt, EndedAt: r.EndedAt, GraceUntil: r.GraceUntil, CreatedAt: r.CreatedAt,
	}
}
