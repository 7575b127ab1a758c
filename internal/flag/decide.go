package flag

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
	"github.com/soulseer/soulseer/internal/notify"
)

// Decision is an admin's decision on a flagged item.
type Decision struct {
	Action      string // dismiss, hide, delete, warn or suspend
	Note        string // why, told to the author
	SuspendDays int    // with suspend: how long; 0 for good
}

// MaxSuspendDays bounds a suspension for a period.
const MaxSuspendDays = 3650

func (d *Decision) check() error {
	d.Note = strings.TrimSpace(d.Note)
	fields := map[string]string{}
	switch d.Action {
	case "dismiss", "hide", "delete", "warn", "suspend":
	default:
		fields["action"] = "Choose dismiss, hide, delete, warn or suspend."
	}
	if d.SuspendDays < 0 || d.SuspendDays > MaxSuspendDays {
		fields["suspend_days"] = fmt.Sprintf("Suspend for 1 to %d days, or 0 for good.", MaxSuspendDays)
	}
	if utf8.RuneCountInString(d.Note) > MaxNoteLen {
		fields["note"] = fmt.Sprintf("Keep the note to %d characters.", MaxNoteLen)
	}
	return apperr.Validation(fields)
}

// Decide settles every pending flag of an item for admin (COM-6): dismiss
// (nothing wrong: the flags are dismissed), or resolve them by hiding or
// deleting the item, warning its author or suspending the author for
// SuspendDays or for good (account.Suspend: their sessions end at once).
// The author is told what happened and why, except on a dismissal; the
// decision is audited (SEC-4). An item with no pending flag is a
// Conflict: someone decided first.
func (s *Service) Decide(ctx context.Context, admin account.User, targetType string, targetID int64, d Decision) (int, error) {
	if admin.Role != account.RoleAdmin {
		return 0, apperr.Errorf(apperr.Forbidden, "Only admins decide on flags.")
	}
	if err := d.check(); err != nil {
		return 0, err
	}
	target, ok := s.Targets[targetType]
	if !ok {
		return 0, apperr.Validation(map[string]string{"target_type": "No such kind of item."})
	}
	status := Resolved
	if d.Action == "dismiss" {
		status = Dismissed
	}
	var settled int
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		var author int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(author_id), 0), count(*) FROM flags
			WHERE target_type = $1 AND target_id = $2 AND status = 'pending'`, targetType, targetID).Scan(&author, &settled); err != nil {
			return err
		}
		if settled == 0 {
			return apperr.Errorf(apperr.Conflict, "This %s has no pending flag: it was decided already.", noun(targetType))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE flags SET status = $3, action = $4, decision_note = $5, decided_by = $6, decided_at = $7
			WHERE target_type = $1 AND target_id = $2 AND status = 'pending'`,
			targetType, targetID, status, d.Action, d.Note, admin.ID, db.Millis(now)); err != nil {
			return err
		}
		var until *time.Time
		switch d.Action {
		case "hide", "delete":
			if err := target.Remove(ctx, tx, targetID, d.Action == "delete", admin.ID, now); err != nil {
				return err
			}
		case "suspend":
			if author == 0 {
				return apperr.Errorf(apperr.Conflict, "The author of this %s is gone: there is no one to suspend.", noun(targetType))
			}
			if d.SuspendDays > 0 {
				t := now.AddDate(0, 0, d.SuspendDays)
				until = &t
			}
			if err := account.Suspend(ctx, tx, s.Hub, author, until); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: admin.ID, Action: "flag." + d.Action, Model: targetType,
			ObjectID: strconv.FormatInt(targetID, 10), At: now, Details: map[string]any{"flags": settled, "author_id": author, "note": d.Note,
				"suspend_days": d.SuspendDays}}); err != nil {
			return err
		}
		if d.Action == "dismiss" || author == 0 {
			return nil
		}
		return s.Notify.Send(ctx, tx, tellAuthor(author, targetType, d, until))
	})
	if err != nil {
		return 0, fmt.Errorf("flag: decide: %w", err)
	}
	return settled, nil
}

// DecideFlag is Decide for the item flag id is about (the API names a
// flag, and the decision settles its item's every pending flag).
func (s *Service) DecideFlag(ctx context.Context, admin account.User, id int64, d Decision) (int, error) {
	var typ string
	var target int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT target_type, target_id FROM flags WHERE id = $1`, id).Scan(&typ, &target)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.Errorf(apperr.NotFound, "No such flag.")
	}
	if err != nil {
		return 0, fmt.Errorf("flag: decide: %w", err)
	}
	return s.Decide(ctx, admin, typ, target, d)
}

// tellAuthor is what an item's author is told of a decision on it.
func tellAuthor(author int64, targetType string, d Decision, until *time.Time) notify.Notification {
	what := noun(targetType)
	n := notify.Notification{UserID: author, Kind: notify.KindModeration, URL: "/notifications"}
	switch d.Action {
	case "hide":
		n.Title, n.Body = "A moderator hid your "+what, "After people flagged it, a moderator hid your "+what+" from others."
	case "delete":
		n.Title, n.Body = "A moderator deleted your "+what, "After people flagged it, a moderator deleted your "+what+"."
	case "warn":
		n.Title, n.Body = "A warning about your "+what, "People flagged your "+what+"; a moderator asks you to keep to the community rules."
	case "suspend":
		n.Title, n.Body = "Your account is suspended", "After people flagged your "+what+", a moderator suspended your account for good."
		if until != nil {
			n.Body = "After people flagged your " + what + ", a moderator suspended your account until " + until.UTC().Format("2 January 2006") + "."
		}
	}
	if d.Note != "" {
		n.Body += " The moderator's note: " + d.Note
	}
	return n
}
