package ledger

import "fmt"

// AccountKind says what an account holds. User accounts (wallet, earnings,
// hold) belong to one user and never go below zero; system accounts belong
// to nobody (UserID 0) and may go negative.
type AccountKind string

// The account kinds.
const (
	KindWallet          AccountKind = "wallet"           // a user's prepaid balance; never below zero
	KindEarnings        AccountKind = "earnings"         // a reader's earnings not yet paid out; never below zero
	KindHold            AccountKind = "hold"             // a user's funds held back during a card dispute; never below zero
	KindPlatformRevenue AccountKind = "platform_revenue" // system account (UserID 0); may go negative
	KindStripeClearing  AccountKind = "stripe_clearing"  // system account: money arriving from/leaving to Stripe; goes negative by design
	KindAdjustments     AccountKind = "adjustments"      // system account: counterpart of admin credits/debits; may go negative
	KindPayouts         AccountKind = "payouts"          // system account: money paid out to readers' bank accounts
	KindEscrow          AccountKind = "escrow"           // system account: money paid ahead for a service not yet delivered
)

// userKind reports whether accounts of kind k belong to a user, and so must
// have a UserID and never go below zero. ok is false for an unknown kind.
func userKind(k AccountKind) (user, ok bool) {
	switch k {
	case KindWallet, KindEarnings, KindHold:
		return true, true
	case KindPlatformRevenue, KindStripeClearing, KindAdjustments, KindPayouts, KindEscrow:
		return false, true
	}
	return false, false
}

// AllowsNegative reports whether an account of this kind may go below zero:
// only system accounts may.
func (k AccountKind) AllowsNegative() bool {
	user, ok := userKind(k)
	return ok && !user
}

// Ref identifies an account by kind and owner; system accounts have UserID 0.
// Accounts come into being on first use.
type Ref struct {
	Kind   AccountKind
	UserID int64
}

// Wallet is the prepaid balance of user userID; it never goes below zero.
func Wallet(userID int64) Ref { return Ref{KindWallet, userID} }

// Earnings is the not-yet-paid-out earnings of reader userID; it never goes
// below zero.
func Earnings(userID int64) Ref { return Ref{KindEarnings, userID} }

// Hold is the money of user userID held back during a card dispute; it never
// goes below zero.
func Hold(userID int64) Ref { return Ref{KindHold, userID} }

// PlatformRevenue is the platform's share of every charge.
func PlatformRevenue() Ref { return Ref{Kind: KindPlatformRevenue} }

// PlatformRevenueShards bounds the accounts that together hold the
// platform's revenue: shards 0 to PlatformRevenueShards-1.
const PlatformRevenueShards = 64

// PlatformRevenueShard is one of several accounts that together hold the
// platform's revenue (shard 0 is PlatformRevenue itself; n must be below
// PlatformRevenueShards). Work that credits the platform in many parallel
// transactions — the billing sweep's workers — gives each its own shard, so
// they rarely wait on one another's row lock. The platform's revenue is the
// sum of all shards, and which shard a credit names is no part of what it
// is: a transfer repeated with another shard is the same transfer.
func PlatformRevenueShard(n int) Ref { return Ref{Kind: KindPlatformRevenue, UserID: -int64(n)} }

// StripeClearing is the counterpart of money arriving from and leaving to
// Stripe; it goes negative by as much as Stripe has paid in.
func StripeClearing() Ref { return Ref{Kind: KindStripeClearing} }

// Adjustments is the counterpart of admin credits and debits.
func Adjustments() Ref { return Ref{Kind: KindAdjustments} }

// Payouts receives the money paid out to readers' bank accounts.
func Payouts() Ref { return Ref{Kind: KindPayouts} }

// Escrow holds money clients paid ahead of a service (a booked reading)
// until it is delivered, when it moves on to the reader's earnings and the
// platform, or refunded out of it. It never goes below zero in practice:
// only what was paid in is ever paid out.
func Escrow() Ref { return Ref{Kind: KindEscrow} }

// String names the account for messages and Verify reports, e.g.
// "wallet of user 7" or "platform_revenue".
func (r Ref) String() string {
	if r.UserID == 0 {
		return string(r.Kind)
	}
	if r.UserID < 0 {
		return fmt.Sprintf("%s shard %d", r.Kind, -r.UserID)
	}
	return fmt.Sprintf("%s of user %d", r.Kind, r.UserID)
}

// valid reports why r cannot name an account, or "" when it can: the kind
// must be known, user accounts need a user and system accounts must not have
// one (platform revenue shards have negative ids, down to
// 1-PlatformRevenueShards).
func (r Ref) valid() string {
	user, ok := userKind(r.Kind)
	switch {
	case !ok:
		return fmt.Sprintf("unknown account kind %q", r.Kind)
	case user && r.UserID <= 0:
		return fmt.Sprintf("a %s account needs a user id", r.Kind)
	case r.Kind == KindPlatformRevenue && r.UserID <= -PlatformRevenueShards:
		return fmt.Sprintf("platform revenue has shards 0 to %d", PlatformRevenueShards-1)
	case r.Kind == KindPlatformRevenue && r.UserID < 0:
		return ""
	case !user && r.UserID != 0:
		return fmt.Sprintf("the %s account is a system account (user id 0)", r.Kind)
	}
	return ""
}
