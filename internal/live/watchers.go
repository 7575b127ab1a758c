package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/realtime"
)

// ViewerSyncInterval is how often an instance writes who joined and left
// its streams to the database and announces the new viewer counts: joins
// and departures within one interval cost one batch and one stream.viewers
// per stream, however many viewers came and went.
const ViewerSyncInterval = 500 * time.Millisecond

// viewerListLen bounds the viewer list, the first by name.
const viewerListLen = 500

// watchers are this instance's open stream connections: how many each user
// has open to each stream, and whose presence changed since it was last
// written to the database.
type watchers struct {
	syncing  sync.Mutex // held by SyncViewers, one at a time
	mu       sync.Mutex
	instance string                   // this instance's id in live_instances
	open     map[int64]map[int64]int  // stream → user → open connections
	changed  map[int64]map[int64]bool // stream → users to write; an empty set recounts
	beatAt   time.Time                // when live_instances last heard from this instance
}

// Watching records that userID watches stream id through one more
// connection, until the release it returns is called (LIV-7). Presence is
// written to the database, and the stream's viewer count announced, by
// SyncViewers, so every instance's viewer list and count include it.
func (s *Service) Watching(id, userID int64) (release func()) {
	s.watchers.adjust(id, userID, 1)
	var once sync.Once
	return func() { once.Do(func() { s.watchers.adjust(id, userID, -1) }) }
}

// adjust changes userID's open connections to stream id by d, noting a
// change when they start or stop watching.
func (w *watchers) adjust(id, userID int64, d int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open == nil {
		w.open, w.changed = map[int64]map[int64]int{}, map[int64]map[int64]bool{}
	}
	if w.open[id] == nil {
		w.open[id] = map[int64]int{}
	}
	n := w.open[id][userID] + d
	if n > 0 {
		w.open[id][userID] = n
	} else {
		delete(w.open[id], userID)
		if len(w.open[id]) == 0 {
			delete(w.open, id)
		}
	}
	if (n == 1 && d > 0) || n == 0 {
		w.mark(id, userID)
	}
}

// mark notes that userID's presence in stream id must be written; userID
// 0 only recounts the stream. w.mu must be held.
func (w *watchers) mark(id, userID int64) {
	if w.changed[id] == nil {
		w.changed[id] = map[int64]bool{}
	}
	if userID != 0 {
		w.changed[id][userID] = true
	}
}

// RunViewers writes this instance's viewers to the database every
// ViewerSyncInterval until ctx ends, then removes this instance and its
// viewers, recounting their streams.
func (s *Service) RunViewers(ctx context.Context) {
	t := time.NewTicker(ViewerSyncInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := s.leaveViewers(context.WithoutCancel(ctx)); err != nil {
				s.Log.Warn("live: removing this instance's viewers", "err", err)
			}
			return
		case <-t.C:
			if err := s.SyncViewers(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn("live: writing viewers", "err", err)
			}
		}
	}
}

