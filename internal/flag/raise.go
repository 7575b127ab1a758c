package flag

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// RaiseInput is a flag as a user raises it.
type RaiseInput struct {
	TargetType string
	TargetID   int64
	Reason     string
	Note       string
}

// check validates a flag: a known kind of item, a reason of Reasons, a
// note of at most MaxNoteLen characters, required for "other".
func (s *Service) check(in *RaiseInput) error {
	in.Note = strings.TrimSpace(in.Note)
	fields := map[string]string{}
	if _, ok := s.Targets[in.TargetType]; !ok || in.TargetID <= 0 {
		fields["target_type"] = "Flag a post, thread, review, stream message or profile."
	}
	if !slices.ContainsFunc(Reasons, func(r struct{ Code, Label string }) bool { return r.Code == in.Reason }) {
		fields["reason"] = "Choose why you are flagging this."
	}
	switch {
	case utf8.RuneCountInString(in.Note) > MaxNoteLen:
		fields["note"] = fmt.Sprintf("Keep the note to %d characters.", MaxNoteLen)
	case in.Reason == "other" && in.Note == "":
		fields["note"] = "Say what is wrong."
	}
	return apperr.Validation(fields)
}

// Raise records reporter's flag of an item (COM-4): pending (COM-5), one
// per user and item (a second is a Conflict), never of one's own item,
// and at most Config.Limit flags per user per window across instances
// (SEC-3: RateLimited with the time to wait). Bad input, and a flag
// raised before, change nothing and do not count against the limit.
func (s *Service) Raise(ctx context.Context, reporter account.User, in RaiseInput) (Flag, error) {
	if reporter.ID == 0 {
		return Flag{}, apperr.Errorf(apperr.Unauthorized, "Please log in to flag.")
	}
	if err := s.check(&in); err != nil {
		return Flag{}, err
	}
	item, err := s.Targets[in.TargetType].Item(ctx, s.DB.Read(), in.TargetID)
	if err != nil {
		return Flag{}, err
	}
	if item.AuthorID == reporter.ID {
		return Flag{}, apperr.Errorf(apperr.Invalid, "You cannot flag your own %s.", noun(in.TargetType))
	}
	var again bool
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM flags WHERE target_type = $1 AND target_id = $2 AND reporter_id = $3)`,
		in.TargetType, in.TargetID, reporter.ID).Scan(&again); err != nil {
		return Flag{}, fmt.Errorf("flag: raise: %w", err)
	}
	if again {
		return Flag{}, alreadyFlagged(in.TargetType)
	}
	if err := s.Limiter.Allow(ctx, "flag:"+strconv.FormatInt(reporter.ID, 10), s.Config.Limit); err != nil {
		return Flag{}, err
	}
	now := s.Clock.Now()
	f := Flag{TargetType: in.TargetType, TargetID: in.TargetID, ReporterID: reporter.ID, Reporter: reporter.DisplayName, Reason: in.Reason,
		Note: in.Note, Status: Pending, CreatedAt: now}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO flags (target_type, target_id, author_id, reporter_id, reason, note, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (target_type, target_id, reporter_id) DO NOTHING RETURNING id`,
			in.TargetType, in.TargetID, nullID(item.AuthorID), reporter.ID, in.Reason, in.Note, db.Millis(now)).Scan(&f.ID)
		if errors.Is(err, sql.ErrNoRows) { // raced by the same flag
			return alreadyFlagged(in.TargetType)
		}
		return err
	})
	if err != nil {
		return Flag{}, fmt.Errorf("flag: raise: %w", err)
	}
	return f, nil
}

// alreadyFlagged refuses a second flag of one item by one user.
func alreadyFlagged(targetType string) error {
	return apperr.Errorf(apperr.Conflict, "You have already flagged this %s.", noun(targetType))
}

// noun names a kind of item in a sentence.
func noun(targetType string) string {
	return strings.ReplaceAll(targetType, "_", " ")
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
