package live

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/realtime"
)

// giftQueues commit the gifts sent to one stream on this instance together,
// a group commit: while one transaction of a stream's gifts is running, the
// gifts that arrive wait, and the first of them then commits all of them in
// the next transaction. A busy stream credits its reader's one earnings
// account once per transaction instead of once per gift, so many viewers
// gifting at once are not lined up behind that account's row lock.
type giftQueues struct {
	mu     sync.Mutex
	stream map[int64]*giftQueue
}

// giftQueue is one stream's gifts waiting for a transaction; busy while one
// is running.
type giftQueue struct {
	busy    bool
	waiting []*pendingGift
}

// pendingGift is a gift ready to commit and, once done is closed, its
// outcome: stored (g.ID set), replayed (its key was taken, by this batch or
// before) or refused (err).
type pendingGift struct {
	g         Sent
	sender    account.User
	readerID  int64 // set by admit, with sharePct and g.ReaderName
	sharePct  int
	key       string
	unitCents int64 // set by price
	memo      string
	first     *pendingGift // the gift of the batch that sent this key first, if another

	lead     chan struct{} // closed when this gift's sender is to commit the queue
	done     chan struct{} // closed when the outcome is known
	replayed bool
	err      error
	early    bool // refused by admit: the stream or the sender's access
}

// commit stores p's gift and moves its money in a transaction shared with the
// other gifts to the same stream waiting at the same time, and returns once
// p's outcome is known. The transaction does not end with ctx: the gifts of
// other senders ride in it.
func (s *Service) commit(ctx context.Context, p *pendingGift) {
	p.lead, p.done = make(chan struct{}), make(chan struct{})
	q := &s.gifting
	q.mu.Lock()
	if q.stream == nil {
		q.stream = map[int64]*giftQueue{}
	}
	sq := q.stream[p.g.StreamID]
	if sq == nil {
		sq = &giftQueue{}
		q.stream[p.g.StreamID] = sq
	}
	sq.waiting = append(sq.waiting, p)
	leader := !sq.busy
	sq.busy = true
	q.mu.Unlock()
	if !leader {
		select {
		case <-p.done:
			return
		case <-p.lead:
		}
	}
	// Gifts released together by the last commit (their senders sending
	// again) are let in before the batch is taken, so they ride in this
	// transaction instead of waiting a whole one.
	runtime.Gosched()
	q.mu.Lock()
	n := min(len(sq.waiting), maxGiftBatch)
	batch := sq.waiting[:n:n]
	sq.waiting = sq.waiting[n:]
	q.mu.Unlock()

	s.commitBatch(context.WithoutCancel(ctx), batch)

	q.mu.Lock()
	if len(sq.waiting) > 0 {
		close(sq.waiting[0].lead) // the next batch is theirs
	} else {
		delete(q.stream, p.g.StreamID)
	}
	q.mu.Unlock()
	for _, b := range batch {
		close(b.done)
	}
}

// giftKey names a sender's idempotency key.
func giftKey(senderID int64, key string) string { return strconv.FormatInt(senderID, 10) + ":" + key }

