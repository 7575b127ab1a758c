// Package live holds readers' livestreams (LIV-1 … LIV-9): starting and
// ending a stream, who may watch it (public, invited only, or with a
// ticket), the gift catalog and paid gifts, the stream's chat and its top
// gifters. Live events reach viewers through the stream's hub topic
// (realtime.StreamTopic): stream.chat, stream.gift, stream.viewers,
// stream.hidden, stream.muted, stream.banned, stream.unbanned and
// stream.ended. The reader, admins and the reader's moderators hide
// messages, mute and ban viewers (LIV-8). Who watches is kept in the
// database by each instance (Watching, SyncViewers), so counts and lists
// cover every instance (LIV-7).
// Money moves only through the ledger, each payment in one transfer.
package live

import (
	"log/slog"
	"time"

	"github.com/soulseer/soulseer/internal/agora"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/notify"
	"github.com/soulseer/soulseer/internal/ratelimit"
	"github.com/soulseer/soulseer/internal/realtime"
)

// Service starts, ends and lists streams, decides who may watch them, sells
// tickets, keeps the gift catalog, sends gifts and carries chat.
type Service struct {
	DB      *db.DB
	Clock   clock.Clock
	Ledger  *ledger.Ledger
	Hub     *realtime.Hub
	Limiter *ratelimit.Limiter
	Agora   *agora.Tokens // nil or unconfigured: streams run without video
	Notify  *notify.Service
	Log     *slog.Logger
	Config  Config

	watchers watchers   // this instance's open stream connections
	gifting  giftQueues // gifts waiting to commit, by stream
}

// Config holds the rules of streams.
type Config struct {
	// PlatformSharePct is the platform's share of tickets and gifts, in
	// percent; the reader earns the rest.
	PlatformSharePct int
	// PresenceTimeout and Grace decide when a stream whose reader has
	// gone ends by itself: once they have not been seen for both together.
	PresenceTimeout time.Duration
	Grace           time.Duration
	// ChatLimit is how many chat messages one user may send per window,
	// across every stream (the message rate limit, SEC-3).
	ChatLimit ratelimit.Rule
}

// Bounds on what users send.
const (
	MaxTitleLen          = 120           // characters of a stream's title
	MaxInvites           = 100           // users a private stream may invite
	MaxTicketPriceCents  = int64(500_00) // a premium stream's ticket
	MaxChatLen           = 500           // characters of a chat message
	MaxRequestKeyLen     = 100           // a gift's idempotency key
	MaxGiftQuantity      = 99            // gifts of one kind sent at once
	MaxGiftPriceCents    = int64(1000_00)
	MaxGiftNameLen       = 40
	transcriptLen        = 200 // chat messages a transcript returns, the latest
	topGiftersLen        = 10
	liveNowLen           = 100
	pastStreamsLen       = 50
	streamSweepBatchSize = 100
)