// SyncViewers writes who started and stopped watching streams through this
// instance since the last call, and recounts those streams (LIV-7): each
// stream's viewer count is the distinct users other than its reader
// watching through any instance, stored on the stream and announced to its
// viewers (stream.viewers) once per call however many came and went. It
// also keeps this instance listed as running, and removes the viewers of
// instances that stopped without saying so (not seen for the presence
// timeout), recounting their streams. Changes that fail to be written are
// kept for the next call; calls run one at a time, so once one returns,
// every change before it is written.
func (s *Service) SyncViewers(ctx context.Context) error {
	w := &s.watchers
	w.syncing.Lock()
	defer w.syncing.Unlock()
	if err := s.beat(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	changed := w.changed
	w.changed = map[int64]map[int64]bool{}
	w.mu.Unlock()
	var errs []error
	for _, id := range slices.Sorted(maps.Keys(changed)) {
		if err := s.writeViewers(ctx, id, changed[id]); err != nil {
			errs = append(errs, err)
			w.mu.Lock()
			w.mark(id, 0)
			for u := range changed[id] {
				w.mark(id, u)
			}
			w.mu.Unlock()
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("live: sync viewers: %w (and %d more)", errs[0], len(errs)-1)
	}
	return nil
}

// beat keeps this instance in live_instances, at most every quarter of the
// presence timeout, and removes instances that stopped. An instance found
// removed (it was away too long) writes all its viewers again.
func (s *Service) beat(ctx context.Context) error {
	w := &s.watchers
	now := s.Clock.Now()
	timeout := max(s.Config.PresenceTimeout, 4*ViewerSyncInterval)
	w.mu.Lock()
	if w.instance == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		w.instance = hex.EncodeToString(b)
	}
	me, due := w.instance, w.beatAt.IsZero() || now.Sub(w.beatAt) >= timeout/4 || now.Before(w.beatAt)
	w.mu.Unlock()
	if !due {
		return nil
	}
	res, err := s.DB.Writer.ExecContext(ctx, `UPDATE live_instances SET seen_at = $2 WHERE id = $1`, me, db.Millis(now))
	if err != nil {
		return fmt.Errorf("live: instance heartbeat: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if _, err := s.DB.Writer.ExecContext(ctx, `INSERT INTO live_instances (id, seen_at) VALUES ($1, $2)`, me, db.Millis(now)); err != nil {
			return fmt.Errorf("live: instance heartbeat: %w", err)
		}
		w.mu.Lock()
		for id, users := range w.open {
			for u := range users {
				w.mark(id, u)
			}
		}
		w.mu.Unlock()
	}
	w.mu.Lock()
	w.beatAt = now
	w.mu.Unlock()
	cutoff := db.Millis(now.Add(-timeout))
	streams, err := s.ids(ctx, `SELECT DISTINCT v.stream_id FROM stream_viewers v JOIN live_instances i ON i.id = v.instance_id
		WHERE i.seen_at < $1 AND i.id <> $2`, cutoff, me)
	if err != nil {
		return err
	}
	if _, err := s.DB.Writer.ExecContext(ctx, `DELETE FROM live_instances WHERE seen_at < $1 AND id <> $2`, cutoff, me); err != nil {
		return fmt.Errorf("live: remove stopped instances: %w", err)
	}
	w.mu.Lock()
	for _, id := range streams {
		w.mark(id, 0)
	}
	w.mu.Unlock()
	return nil
}

// leaveViewers removes this instance and its viewers and recounts their
// streams: the instance is stopping.
func (s *Service) leaveViewers(ctx context.Context) error {
	w := &s.watchers
	w.syncing.Lock()
	defer w.syncing.Unlock()
	w.mu.Lock()
	me := w.instance
	w.mu.Unlock()
	if me == "" {
		return nil
	}
	streams, err := s.ids(ctx, `SELECT DISTINCT stream_id FROM stream_viewers WHERE instance_id = $1`, me)
	if err != nil {
		return err
	}
	if _, err := s.DB.Writer.ExecContext(ctx, `DELETE FROM live_instances WHERE id = $1`, me); err != nil {
		return fmt.Errorf("live: remove instance: %w", err)
	}
	for _, id := range streams {
		if err := s.writeViewers(ctx, id, nil); err != nil {
			return err
		}
	}
	return nil
}

// writeViewers writes whether each of users watches stream id through
// this instance, recounts the stream and announces the count once stored.
// The stream's row is locked first, so instances writing the same stream
// take turns and the last count written includes every change.
func (s *Service) writeViewers(ctx context.Context, id int64, users map[int64]bool) error {
	w := &s.watchers
	w.mu.Lock()
	me := w.instance
	var here, gone []any
	for u := range users {
		if w.open[id][u] > 0 {
			here = append(here, u)
		} else {
			gone = append(gone, u)
		}
	}
	w.mu.Unlock()
	return s.DB.Tx(ctx, func(tx *db.Tx) error {
		var readerID int64
		if err := tx.QueryRowContext(ctx, `SELECT reader_id FROM streams WHERE id = $1`+s.DB.ForUpdate(), id).Scan(&readerID); err != nil {
			return nil // the stream is gone, and its viewers with it
		}
		for c := range slices.Chunk(here, db.MaxParams/3) {
			args := make([]any, 0, 3*len(c))
			rows := make([]string, len(c))
			for i, u := range c {
				rows[i] = fmt.Sprintf("($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
				args = append(args, id, u, me)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO stream_viewers (stream_id, user_id, instance_id) VALUES `+strings.Join(rows, ", ")+
				` ON CONFLICT (stream_id, user_id, instance_id) DO NOTHING`, args...); err != nil {
				return fmt.Errorf("live: write viewers: %w", err)
			}
		}
		for c := range slices.Chunk(gone, db.MaxParams-2) {
			marks := make([]string, len(c))
			for i := range c {
				marks[i] = fmt.Sprintf("$%d", i+3)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM stream_viewers WHERE stream_id = $1 AND instance_id = $2 AND user_id IN (`+strings.Join(marks, ", ")+`)`,
				append([]any{id, me}, c...)...); err != nil {
				return fmt.Errorf("live: write viewers: %w", err)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT user_id) FROM stream_viewers WHERE stream_id = $1 AND user_id <> $2`, id, readerID).Scan(&n); err != nil {
			return fmt.Errorf("live: count viewers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE streams SET viewer_count = $2 WHERE id = $1`, id, n); err != nil {
			return fmt.Errorf("live: count viewers: %w", err)
		}
		return s.Hub.PublishOnCommit(tx, realtime.StreamTopic(id), "stream.viewers", Viewers{StreamID: id, Count: n})
	})
}

// ids runs query, which selects one id column.
func (s *Service) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.DB.Writer.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("live: viewers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("live: viewers: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Viewers is the data of a stream.viewers event: how many watch now.
type Viewers struct {
	StreamID int64 `json:"stream_id"`
	Count    int   `json:"count"`
}

// Viewer is one user watching a stream.
type Viewer struct {
	UserID      int64  `json:"user_id"`
	DisplayName string `json:"display_name"`
}

// Viewers lists the users other than the reader watching stream id through
// any instance, by name (the first viewerListLen), for the reader, admins
// and the reader's moderators (LIV-7); anyone else is Forbidden.
func (s *Service) Viewers(ctx context.Context, who account.User, id int64) ([]Viewer, error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.MayModerate(ctx, who, st.ReaderID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Errorf(apperr.Forbidden, "Only the stream's reader, their moderators and admins see who is watching.")
	}
	rows, err := s.DB.Read().QueryContext(ctx, fmt.Sprintf(`SELECT u.id, u.display_name FROM users u
		WHERE u.id IN (SELECT user_id FROM stream_viewers WHERE stream_id = $1) AND u.id <> $2 ORDER BY u.display_name, u.id LIMIT %d`, viewerListLen),
		id, st.ReaderID)
	if err != nil {
		return nil, fmt.Errorf("live: viewers: %w", err)
	}
	defer rows.Close()
	out := []Viewer{}
	for rows.Next() {
		var v Viewer
		if err := rows.Scan(&v.UserID, &v.DisplayName); err != nil {
			return nil, fmt.Errorf("live: viewers: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Refused is the data of the stream.refused message a connection gets
// before it is closed: why the user may not (or no longer) watch.
type Refused struct {
	StreamID int64  `json:"stream_id"`
	Reason   string `json:"reason"`
}

// ClosesAfter says why userID's connection to a stream ends after message
// m, if it does (LIV-2, LIV-8): every connection once the stream has ended
// (stream.ended), and the banned viewer's once they are banned
// (stream.banned naming them). Each instance asks it of its own
// connections, so a stream's end or a ban made on one instance closes
// connections on all of them.
func ClosesAfter(m realtime.Message, userID int64) string {
	switch m.Type {
	case "stream.ended":
		return errEnded.Message
	case "stream.banned":
		var b Banned
		if json.Unmarshal(m.Data, &b) == nil && b.UserID == userID {
			return "You have been banned from this reader's streams."
		}
	}
	return ""
}
