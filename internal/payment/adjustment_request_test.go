package payment_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
)

// auditCount counts the audit records of an action.
func auditCount(t *testing.T, s *apptest.Server, action string) int {
	t.Helper()
	logs, err := audit.List(context.Background(), s.App.DB.Read(), audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return len(logs)
}

// WAL-8 SEC-4: an admin's credit to their own wallet moves no money until
// another admin approves it; the requester cannot decide it; approving
// posts the transfer once and rejecting moves nothing; a decision cannot
// be reversed; the idempotency key still makes one request. Debits of
// one's own wallet and credits of others' move money at once, as before.
// Every step is audited.
func TestSelfCreditNeedsSecondAdmin_WAL8_SEC4(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		pay := s.App.Payments
		ada := s.CreateUser("ada@example.com", account.RoleAdmin)
		bob := s.CreateUser("bob@example.com", account.RoleAdmin)
		client := s.CreateUser("cleo@example.com", account.RoleClient)
		wallet := func() int64 { return balance(t, s, ledger.Wallet(ada.ID)) }

		// Credits of others and debits of one's own wallet move at once.
		if res, err := pay.Adjust(ctx, bob, payment.AdjustInput{UserID: ada.ID, AmountCents: 1000, Reason: "float", Key: "b1"}); err != nil || res.Status != payment.AdjustPosted || res.TransferID == 0 {
			t.Fatalf("credit of another admin: %+v %v", res, err)
		}
		if res, err := pay.Adjust(ctx, ada, payment.AdjustInput{UserID: ada.ID, AmountCents: -300, Reason: "correction", Key: "a0"}); err != nil || res.Status != payment.AdjustPosted {
			t.Fatalf("debit of one's own wallet: %+v %v", res, err)
		}
		if wallet() != 700 {
			t.Fatalf("wallet = %d, want 700", wallet())
		}

		// A credit to one's own wallet is a request; the same key again is
		// the same request, another amount under it a conflict.
		in := payment.AdjustInput{UserID: ada.ID, AmountCents: 500, Reason: "my bonus", Key: "a1"}
		req, err := pay.Adjust(ctx, ada, in)
		if err != nil || req.Status != payment.AdjustPending || req.RequestID == 0 || req.TransferID != 0 || req.Replayed {
			t.Fatalf("self-credit: %+v %v", req, err)
		}
		if again, err := pay.Adjust(ctx, ada, in); err != nil || again != (payment.AdjustResult{Status: payment.AdjustPending, RequestID: req.RequestID, Replayed: true}) {
			t.Fatalf("self-credit sent twice: %+v %v", again, err)
		}
		if _, err := pay.Adjust(ctx, ada, payment.AdjustInput{UserID: ada.ID, AmountCents: 900, Reason: "my bonus", Key: "a1"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("another amount under the same key: %v", err)
		}
		if wallet() != 700 || auditCount(t, s, "wallet.adjust_request") != 1 {
			t.Fatalf("a pending request moved money (wallet %d) or was audited %d times", wallet(), auditCount(t, s, "wallet.adjust_request"))
		}
		if list, err := pay.AdjustmentRequests(ctx, payment.AdjustPending, 0); err != nil || len(list) != 1 || list[0].ID != req.RequestID ||
			list[0].RequestedBy != ada.ID || list[0].RequesterName != "ada" || list[0].AmountCents != 500 || list[0].Reason != "my bonus" {
			t.Fatalf("pending requests = %+v %v", list, err)
		}

		// Nobody but another admin decides it.
		for who, u := range map[string]account.User{"the requester": ada, "a client": client} {
			for _, d := range []string{payment.DecisionApprove, payment.DecisionReject} {
				if _, err := pay.DecideAdjustment(ctx, u, req.RequestID, d); apperr.CodeOf(err) != apperr.Forbidden {
					t.Fatalf("%s %ss: %v, want forbidden", who, d, err)
				}
			}
		}
		if _, err := pay.DecideAdjustment(ctx, bob, req.RequestID, "maybe"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("unknown decision: %v", err)
		}
		if _, err := pay.DecideAdjustment(ctx, bob, 999999, payment.DecisionApprove); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown request: %v", err)
		}
		if wallet() != 700 || auditCount(t, s, "wallet.adjust_approve")+auditCount(t, s, "wallet.adjust_reject") != 0 {
			t.Fatal("a refused decision moved money or was audited")
		}

		// Another admin approves: the money moves once.
		got, err := pay.DecideAdjustment(ctx, bob, req.RequestID, payment.DecisionApprove)
		if err != nil || got.Status != payment.AdjustApproved || got.DecidedBy != bob.ID || got.DeciderName != "bob" || got.TransferID == 0 || got.DecidedAt.IsZero() {
			t.Fatalf("approve: %+v %v", got, err)
		}
		if again, err := pay.DecideAdjustment(ctx, bob, req.RequestID, payment.DecisionApprove); err != nil || again != got {
			t.Fatalf("approving twice: %+v %v", again, err)
		}
		if _, err := pay.DecideAdjustment(ctx, bob, req.RequestID, payment.DecisionReject); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("rejecting an approved request: %v", err)
		}
		if wallet() != 1200 {
			t.Fatalf("wallet after approval = %d, want 1200", wallet())
		}
		if replay, err := pay.Adjust(ctx, ada, in); err != nil || replay != (payment.AdjustResult{Status: payment.AdjustApproved, RequestID: req.RequestID, TransferID: got.TransferID, Replayed: true}) {
			t.Fatalf("the first request's key after approval: %+v %v", replay, err)
		}
		logs, _ := audit.List(ctx, s.App.DB.Read(), audit.Filter{Action: "wallet.adjust_approve"})
		if len(logs) != 1 || logs[0].ActorID != bob.ID || logs[0].ObjectID != strconv.FormatInt(req.RequestID, 10) || logs[0].Details["amount_cents"] != float64(500) {
			t.Fatalf("approve audit = %+v", logs)
		}

		// Rejecting moves nothing and cannot be turned into an approval.
		rej, err := pay.Adjust(ctx, ada, payment.AdjustInput{UserID: ada.ID, AmountCents: 5000, Reason: "more", Key: "a2"})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := pay.DecideAdjustment(ctx, bob, rej.RequestID, payment.DecisionReject); err != nil || got.Status != payment.AdjustRejected || got.TransferID != 0 {
			t.Fatalf("reject: %+v %v", got, err)
		}
		if _, err := pay.DecideAdjustment(ctx, bob, rej.RequestID, payment.DecisionApprove); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("approving a rejected request: %v", err)
		}
		if wallet() != 1200 || auditCount(t, s, "wallet.adjust_reject") != 1 {
			t.Fatalf("after rejecting: wallet %d, %d reject records", wallet(), auditCount(t, s, "wallet.adjust_reject"))
		}
		if list, _ := pay.AdjustmentRequests(ctx, payment.AdjustPending, 0); len(list) != 0 {
			t.Fatalf("decided requests still pending: %+v", list)
		}
		verify(t, s)
	})
}

