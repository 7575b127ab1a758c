package reading

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// userFor is the acting user of presence events: one of the parties.
func userFor(id int64) account.User { return account.User{ID: id} }

// absent returns which party has not been seen since cutoff: "client",
// "reader", "both" or "".
func (r Reading) absent(cutoff time.Time) string {
	c, rd := r.ClientSeenAt.Before(cutoff), r.ReaderSeenAt.Before(cutoff)
	switch {
	case c && rd:
		return "both"
	case c:
		return string(Client)
	case rd:
		return string(Reader)
	}
	return ""
}

// disconnect pauses r because gone lost their connection, giving them the
// grace window to come back (OD-7, AGO-3). Paused time is not billed.
func (s *Service) disconnect(ctx context.Context, tx *db.Tx, r *Reading, gone string, now time.Time) error {
	if r.State == Active {
		r.ActiveMS = r.ActiveTime(now).Milliseconds()
	}
	r.ActiveSince = time.Time{}
	if r.GraceUntil.IsZero() {
		r.GraceUntil = now.Add(s.Config.Grace)
	}
	if r.GoneParty != "" && r.GoneParty != gone {
		gone = "both"
	}
	r.GoneParty = gone
	if r.PauseReason == "" {
		r.PauseReason = PauseDisconnect
	}
	if err := transition(ctx, tx, r, EventDisconnect, gone+" disconnected", now); err != nil {
		return err
	}
	return s.announce(tx, r, "reading.paused")
}

// Seen records that party is connected to reading id now. When it brings a
// disconnected reading's parties back together, the reading reconnects and
// resumes (or pauses for low balance); too many reconnects in the window end
// it (OD-8). A reconnect continues the minute already paid, never a free new
// one.
func (s *Service) Seen(ctx context.Context, id int64, userID int64) error {
	_, err := s.modify(ctx, id, userFor(userID), func(tx *db.Tx, r *Reading, party Party, now time.Time) error {
		if party == Client {
			r.ClientSeenAt = now
		} else {
			r.ReaderSeenAt = now
		}
		if r.State != Paused || r.GraceUntil.IsZero() || r.absent(now.Add(-s.Config.PresenceTimeout)) != "" {
			return nil
		}
		// Both are here again.
		r.Reconnects++
		if err := transition(ctx, tx, r, EventReconnect, string(party)+" reconnected", now); err != nil {
			return err
		}
		abusive, err := s.tooManyReconnects(ctx, tx, r, now)
		if err != nil {
			return err
		}
		if abusive {
			by := r.ClientID
			if r.GoneParty == string(Reader) {
				by = r.ReaderID
			}
			return s.end(ctx, tx, r, EventAbuse, EndAbuse, by, now)
		}
		r.GraceUntil, r.GoneParty = time.Time{}, ""
		if r.PauseReason == PauseLowBalance || r.PauseReason == PauseSpendingLimit {
			// Still waiting for a top-up, or at the spending limit: back to
			// paused without grace.
			return s.pauseForFunds(ctx, tx, r, r.PauseReason, now)
		}
		return s.resume(ctx, tx, r, now)
	})
	if apperr.CodeOf(err) == apperr.Conflict {
		return nil // the reading moved on; being seen changes nothing
	}
	return err
}

