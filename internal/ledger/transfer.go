package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soulseer/soulseer/internal/apperr"
)

// EntryType says why money moved (WAL-2). Every transfer has exactly one.
type EntryType string

// The entry types.
const (
	TypeTopUp          EntryType = "top_up"
	TypeReadingCharge  EntryType = "reading_charge"
	TypeBookingCharge  EntryType = "booking_charge"
	TypeGift           EntryType = "gift"
	TypeCommission     EntryType = "commission"
	TypePaidReply      EntryType = "paid_reply"
	TypeOrder          EntryType = "order"
	TypeRefund         EntryType = "refund"
	TypeAdjustment     EntryType = "adjustment"
	TypePayout         EntryType = "payout"
	TypeDisputeHold    EntryType = "dispute_hold"
	TypeDisputeRelease EntryType = "dispute_release"
)

// entryTypes is the table of known entry types; the schema's CHECK lists the same.
var entryTypes = []EntryType{TypeTopUp, TypeReadingCharge, TypeBookingCharge, TypeGift,
	TypeCommission, TypePaidReply, TypeOrder, TypeRefund, TypeAdjustment, TypePayout,
	TypeDisputeHold, TypeDisputeRelease}

// MaxAmount is 99,999,999.99 in cents: the upper bound of any single amount
// and of any user account's balance (system accounts have none, see apply).
const MaxAmount int64 = 99_999_999_99

// Limits on a transfer's descriptive fields, in bytes.
const (
	MaxKeyLen      = 200  // idempotency key
	MaxPostings    = 100  // postings in one transfer
	maxCauseLen    = 200  // cause type and cause id
	maxStripeIDLen = 255  // Stripe event id
	maxMemoLen     = 2000 // memo
)

// Posting moves Amount cents into (positive) or out of (negative) Account.
type Posting struct {
	Account Ref
	Amount  int64
}

// Transfer is one movement of money: postings that sum to zero, named by an
// idempotency key so that posting it twice moves money once (WAL-2, WAL-3).
type Transfer struct {
	Key           string    // idempotency key, required, at most MaxKeyLen bytes
	Type          EntryType // why the money moves
	Postings      []Posting // at least 2, each non-zero, |amount| ≤ MaxAmount, summing to zero; an account at most once
	CauseType     string    // what caused it: "topup", "stripe_event", "reading", "booking", "gift", "reply", "order", "refund", "admin", …
	CauseID       string
	StripeEventID string // the Stripe event that caused it, if any (WAL-5)
	Memo          string
	ActorID       int64 // the admin or user who initiated it; 0 for the system
}

// Result tells what posting a transfer did. Replayed is true when the key had
// already been posted with the same content: nothing moved, and TransferID
// and CreatedAt are those of the first posting.
type Result struct {
	TransferID int64
	Replayed   bool
	CreatedAt  time.Time
}

// validate returns an apperr.Invalid error naming every way t breaks the
// rules of a transfer, or nil. It needs no database.
func validate(t Transfer) error {
	fields := map[string]string{}
	switch {
	case t.Key == "":
		fields["key"] = "an idempotency key is required"
	case len(t.Key) > MaxKeyLen:
		fields["key"] = fmt.Sprintf("at most %d bytes", MaxKeyLen)
	case !cleanText(t.Key):
		fields["key"] = "must be valid UTF-8 without NUL bytes"
	}
	if !slices.Contains(entryTypes, t.Type) {
		fields["type"] = fmt.Sprintf("unknown entry type %q", t.Type)
	}
	for name, v := range map[string]struct {
		s   string
		max int
	}{"cause_type": {t.CauseType, maxCauseLen}, "cause_id": {t.CauseID, maxCauseLen},
		"stripe_event_id": {t.StripeEventID, maxStripeIDLen}, "memo": {t.Memo, maxMemoLen}} {
		if len(v.s) > v.max {
			fields[name] = fmt.Sprintf("at most %d bytes", v.max)
		} else if !cleanText(v.s) {
			fields[name] = "must be valid UTF-8 without NUL bytes"
		}
	}
	if t.ActorID < 0 {
		fields["actor_id"] = "must not be negative"
	}
	switch n := len(t.Postings); {
	case n < 2:
		fields["postings"] = "a transfer needs at least two postings"
	case n > MaxPostings:
		fields["postings"] = fmt.Sprintf("at most %d postings", MaxPostings)
	default:
		var sum int64
		seen := make(map[Ref]bool, n)
		for i, p := range t.Postings {
			name := "postings[" + strconv.Itoa(i) + "]"
			if why := p.Account.valid(); why != "" {
				fields[name+".account"] = why
			} else if seen[p.Account] {
				fields[name+".account"] = fmt.Sprintf("the %s appears more than once", p.Account)
			}
			seen[p.Account] = true
			switch {
			case p.Amount == 0:
				fields[name+".amount"] = "must not be zero"
			case p.Amount > MaxAmount || p.Amount < -MaxAmount:
				fields[name+".amount"] = "beyond the largest amount, " + FormatCents(MaxAmount)
			}
			sum += p.Amount // at most MaxPostings × MaxAmount: cannot overflow
		}
		if sum != 0 {
			fields["postings"] = fmt.Sprintf("the postings sum to %d cents, not zero", sum)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.Invalid, Message: "This transfer is not valid.", Fields: fields}
}

// cleanText reports whether s can be stored as text on both engines.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// fingerprint identifies a transfer's content — its type and its postings in
// any order — so a reused key can be told apart from a true repeat. Every
// platform revenue shard counts as PlatformRevenue: a minute charged once
// through shard 0 and again through shard 3 is a repeat, not a conflict.
func fingerprint(t Transfer) string {
	lines := make([]string, len(t.Postings))
	for i, p := range t.Postings {
		a := p.Account
		if a.Kind == KindPlatformRevenue {
			a = PlatformRevenue()
		}
		lines[i] = fmt.Sprintf("%s:%d:%d", a.Kind, a.UserID, p.Amount)
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(string(t.Type) + "\n" + strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:16])
}

// apply checks that moving p's amount keeps the account within its bounds
// given its balance, and returns the new balance. User accounts stay between
// zero and MaxAmount. System accounts — platform revenue, Stripe clearing,
// adjustments, payouts — add up the whole platform's money for ever, so they
// may go negative and have no ceiling but the ledger's range, minBalance to
// maxBalance.
func apply(p Posting, balance int64) (int64, error) {
	after := balance + p.Amount // |balance| ≤ maxBalance and |amount| ≤ MaxAmount: no overflow
	if after < minBalance || after > maxBalance {
		return 0, apperr.Errorf(apperr.Invalid, "This would take the %s beyond the range the ledger can hold.", p.Account)
	}
	if p.Account.Kind.AllowsNegative() {
		return after, nil
	}
	if after < 0 {
		return 0, insufficient(p.Account, balance, -p.Amount)
	}
	if after > MaxAmount {
		return 0, apperr.Errorf(apperr.Invalid, "This would take the %s above the largest balance allowed, %s.", p.Account, FormatCents(MaxAmount))
	}
	return after, nil
}

// insufficient is the error for a debit the account cannot cover; it tells
// the user what they have and what was needed.
func insufficient(r Ref, have, need int64) error {
	what := "Your balance"
	switch r.Kind {
	case KindEarnings:
		what = "Your earnings balance"
	case KindHold:
		what = "The held balance"
	}
	return apperr.Errorf(apperr.InsufficientFunds, "%s is too low for this (you have %s, this needs %s).",
		what, FormatCents(max(have, 0)), FormatCents(need))
}