// WAL-8 SEC-4: many approvals of one request at once, by two admins, all
// succeed and credit the wallet exactly once, with one ledger transfer and
// one approval record.
func TestSelfCreditApprovedOnceUnderConcurrency_WAL8(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		ada := s.CreateUser("ada@example.com", account.RoleAdmin)
		deciders := []account.User{s.CreateUser("bob@example.com", account.RoleAdmin), s.CreateUser("cyd@example.com", account.RoleAdmin)}
		req, err := s.App.Payments.Adjust(ctx, ada, payment.AdjustInput{UserID: ada.ID, AmountCents: 2500, Reason: "expenses", Key: "x"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 20)
		transfers := make([]int64, 20)
		for i := range errs {
			wg.Go(func() {
				got, err := s.App.Payments.DecideAdjustment(ctx, deciders[i%2], req.RequestID, payment.DecisionApprove)
				errs[i], transfers[i] = err, got.TransferID
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil || transfers[i] == 0 || transfers[i] != transfers[0] {
				t.Fatalf("approval %d: transfer %d, %v (first: %d)", i, transfers[i], err, transfers[0])
			}
		}
		if got := balance(t, s, ledger.Wallet(ada.ID)); got != 2500 {
			t.Fatalf("wallet = %d after 20 approvals, want 2500", got)
		}
		entries, err := s.App.Ledger.Entries(ctx, ledger.Wallet(ada.ID), ledger.EntryFilter{})
		if err != nil || len(entries) != 1 || entries[0].TransferID != transfers[0] {
			t.Fatalf("wallet entries = %+v %v, want the one transfer", entries, err)
		}
		if n := auditCount(t, s, "wallet.adjust_approve"); n != 1 {
			t.Fatalf("%d approval records, want 1", n)
		}
		verify(t, s)
	})
}
