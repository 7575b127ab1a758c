package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// The moderation actions (LIV-8).
const (
	ActHide   = "hide"   // hide one message
	ActMute   = "mute"   // keep a viewer out of the chat for some minutes
	ActUnmute = "unmute" // lift a mute
	ActBan    = "ban"    // keep a viewer out of the reader's streams, hiding their messages
	ActUnban  = "unban"  // lift a ban
)

// MaxMuteMinutes is the longest mute: a week.
const MaxMuteMinutes = 7 * 24 * 60

// ModerationInput is one moderation action on a stream.
type ModerationInput struct {
	Action    string `json:"action"`
	MessageID int64  `json:"message_id"`
	UserID    int64  `json:"user_id"`
	Minutes   int    `json:"minutes"`
}

// Hidden is the data of a stream.hidden event: every screen removes the
// message MessageID, or, when UserID is set, every message of that user
// (a ban).
type Hidden struct {
	StreamID  int64 `json:"stream_id"`
	MessageID int64 `json:"message_id,omitempty"`
	UserID    int64 `json:"user_id,omitempty"`
}

// Banned is the data of a stream.banned event: UserID was banned and may
// no longer watch; every instance closes their connections to the stream
// once it reaches them (BannedReason). It is also the data of
// stream.unbanned, which lifts it.
type Banned struct {
	StreamID int64 `json:"stream_id"`
	UserID   int64 `json:"user_id"`
}

// Muted is the data of a stream.muted event: UserID may not chat until
// Until, or, with Until nil, may chat again.
type Muted struct {
	StreamID int64      `json:"stream_id"`
	UserID   int64      `json:"user_id"`
	Until    *time.Time `json:"until"`
}

// Moderate carries out who's moderation action on stream id (LIV-8). Only
// the reader, admins and moderators the reader appointed moderate
// (Forbidden for anyone else); an admin's action is recorded in the audit
// log (SEC-4). A hidden message leaves every screen (stream.hidden with
// its id) and the transcript. A muted viewer may not chat in the reader's
// streams for Minutes (1 to MaxMuteMinutes) but may still send gifts; a
// mute and its lifting are announced (stream.muted), so the viewer's page
// shows it. A ban keeps the viewer out of every stream of the reader
// (CanWatch) until it is lifted, hides all their messages of this stream
// (one stream.hidden with their user id) and tells every instance
// (stream.banned), each closing the viewer's connections there; lifting it
// is announced too (stream.unbanned). The reader,
// admins and the moderator themself cannot be muted or banned (Conflict).
// Missing parts are field errors.
func (s *Service) Moderate(ctx context.Context, who account.User, id int64, in ModerationInput) error {
	if err := checkModeration(in); err != nil {
		return err
	}
	st, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	ok, err := s.MayModerate(ctx, who, st.ReaderID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Errorf(apperr.Forbidden, "Only the stream's reader, their moderators and admins can moderate it.")
	}
	if in.Action != ActHide {
		if err := s.checkTarget(ctx, who, st, in.UserID); err != nil {
			return err
		}
	}
	now := s.Clock.Now()
	topic := realtime.StreamTopic(id)
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		switch in.Action {
		case ActHide:
			err = s.hide(ctx, tx, id, in.MessageID, who.ID, now)
		case ActMute:
			until := now.Add(time.Duration(in.Minutes) * time.Minute)
			if _, err = tx.ExecContext(ctx, `INSERT INTO stream_mutes (reader_id, user_id, muted_by, muted_until, created_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (reader_id, user_id) DO UPDATE SET muted_by = excluded.muted_by, muted_until = excluded.muted_until, created_at = excluded.created_at`,
				st.ReaderID, in.UserID, who.ID, db.Millis(until), db.Millis(now)); err == nil {
				err = s.Hub.PublishOnCommit(tx, topic, "stream.muted", Muted{StreamID: id, UserID: in.UserID, Until: &until})
			}
		case ActUnmute:
			if _, err = tx.ExecContext(ctx, `DELETE FROM stream_mutes WHERE reader_id = $1 AND user_id = $2`, st.ReaderID, in.UserID); err == nil {
				err = s.Hub.PublishOnCommit(tx, topic, "stream.muted", Muted{StreamID: id, UserID: in.UserID})
			}
		case ActBan:
			err = s.ban(ctx, tx, st, in.UserID, who.ID, now)
		case ActUnban:
			if _, err = tx.ExecContext(ctx, `DELETE FROM stream_bans WHERE reader_id = $1 AND user_id = $2`, st.ReaderID, in.UserID); err == nil {
				err = s.Hub.PublishOnCommit(tx, topic, "stream.unbanned", Banned{StreamID: id, UserID: in.UserID})
			}
		}
		if err != nil {
			return err
		}
		if who.Role == account.RoleAdmin && who.ID != st.ReaderID {
			return audit.Record(ctx, tx, audit.Entry{ActorID: who.ID, Action: "stream." + in.Action, Model: "stream", ObjectID: strconv.FormatInt(id, 10),
				Details: map[string]any{"reader_id": st.ReaderID, "user_id": in.UserID, "message_id": in.MessageID, "minutes": in.Minutes}, At: now})
		}
		return nil
	})
	return err
}