// tooManyReconnects reports whether r has reconnected more than the limit
// within the window.
func (s *Service) tooManyReconnects(ctx context.Context, tx *db.Tx, r *Reading, now time.Time) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reading_transitions WHERE reading_id = $1 AND event = 'reconnect' AND at >= $2`,
		r.ID, db.Millis(now.Add(-s.Config.ReconnectWindow))).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reading: count reconnects: %w", err)
	}
	return n > s.Config.ReconnectLimit, nil
}

// Left records that party's last connection to reading id closed at
// closedAt: a running reading pauses then rather than after the presence
// timeout — unless the party was seen since, on a new page or through
// another instance, and has not left at all.
func (s *Service) Left(ctx context.Context, id int64, userID int64, closedAt time.Time) error {
	_, err := s.modify(ctx, id, userFor(userID), func(tx *db.Tx, r *Reading, party Party, now time.Time) error {
		seen := &r.ReaderSeenAt
		if party == Client {
			seen = &r.ClientSeenAt
		}
		if seen.After(closedAt) {
			return nil
		}
		*seen = time.Time{}
		if r.State != Active && r.State != Reconnecting && r.State != Paused {
			return nil
		}
		return s.disconnect(ctx, tx, r, string(party), now)
	})
	if apperr.CodeOf(err) == apperr.Conflict {
		return nil
	}
	return err
}

// LeaveDelay is the default Presence.LeaveDelay: long enough for a browser
// to load the next page and connect again.
const LeaveDelay = 3 * time.Second

// Presence keeps the "last seen" times of what this instance's live
// connections belong to: users (so notifications are emailed only to people
// away, MSG-2), readers (for the directory's online status, RDR-3) and
// reading parties (for disconnect detection). It refreshes them every
// interval; a process that dies stops refreshing, so its users go offline
// after the presence timeout everywhere.
type Presence struct {
	Readings *Service
	Interval time.Duration
	// LeaveDelay is how long a party's last connection to a reading may be
	// closed before the reading pauses: a page moving to the next one (a
	// reload, the room after Accept) reconnects within it and neither
	// pauses the reading nor counts as a reconnect (OD-8).
	LeaveDelay time.Duration

	mu       sync.Mutex
	users    map[int64]int
	parties  map[[2]int64]int // (reading, user) → connections
	stopping bool
}

// Stop stops recording departures: from now on connections close because
// this instance is going away, and their readings must not pause for it.
func (p *Presence) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopping = true
}

// Connect registers a live connection of a user (and, for a reading room,
// of a party to readingID; 0 otherwise). The returned function unregisters
// it; the last connection of a party to a reading leaving pauses it.
func (p *Presence) Connect(ctx context.Context, userID, readingID int64) (release func()) {
	p.mu.Lock()
	if p.users == nil {
		p.users, p.parties = map[int64]int{}, map[[2]int64]int{}
	}
	p.users[userID]++
	key := [2]int64{readingID, userID}
	if readingID != 0 {
		p.parties[key]++
	}
	p.mu.Unlock()
	p.touchUsers(ctx, []int64{userID})
	if readingID != 0 {
		if err := p.Readings.Seen(ctx, readingID, userID); err != nil {
			p.Readings.Log.Warn("reading presence", "reading", readingID, "user", userID, "err", err)
		}
	}
	return func() {
		p.mu.Lock()
		p.users[userID]--
		gone := false
		if p.users[userID] <= 0 {
			delete(p.users, userID)
			gone = !p.stopping
		}
		last := false
		if readingID != 0 {
			p.parties[key]--
			if p.parties[key] <= 0 {
				delete(p.parties, key)
				last = !p.stopping
			}
		}
		p.mu.Unlock()
		if gone {
			p.userGone(context.WithoutCancel(ctx), userID)
		}
		if last {
			closedAt := p.Readings.Clock.Now()
			time.AfterFunc(p.LeaveDelay, func() { p.left(context.WithoutCancel(ctx), key, closedAt) })
		}
	}
}

// left pauses reading key[0] for party key[1], whose last connection here
// closed at closedAt, unless they connected here again since or this
// instance is stopping.
func (p *Presence) left(ctx context.Context, key [2]int64, closedAt time.Time) {
	p.mu.Lock()
	back := p.parties[key] > 0 || p.stopping
	p.mu.Unlock()
	if back {
		return
	}
	if err := p.Readings.Left(ctx, key[0], key[1], closedAt); err != nil {
		p.Readings.Log.Warn("reading presence", "reading", key[0], "user", key[1], "err", err)
	}
}

// userGone marks a user whose last connection to this instance closed as
// not seen, so the directory shows a reader offline at once (RDR-3) rather
// than after the presence timeout, and what they are told is emailed
// (MSG-2). A connection to another instance marks them seen again at its
// next heartbeat.
func (p *Presence) userGone(ctx context.Context, userID int64) {
	s := p.Readings
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_seen_at = 0 WHERE id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET last_seen_at = 0 WHERE user_id = $1`, userID)
		return err
	})
	if err != nil {
		s.Log.Warn("presence: mark user gone", "user", userID, "err", err)
	}
	// A page that reconnected while this ran (the next page of a user moving
	// around the site) must not stay marked gone.
	p.mu.Lock()
	back := p.users[userID] > 0
	p.mu.Unlock()
	if back {
		p.touchUsers(ctx, []int64{userID})
	}
}

