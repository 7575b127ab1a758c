// Package forum is SoulSeer's community (COM-1, COM-2): categories that
// admins arrange, threads that clients and readers start, replies, edits
// that keep their history for moderators, and search. Posts are written
// in Markdown and stored with their sanitised rendering (internal/markup).
// Anyone may read; signed-in users write, and only readers and admins in
// a category marked readers-only. Admin actions are audited (SEC-4).
package forum

import (
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/upload"
)

// Service keeps the forum.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// HideAfter is how many pending flags hide a post or thread until a
	// moderator decides (COM-7); with fewer it shows behind a warning.
	HideAfter int
	// Uploads keeps the files posts carry (COM-3).
	Uploads *upload.Service
}

// The target types of the forum's flaggable items (internal/flag).
const (
	TargetPost   = "post"
	TargetThread = "thread"
)

// DefaultHideAfter is HideAfter unless configured.
const DefaultHideAfter = 3

// Bounds on what users write.
const (
	MaxCategoryNameLen = 60
	MaxSlugLen         = 60
	MaxDescriptionLen  = 500
	MaxTitleLen        = 150
	MaxBodyLen         = 20_000 // characters of a post's Markdown
	PageSize           = 30     // threads or posts on a page
	searchLen          = 30     // results a search returns
)
