package message_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/message"
	"github.com/soulseer/soulseer/internal/reading"
)

// MSG-4, MSG-6: fifty concurrent unlocks of one paid reply by its client
// debit the client once, in one paid_reply transfer keyed by the message
// that also credits the reader their share and the platform the rest; every
// unlock answers with the text and that transfer, repeating it moves
// nothing, and the ledger verifies.
func TestConcurrentUnlocksDebitOnce_MSG4_MSG6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.topUp(t, w.client.ID, 500)
		revenue := w.revenue(t)
		m := w.paidReply(t, "The letter arrives on Friday.")
		if !m.Paid || !m.Locked || m.Body != "" || m.PriceCents != 100 {
			t.Fatalf("sent paid reply comes back %+v, want sealed at 100 cents", m)
		}

		const n = 50
		got := make([]message.Message, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = w.msgs.Unlock(ctx, w.client, m.ID)
			}()
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("unlock %d: %v", i, errs[i])
			}
			if got[i].Body != "The letter arrives on Friday." || got[i].Locked || got[i].TransferID == 0 || got[i].TransferID != got[0].TransferID {
				t.Fatalf("unlock %d answered %+v", i, got[i])
			}
		}
		if k := w.paidReplyTransfers(t); k != 1 {
			t.Fatalf("%d paid_reply transfers after %d unlocks, want 1", k, n)
		}
		share, fee := reading.Split(100, w.s.App.Config.PlatformSharePct)
		if share <= 0 || fee <= 0 {
			t.Fatalf("split %d/%d: the test needs both shares", share, fee)
		}
		if b := w.balance(t, ledger.Wallet(w.client.ID)); b != 400 {
			t.Errorf("client balance %d, want 400", b)
		}
		if b := w.balance(t, ledger.Earnings(w.reader.ID)); b != share {
			t.Errorf("reader earned %d, want %d", b, share)
		}
		if r := w.revenue(t) - revenue; r != fee {
			t.Errorf("platform earned %d, want %d", r, fee)
		}

		// MSG-6: the message links to the one transfer that moved it all.
		tr, err := w.s.App.Ledger.TransferByID(ctx, w.s.App.DB.Read(), got[0].TransferID)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Type != ledger.TypePaidReply || tr.CauseID != strconv.FormatInt(m.ID, 10) || tr.ActorID != w.client.ID {
			t.Errorf("transfer %+v", tr)
		}
		moved := map[ledger.Ref]int64{}
		for _, p := range tr.Postings {
			moved[p.Account] += p.Amount
		}
		if moved[ledger.Wallet(w.client.ID)] != -100 || moved[ledger.Earnings(w.reader.ID)] != share {
			t.Errorf("transfer postings %+v", tr.Postings)
		}

		again, err := w.msgs.Unlock(ctx, w.client, m.ID)
		if err != nil || again.TransferID != got[0].TransferID || again.Body != got[0].Body {
			t.Fatalf("repeated unlock: %+v %v", again, err)
		}
		if b := w.balance(t, ledger.Wallet(w.client.ID)); b != 400 || w.paidReplyTransfers(t) != 1 {
			t.Errorf("repeated unlock moved money: balance %d", b)
		}

		// The reader sees what the unlock earned them.
		asReader, err := w.msgs.Message(ctx, w.reader, m.ID)
		if err != nil || !asReader.Unlocked || asReader.EarningsCents != share || asReader.TransferID != tr.ID {
			t.Errorf("reader sees %+v %v", asReader, err)
		}
		e, err := w.msgs.PaidReplyEarnings(ctx, w.reader.ID)
		if err != nil || e != (message.Earnings{Sent: 1, Unlocked: 1, EarnedCents: share}) {
			t.Errorf("earnings %+v %v", e, err)
		}
		w.verify(t)
	})
}

// MSG-4: a client who cannot pay is told how much is missing, nothing is
// debited and the reply stays locked; after a top-up the unlock works.
func TestUnlockWithTooLittleBalance_MSG4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.topUp(t, w.client.ID, 40)
		m := w.paidReply(t, "Yes, in the spring.")
		_, err := w.msgs.Unlock(ctx, w.client, m.ID)
		wantCode(t, "unlock with 40 cents", err, apperr.InsufficientFunds)
		if msg := apperr.MessageOf(err); msg != "This reply costs $1.00 and your balance is $0.40: add $0.60 to unlock it." {
			t.Errorf("refusal says %q", msg)
		}
		if b := w.balance(t, ledger.Wallet(w.client.ID)); b != 40 || w.paidReplyTransfers(t) != 0 {
			t.Fatalf("refused unlock moved money: balance %d", b)
		}
		still, err := w.msgs.Message(ctx, w.client, m.ID)
		if err != nil || !still.Locked || still.Body != "" || still.Unlocked {
			t.Fatalf("after the refusal the client sees %+v %v", still, err)
		}

		w.topUp(t, w.client.ID, 100)
		open, err := w.msgs.Unlock(ctx, w.client, m.ID)
		if err != nil || open.Body != "Yes, in the spring." || open.Locked {
			t.Fatalf("unlock after the top-up: %+v %v", open, err)
		}
		if b := w.balance(t, ledger.Wallet(w.client.ID)); b != 40 {
			t.Errorf("balance %d after unlocking, want 40", b)
		}
		w.verify(t)
	})
}

// Only the conversation's client unlocks a paid reply; a free message has
// nothing to unlock, and anyone outside the conversation finds no message
// (MSG-4).
func TestWhoUnlocks_MSG4(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.topUp(t, w.client.ID, 500)
		paid := w.paidReply(t, "A new door opens.")
		free := w.send(t, w.reader, w.client.ID, "Thank you for writing.", false)
		stranger := w.s.CreateUser("stranger@example.com", account.RoleClient)
		_, err := w.msgs.Unlock(ctx, w.reader, paid.ID)
		wantCode(t, "the reader unlocks", err, apperr.Conflict)
		_, err = w.msgs.Unlock(ctx, w.client, free.ID)
		wantCode(t, "the client unlocks a free message", err, apperr.Conflict)
		_, err = w.msgs.Unlock(ctx, stranger, paid.ID)
		wantCode(t, "a stranger unlocks", err, apperr.NotFound)
		_, err = w.msgs.Unlock(ctx, w.client, paid.ID+1000)
		wantCode(t, "an unknown message", err, apperr.NotFound)
		if w.paidReplyTransfers(t) != 0 || w.balance(t, ledger.Wallet(w.client.ID)) != 500 {
			t.Fatal("a refused unlock moved money")
		}
	})
}