// Run refreshes the last-seen times every interval until ctx ends.
func (p *Presence) Run(ctx context.Context) {
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p.mu.Lock()
		users := make([]int64, 0, len(p.users))
		for u := range p.users {
			users = append(users, u)
		}
		parties := make([][2]int64, 0, len(p.parties))
		for k := range p.parties {
			parties = append(parties, k)
		}
		p.mu.Unlock()
		p.touchUsers(ctx, users)
		paused, err := p.touchParties(ctx, parties)
		if err != nil && ctx.Err() == nil {
			p.Readings.Log.Warn("reading presence heartbeat", "err", err)
		}
		for _, k := range paused {
			if err := p.Readings.Seen(ctx, k[0], k[1]); err != nil && ctx.Err() == nil {
				p.Readings.Log.Warn("reading presence", "reading", k[0], "user", k[1], "err", err)
			}
		}
	}
}

// touchParties refreshes the parties' last-seen times of running readings in
// one statement per chunk, and returns the parties of paused readings, which
// need the full reconnect rules of Seen.
func (p *Presence) touchParties(ctx context.Context, parties [][2]int64) ([][2]int64, error) {
	if len(parties) == 0 {
		return nil, nil
	}
	s := p.Readings
	now := db.Millis(s.Clock.Now())
	var paused [][2]int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		paused = paused[:0]
		for _, chunk := range db.Chunks(parties, 2) {
			args := make([]any, 0, 2*len(chunk))
			for _, k := range chunk {
				args = append(args, k[0], k[1])
			}
			values := db.Values(len(chunk), 2, true)
			if _, err := tx.ExecContext(ctx, `UPDATE readings SET
				client_seen_at = CASE WHEN client_id = v.column2 THEN `+strconv.FormatInt(now, 10)+` ELSE client_seen_at END,
				reader_seen_at = CASE WHEN reader_id = v.column2 THEN `+strconv.FormatInt(now, 10)+` ELSE reader_seen_at END
				FROM (VALUES `+values+`) AS v WHERE readings.id = v.column1 AND readings.state IN ('active', 'reconnecting')`, args...); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, `SELECT v.column1, v.column2 FROM (VALUES `+values+`) AS v
				JOIN readings r ON r.id = v.column1 WHERE r.state = 'paused'`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k [2]int64
				if err := rows.Scan(&k[0], &k[1]); err != nil {
					rows.Close()
					return err
				}
				paused = append(paused, k)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return paused, err
}

// touchUsers marks users as seen now: each one holds a live connection
// (so is not emailed what they are told live, MSG-2), and readers among
// them show their chosen presence in the directory (RDR-3); clients waiting
// for one of them to come online are told (RDR-7).
func (p *Presence) touchUsers(ctx context.Context, users []int64) {
	if len(users) == 0 {
		return
	}
	s := p.Readings
	now := strconv.FormatInt(db.Millis(s.Clock.Now()), 10)
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		for _, chunk := range db.Chunks(users, 1) {
			args := make([]any, len(chunk))
			for i, u := range chunk {
				args[i] = u
			}
			in := db.Params(len(chunk))
			if _, err := tx.ExecContext(ctx, `UPDATE users SET last_seen_at = `+now+` WHERE id IN (`+in+`)`, args...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET last_seen_at = `+now+` WHERE user_id IN (`+in+`)`, args...); err != nil {
				return err
			}
			if err := s.Readers.TellWatchers(ctx, tx, chunk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && ctx.Err() == nil {
		s.Log.Warn("presence heartbeat", "err", err)
	}
}
