package privacy

import (
	"context"
	"errors"

	"github.com/soulseer/soulseer/internal/db"
)

// flagsFile is flags.json.
type flagsFile struct {
	Flags []flagData `json:"flags"`
}

type flagData struct {
	ID         int64  `json:"id"`
	TargetType string `json:"target_type"`
	TargetID   int64  `json:"target_id"`
	Reason     string `json:"reason"`
	Note       string `json:"note"`
	Status     string `json:"status"`
	Action     string `json:"action"`
	CreatedAt  stamp  `json:"created_at"`
	DecidedAt  stamp  `json:"decided_at"`
}

// readFlags reads flags.json: the reports the person made and what was
// decided. Reports others made about them stay out: who reported is the
// reporter's to know.
func readFlags(ctx context.Context, q db.Querier, userID int64) (any, error) {
	flags, err := list(ctx, q, `SELECT id, target_type, target_id, reason, note, status, action, created_at, decided_at
		FROM flags WHERE reporter_id = $1 ORDER BY id`,
		func(r db.Row, x *flagData) error {
			return r.Scan(&x.ID, &x.TargetType, &x.TargetID, &x.Reason, &x.Note, &x.Status, &x.Action, &x.CreatedAt, &x.DecidedAt)
		}, userID)
	if err != nil {
		return nil, err
	}
	return flagsFile{Flags: flags}, nil
}

// notificationsFile is notifications.json.
type notificationsFile struct {
	Notifications []notificationData `json:"notifications"`
}

type notificationData struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	URL       string `json:"url"`
	CreatedAt stamp  `json:"created_at"`
	ReadAt    stamp  `json:"read_at"`
}

// readNotifications reads notifications.json: everything the person was
// told.
func readNotifications(ctx context.Context, q db.Querier, userID int64) (any, error) {
	ns, err := list(ctx, q, `SELECT id, kind, title, body, url, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id`,
		func(r db.Row, x *notificationData) error {
			return r.Scan(&x.ID, &x.Kind, &x.Title, &x.Body, &x.URL, &x.CreatedAt, &x.ReadAt)
		}, userID)
	if err != nil {
		return nil, err
	}
	return notificationsFile{Notifications: ns}, nil
}

// reviewsFile is reviews.json.
type reviewsFile struct {
	Written  []reviewData `json:"written"`
	Received []reviewData `json:"received"`
}

type reviewData struct {
	ReadingID int64  `json:"reading_id"`
	Reader    *party `json:"reader,omitempty"` // written: whom it is about
	Client    *party `json:"client,omitempty"` // received: who wrote it
	Rating    int    `json:"rating"`
	Body      string `json:"body"`
	Reply     string `json:"reply"` // the reader's answer
	CreatedAt stamp  `json:"created_at"`
	RepliedAt stamp  `json:"replied_at"`
	HiddenAt  stamp  `json:"hidden_at"`
}

// readReviews reads reviews.json: reviews the person wrote and, as a
// reader, received, each with the reader's reply.
func readReviews(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f reviewsFile
	var errs [2]error
	const columns = `, v.reading_id, v.rating, v.body, v.reply, v.created_at, v.replied_at, v.hidden_at FROM reviews v `
	f.Written, errs[0] = list(ctx, q, `SELECT `+partyColumns("u")+columns+`LEFT JOIN users u ON u.id = v.reader_id WHERE v.client_id = $1 ORDER BY v.reading_id`,
		func(r db.Row, x *reviewData) error {
			p, err := scanReview(r, x)
			x.Reader = p
			return err
		}, userID)
	f.Received, errs[1] = list(ctx, q, `SELECT `+partyColumns("u")+columns+`LEFT JOIN users u ON u.id = v.client_id WHERE v.reader_id = $1 ORDER BY v.reading_id`,
		func(r db.Row, x *reviewData) error {
			p, err := scanReview(r, x)
			x.Client = p
			return err
		}, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return f, nil
}

// scanReview reads a review and the other party to it.
func scanReview(r db.Row, x *reviewData) (*party, error) {
	var id int64
	var name string
	err := r.Scan(&id, &name, &x.ReadingID, &x.Rating, &x.Body, &x.Reply, &x.CreatedAt, &x.RepliedAt, &x.HiddenAt)
	return partyOf(id, name), err
}

// favoritesFile is favorites.json.
type favoritesFile struct {
	Favorites    []personData `json:"favorites"`
	OnlineAlerts []personData `json:"online_alerts"`
	Blocked      []personData `json:"blocked"`
}

type personData struct {
	Person    *party `json:"person"`
	CreatedAt stamp  `json:"created_at"`
}

// readFavorites reads favorites.json: the readers the person favourited
// or asked to hear about when they come online, and whom they blocked.
// Who favourited or blocked them is the others' to know.
func readFavorites(ctx context.Context, q db.Querier, userID int64) (any, error) {
	var f favoritesFile
	var errs [3]error
	scan := func(r db.Row, x *personData) error {
		var id int64
		var name string
		err := r.Scan(&id, &name, &x.CreatedAt)
		x.Person = partyOf(id, name)
		return err
	}
	f.Favorites, errs[0] = list(ctx, q, `SELECT `+partyColumns("u")+`, x.created_at FROM favorites x LEFT JOIN users u ON u.id = x.reader_id
		WHERE x.client_id = $1 ORDER BY x.created_at, x.reader_id`, scan, userID)
	f.OnlineAlerts, errs[1] = list(ctx, q, `SELECT `+partyColumns("u")+`, x.created_at FROM online_watches x LEFT JOIN users u ON u.id = x.reader_id
		WHERE x.client_id = $1 ORDER BY x.created_at, x.reader_id`, scan, userID)
	f.Blocked, errs[2] = list(ctx, q, `SELECT `+partyColumns("u")+`, x.created_at FROM blocks x LEFT JOIN users u ON u.id = x.blocked_id
		WHERE x.blocker_id = $1 ORDER BY x.created_at, x.blocked_id`, scan, userID)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return f, nil
}
