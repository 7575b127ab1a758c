package flag

import (
	"context"
	"time"

	"github.com/soulseer/soulseer/internal/db"
)

// The target types of items kept outside the forum (whose own are
// forum.TargetPost and forum.TargetThread).
const (
	TargetReview  = "review"         // a reader's review, by reading id
	TargetMessage = "stream_message" // a stream's chat message
	TargetProfile = "profile"        // a reader's profile, by user id
)

// Item is a flaggable thing as a moderator sees it.
type Item struct {
	AuthorID int64  `json:"author_id"`
	Author   string `json:"author"`
	Text     string `json:"text"` // what it says, as written
	URL      string `json:"url"`  // where it is on the site
}

// Target is one kind of flaggable item, provided by the package that
// keeps it.
type Target interface {
	// Item returns item id through q; NotFound when it does not exist or
	// is already deleted.
	Item(ctx context.Context, q db.Querier, id int64) (Item, error)
	// Remove hides item id, or with del deletes it, inside tx at at on
	// moderator by's decision.
	Remove(ctx context.Context, tx *db.Tx, id int64, del bool, by int64, at time.Time) error
}