// insertGifts stores gifts, each its sender's first use of its key in the
// batch, in one statement, setting the id of each stored; a gift whose key
// a committed gift already used is left without one. byKey finds a gift by
// giftKey.
func insertGifts(ctx context.Context, tx *db.Tx, gifts []*pendingGift, byKey map[string]*pendingGift) error {
	if len(gifts) == 0 {
		return nil
	}
	args := make([]any, 0, len(gifts)*sentGiftValues)
	for _, p := range gifts {
		args = append(args, p.g.StreamID, p.g.SenderID, p.g.GiftID, p.g.Quantity, p.unitCents, p.g.AmountCents, p.g.ReaderCents,
			p.g.PlatformCents, p.key, db.Millis(p.g.CreatedAt))
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO stream_gifts (stream_id, sender_id, gift_id, quantity, unit_price_cents, amount_cents,
		reader_cents, platform_cents, request_key, created_at) VALUES `+db.Values(len(gifts), sentGiftValues, false)+`
		ON CONFLICT (sender_id, request_key) DO NOTHING RETURNING id, sender_id, request_key`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, sender int64
		var key string
		if err := rows.Scan(&id, &sender, &key); err != nil {
			return err
		}
		byKey[giftKey(sender, key)].g.ID = id
	}
	return rows.Err()
}

// sentGiftValues is how many values insertGifts binds per gift.
const sentGiftValues = 10

// maxGiftBatch bounds the gifts one transaction commits, so their insert
// stays within db.MaxParams; the rest wait for the next.
const maxGiftBatch = db.MaxParams / sentGiftValues

// commitBatch admits batch's gifts (admit), prices them from the catalog as
// it stands in the transaction, stores them and posts their transfers in it
// (ledger.PostBatch); a gift no longer offered, or whose sender's wallet
// cannot cover it, is refused alone. A key met twice in the batch is the first
// one's: the second is replayed. A database failure refuses them all.
func (s *Service) commitBatch(ctx context.Context, batch []*pendingGift) {
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := s.admit(ctx, tx, batch); err != nil {
			return err
		}
		catalog, err := s.gifts(ctx, tx, true)
		if err != nil {
			return err
		}
		byID := make(map[int64]Gift, len(catalog))
		for _, g := range catalog {
			byID[g.ID] = g
		}
		var firsts []*pendingGift
		firstOfKey := map[string]*pendingGift{}
		for _, p := range batch {
			p.replayed, p.g.ID, p.first = false, 0, nil
			if p.err != nil { // refused by admit
				continue
			}
			if p.err = p.price(byID); p.err != nil {
				continue
			}
			k := giftKey(p.g.SenderID, p.key)
			if first := firstOfKey[k]; first != nil {
				p.replayed, p.first = true, first
				continue
			}
			firstOfKey[k] = p
			firsts = append(firsts, p)
		}
		if err := insertGifts(ctx, tx, firsts, firstOfKey); err != nil {
			return err
		}
		var stored []*pendingGift
		for _, p := range firsts {
			if p.g.ID == 0 {
				p.replayed = true // the same key sent by a request that committed first
				continue
			}
			stored = append(stored, p)
		}
		ts := make([]ledger.Transfer, len(stored))
		for i, p := range stored {
			id := strconv.FormatInt(p.g.ID, 10)
			ts[i] = ledger.Transfer{Key: "stream-gift:" + id, Type: ledger.TypeGift, CauseType: "stream_gift", CauseID: id, ActorID: p.g.SenderID,
				Postings: split(p.g.SenderID, p.readerID, p.g.AmountCents, p.g.ReaderCents, p.g.PlatformCents), Memo: p.memo}
		}
		_, errs, err := s.Ledger.PostBatch(ctx, tx, ts)
		if err != nil {
			return err
		}
		var refused []string
		for i, p := range stored {
			if errs[i] != nil {
				p.err = errs[i]
				refused = append(refused, strconv.FormatInt(p.g.ID, 10))
				continue
			}
			if err := s.Hub.PublishOnCommit(tx, realtime.StreamTopic(p.g.StreamID), "stream.gift", p.g); err != nil {
				return err
			}
		}
		if len(refused) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM stream_gifts WHERE id IN (`+strings.Join(refused, ", ")+`)`); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, p := range batch {
			p.err, p.early = fmt.Errorf("live: send gift: %w", err), false
		}
		return
	}
	for _, p := range batch {
		if ledger.ShortOfFunds(p.err) {
			p.err = s.Ledger.Shortfall(ctx, p.g.SenderID, p.g.AmountCents, "this gift costs %s: add %s to send it")
		}
	}
	for _, p := range batch {
		if p.first != nil && p.first.err != nil {
			p.replayed, p.err = false, p.first.err // its twin was refused: so is it
		}
	}
}
