// Package flag is how the community keeps itself safe (COM-4 … COM-7,
// SEC-3): anyone signed in flags a forum post or thread, a reader's
// review, a stream chat message or a profile with a reason; admins work a
// queue of flagged items, oldest first, and decide on each — dismiss,
// hide, delete, warn the author or suspend them — every decision audited
// and its author told. Each kind of item is a Target its package provides.
package flag

import (
	"time"

	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/ratelimit"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Service takes flags and decisions.
type Service struct {
	DB      *db.DB
	Clock   clock.Clock
	Limiter *ratelimit.Limiter
	Notify  *notify.Service
	Hub     *realtime.Hub     // ends a suspended author's live connections
	Targets map[string]Target // by target type
	Config  Config
}

// Config holds the rules of flagging.
type Config struct {
	// Limit is how many flags one user may raise per window, across
	// every instance (SEC-3: 5 per 60 s).
	Limit ratelimit.Rule
}

// Reasons are why an item can be flagged, as the flag dialog lists them.
var Reasons = []struct{ Code, Label string }{
	{"spam", "Spam or advertising"},
	{"harassment", "Harassment or hate"},
	{"inappropriate", "Inappropriate or explicit"},
	{"scam", "A scam or asking to pay off the platform"},
	{"off_topic", "Off topic"},
	{"other", "Something else (say what)"},
}

// The states of a flag (COM-5): pending until an admin decides on its
// item, then resolved (the item was acted on) or dismissed.
const (
	Pending   = "pending"
	Resolved  = "resolved"
	Dismissed = "dismissed"
)

// Flag is one user's report of an item.
type Flag struct {
	ID         int64      `json:"id"`
	TargetType string     `json:"target_type"`
	TargetID   int64      `json:"target_id"`
	ReporterID int64      `json:"reporter_id"`
	Reporter   string     `json:"reporter"`
	Reason     string     `json:"reason"`
	Note       string     `json:"note"`
	Status     string     `json:"status"`
	Action     string     `json:"action"`
	CreatedAt  time.Time  `json:"created_at"`
	DecidedAt  *time.Time `json:"decided_at"`
}

// Bounds on what users write.
const (
	MaxNoteLen = 500
	queueLen   = 50 // items a page of the queue shows
)
