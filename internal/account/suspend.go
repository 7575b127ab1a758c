package account

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// SuspendedForGood is the suspended_until of a user suspended for good.
const SuspendedForGood = int64(math.MaxInt64)

// Suspend suspends userID until until (nil: for good) inside tx (COM-6):
// their sessions and open live connections end at once (EndSessions), and
// until then they cannot log in, and no session or API token of theirs
// works — so they cannot post anywhere.
func Suspend(ctx context.Context, tx *db.Tx, hub *realtime.Hub, userID int64, until *time.Time) error {
	at := SuspendedForGood
	if until != nil {
		at = db.Millis(*until)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET suspended_until = $1 WHERE id = $2`, at, userID); err != nil {
		return fmt.Errorf("account: suspend: %w", err)
	}
	if err := EndSessions(ctx, tx, hub, userID); err != nil {
		return fmt.Errorf("account: suspend: %w", err)
	}
	return nil
}

// EndSessions ends every session of userID inside tx and, once tx commits,
// closes each of their open live connections on every instance
// (realtime.TypeSignedOut): a connection is not a way around a session's
// end. Without a hub (a service that serves no live connections) there are
// none to close.
func EndSessions(ctx context.Context, tx *db.Tx, hub *realtime.Hub, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return err
	}
	if hub == nil {
		return nil
	}
	return hub.PublishOnCommit(tx, realtime.AccountTopic(userID), realtime.TypeSignedOut, nil)
}

// checkSuspended refuses a suspended user's login, saying until when.
func (s *Service) checkSuspended(ctx context.Context, q db.Querier, id int64) error {
	var until sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT suspended_until FROM users WHERE id = $1`, id).Scan(&until); err != nil {
		return fmt.Errorf("account: suspended: %w", err)
	}
	switch {
	case !until.Valid || until.Int64 <= db.Millis(s.Clock.Now()):
		return nil
	case until.Int64 == SuspendedForGood:
		return apperr.Errorf(apperr.Forbidden, "This account has been suspended.")
	default:
		return apperr.Errorf(apperr.Forbidden, "This account is suspended until %s UTC.", db.Time(until.Int64).Format("2 January 2006, 15:04"))
	}
}