// checkModeration gives the field errors of in.
func checkModeration(in ModerationInput) error {
	fields := map[string]string{}
	switch in.Action {
	case ActHide:
		if in.MessageID <= 0 {
			fields["message_id"] = "Say which message to hide."
		}
	case ActMute, ActUnmute, ActBan, ActUnban:
		if in.UserID <= 0 {
			fields["user_id"] = "Say which viewer to " + in.Action + "."
		}
		if in.Action == ActMute && (in.Minutes < 1 || in.Minutes > MaxMuteMinutes) {
			fields["minutes"] = fmt.Sprintf("Mute for 1 to %d minutes.", MaxMuteMinutes)
		}
	default:
		fields["action"] = "Choose hide, mute, unmute, ban or unban."
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// checkTarget refuses to mute or ban the reader, an admin or who themself,
// and a user who does not exist.
func (s *Service) checkTarget(ctx context.Context, who account.User, st Stream, userID int64) error {
	if userID == who.ID || userID == st.ReaderID {
		return apperr.Errorf(apperr.Conflict, "The stream's reader and you yourself cannot be muted or banned.")
	}
	var role account.Role
	err := s.DB.Read().QueryRowContext(ctx, `SELECT role FROM users WHERE id = $1`, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Errorf(apperr.NotFound, "No such user.")
	}
	if err != nil {
		return fmt.Errorf("live: moderation target: %w", err)
	}
	if role == account.RoleAdmin {
		return apperr.Errorf(apperr.Conflict, "Admins cannot be muted or banned.")
	}
	return nil
}

// hide hides message msgID of stream id and tells every screen once tx
// commits; hiding it again changes nothing. A message of another stream
// is NotFound.
func (s *Service) hide(ctx context.Context, tx *db.Tx, id, msgID, by int64, now time.Time) error {
	var hidden bool
	err := tx.QueryRowContext(ctx, `SELECT hidden_at IS NOT NULL FROM stream_messages WHERE id = $1 AND stream_id = $2`, msgID, id).Scan(&hidden)
	if err != nil {
		return apperr.Errorf(apperr.NotFound, "No such message in this stream.")
	}
	if hidden {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stream_messages SET hidden_at = $3, hidden_by = $4 WHERE id = $1 AND stream_id = $2`,
		msgID, id, db.Millis(now), by); err != nil {
		return fmt.Errorf("live: hide message: %w", err)
	}
	return s.Hub.PublishOnCommit(tx, realtime.StreamTopic(id), "stream.hidden", Hidden{StreamID: id, MessageID: msgID})
}

// ban bans userID from st's reader's streams, hides their messages of st
// and tells every screen once tx commits.
func (s *Service) ban(ctx context.Context, tx *db.Tx, st Stream, userID, by int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO stream_bans (reader_id, user_id, banned_by, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (reader_id, user_id) DO NOTHING`, st.ReaderID, userID, by, db.Millis(now)); err != nil {
		return fmt.Errorf("live: ban: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stream_messages SET hidden_at = $3, hidden_by = $4 WHERE stream_id = $1 AND sender_id = $2 AND hidden_at IS NULL`,
		st.ID, userID, db.Millis(now), by); err != nil {
		return fmt.Errorf("live: ban: %w", err)
	}
	topic := realtime.StreamTopic(st.ID)
	if err := s.Hub.PublishOnCommit(tx, topic, "stream.hidden", Hidden{StreamID: st.ID, UserID: userID}); err != nil {
		return err
	}
	return s.Hub.PublishOnCommit(tx, topic, "stream.banned", Banned{StreamID: st.ID, UserID: userID})
}

// MutedUntil says until when viewerID is muted in readerID's streams, and
// whether they are now (LIV-8).
func (s *Service) MutedUntil(ctx context.Context, readerID, viewerID int64) (time.Time, bool, error) {
	var until int64
	err := s.DB.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(muted_until), 0) FROM stream_mutes WHERE reader_id = $1 AND user_id = $2`,
		readerID, viewerID).Scan(&until)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("live: muted: %w", err)
	}
	t := db.Time(until)
	return t, t.After(s.Clock.Now()), nil
}
