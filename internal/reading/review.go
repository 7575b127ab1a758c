package reading

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Review is a client's rating of a completed reading, with the reader's
// reply to it, if any (RDR-5).
type Review struct {
	ReadingID  int64
	ReaderID   int64
	ReaderName string
	// ClientName is the client's first name only, or "A client" once their
	// account is gone: a review is public, the client's full name is not.
	ClientName string
	Rating     int
	Body       string
	Reply      string    // the reader's answer; "" until they write one
	RepliedAt  time.Time // when the reply was last written
	CreatedAt  time.Time
}

// ReviewSort orders a reader's reviews.
type ReviewSort string

// The orders of a reader's reviews.
const (
	// ReviewsNewest lists the newest review first.
	ReviewsNewest ReviewSort = "newest"
	// ReviewsHelpful lists the reviews with 4 or 5 stars first, those with
	// the most to say (the longest text) first among them, then the rest
	// the same way; equally long ones newest first.
	ReviewsHelpful ReviewSort = "helpful"
)

// ParseReviewSort accepts "newest", "helpful" or "" (newest).
func ParseReviewSort(s string) (ReviewSort, bool) {
	switch ReviewSort(s) {
	case "", ReviewsNewest:
		return ReviewsNewest, true
	case ReviewsHelpful:
		return ReviewsHelpful, true
	}
	return "", false
}

// MaxReviewPage bounds one page of a reader's reviews.
const MaxReviewPage = 50

// AddReview rates a finalized reading of at least MinReviewMinutes paid
// minutes, once per reading, and updates the reader's average (RDR-5).
func (s *Service) AddReview(ctx context.Context, client account.User, id int64, rating int, body string) error {
	if rating < 1 || rating > 5 {
		return apperr.Validation(map[string]string{"rating": "Choose 1 to 5 stars."})
	}
	body, err := cleanText("body", body, false)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		r, err := load(ctx, tx, id, s.DB.ForUpdateOf("r"))
		if err != nil {
			return err
		}
		if r.ClientID != client.ID {
			return errNoReading
		}
		if r.State != Finalized || r.BilledMinutes < MinReviewMinutes {
			return apperr.Errorf(apperr.Conflict, "Readings can be reviewed once they have ended, after at least %d paid minutes.", MinReviewMinutes)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO reviews (reading_id, client_id, reader_id, rating, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.ID, client.ID, r.ReaderID, rating, body, db.Millis(s.Clock.Now()))
		if s.DB.IsUniqueViolation(err) {
			return apperr.Errorf(apperr.Conflict, "You have already reviewed this reading.")
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE reader_profiles SET rating_sum = rating_sum + $1, rating_count = rating_count + 1 WHERE user_id = $2`, rating, r.ReaderID)
		return err
	})
}

var errNoReview = apperr.Errorf(apperr.NotFound, "No such review.")

// ReplyToReview saves a reader's reply to the review of one of their
// readings: one reply per review, shown under it, which the reader may
// edit; nobody else may write it. The review is named by its reading.
func (s *Service) ReplyToReview(ctx context.Context, rdr account.User, readingID int64, body string) (Review, error) {
	body, err := cleanText("body", body, true)
	if err != nil {
		return Review{}, err
	}
	var rv Review
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE reviews SET reply = $1, replied_at = $2 WHERE reading_id = $3 AND reader_id = $4`,
			body, db.Millis(s.Clock.Now()), readingID, rdr.ID)
		if err != nil {
			return fmt.Errorf("reading: reply to review: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errNoReview
		}
		rv, err = scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE v.reading_id = $1`, readingID))
		return err
	})
	return rv, err
}

// ReviewOf returns the review of a reading, if any.
func (s *Service) ReviewOf(ctx context.Context, readingID int64) (Review, bool, error) {
	rv, err := scanReview(s.DB.Read().QueryRowContext(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE v.reading_id = $1`, readingID))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, false, nil
	}
	return rv, err == nil, err
}

// Reviews returns one page of a reader's reviews in the order sort gives
// (at most MaxReviewPage from offset) and how many the reader has in all,
// leaving out those a moderator removed (COM-6).
func (s *Service) Reviews(ctx context.Context, readerID int64, sort ReviewSort, limit, offset int) ([]Review, int, error) {
	var total int
	if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM reviews WHERE reader_id = $1 AND hidden_at IS NULL`, readerID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("reading: count reviews: %w", err)
	}
	order := "v.created_at DESC, v.reading_id DESC"
	if sort == ReviewsHelpful {
		order = "(CASE WHEN v.rating >= 4 THEN 0 ELSE 1 END), length(v.body) DESC, " + order
	}
	limit, offset = min(max(limit, 1), MaxReviewPage), max(offset, 0)
	rows, err := s.DB.Read().QueryContext(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE v.reader_id = $1 AND v.hidden_at IS NULL ORDER BY `+order+
		` LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), readerID)
	if err != nil {
		return nil, 0, fmt.Errorf("reading: reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		rv, err := scanReview(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rv)
	}
	return out, total, rows.Err()
}

const reviewColumns = `v.reading_id, v.reader_id, ru.display_name, COALESCE(u.display_name, ''), v.rating, v.body, v.reply, v.replied_at, v.created_at`

const reviewFrom = ` FROM reviews v JOIN users ru ON ru.id = v.reader_id LEFT JOIN users u ON u.id = v.client_id`

func scanReview(row interface{ Scan(...any) error }) (Review, error) {
	var rv Review
	var name string
	var replied sql.NullInt64
	var at int64
	if err := row.Scan(&rv.ReadingID, &rv.ReaderID, &rv.ReaderName, &name, &rv.Rating, &rv.Body, &rv.Reply, &replied, &at); err != nil {
		return Review{}, err
	}
	rv.ClientName = "A client"
	if f := strings.Fields(name); len(f) > 0 {
		rv.ClientName = f[0]
	}
	rv.RepliedAt, rv.CreatedAt = db.NullTime(replied), db.Time(at)
	return rv, nil
}
