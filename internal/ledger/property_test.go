package ledger_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
)

// model is what the ledger should hold, kept by plain arithmetic: the
// balance of every account and the transfers posted under each key.
type model struct {
	bal    map[ledger.Ref]int64
	posted map[string]ledger.Transfer
	keys   []string // posted keys in order, for picking one
}

// same reports whether two transfers have the same type and postings.
func same(a, b ledger.Transfer) bool {
	if a.Type != b.Type || len(a.Postings) != len(b.Postings) {
		return false
	}
	want := map[ledger.Ref]int64{}
	for _, p := range a.Postings {
		want[p.Account] = p.Amount
	}
	for _, p := range b.Postings {
		if want[p.Account] != p.Amount {
			return false
		}
	}
	return true
}

// outcome returns what posting t should do: "" (posted), "replayed", or an
// error code; when posted it applies t to the model.
func (m *model) outcome(t ledger.Transfer) string {
	if t.Key == "" {
		return string(apperr.Invalid)
	}
	if prior, ok := m.posted[t.Key]; ok {
		if same(prior, t) {
			return "replayed"
		}
		return string(apperr.Conflict)
	}
	for _, p := range t.Postings {
		if !p.Account.Kind.AllowsNegative() && m.bal[p.Account]+p.Amount < 0 {
			return string(apperr.InsufficientFunds)
		}
	}
	for _, p := range t.Postings {
		m.bal[p.Account] += p.Amount
	}
	m.posted[t.Key] = t
	m.keys = append(m.keys, t.Key)
	return ""
}

func got(r ledger.Result, err error) string {
	if err != nil {
		return string(apperr.CodeOf(err))
	}
	if r.Replayed {
		return "replayed"
	}
	return ""
}

// WAL-1, WAL-3: random top-ups, charges, gifts, refunds, payouts, dispute
// holds, replays, reused keys, invalid transfers and batches of them leave
// the ledger exactly where plain arithmetic says, with no user account ever
// negative, and Verify finds nothing wrong after any step.
func TestLedgerMatchesModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		run := int64(0)
		rapid.Check(t, func(rt *rapid.T) {
			// Each run starts from an empty ledger, so Verify stays quick,
			// with a new Ledger so no account id is cached from before.
			run++
			for _, table := range []string{"ledger_postings", "ledger_transfers", "ledger_accounts"} {
				if _, err := d.Writer.ExecContext(ctx, "DELETE FROM "+table); err != nil {
					rt.Fatal(err)
				}
			}
			l, _ := setup(d)
			m := &model{bal: map[ledger.Ref]int64{}, posted: map[string]ledger.Transfer{}}
			for _, r := range []ledger.Ref{ledger.StripeClearing(), ledger.PlatformRevenue(), ledger.Payouts()} {
				m.bal[r] = 0
			}
			client := func(rt *rapid.T) int64 { return run*100 + rapid.Int64Range(1, 3).Draw(rt, "client") }
			reader := func(rt *rapid.T) int64 { return run*100 + rapid.Int64Range(50, 51).Draw(rt, "reader") }
			amount := func(rt *rapid.T) int64 { return rapid.Int64Range(1, 40_00).Draw(rt, "amount") }
			n := 0
			key := func(kind string) string { n++; return fmt.Sprintf("run%d-%s-%d", run, kind, n) }

			// gens draw one transfer of each kind; those referring to an
			// earlier transfer draw none (no postings) until there is one.
			gens := map[string]func(*rapid.T) ledger.Transfer{
				"topUp": func(rt *rapid.T) ledger.Transfer {
					a := amount(rt)
					return ledger.Transfer{Key: key("topup"), Type: ledger.TypeTopUp,
						Postings: []ledger.Posting{{Account: ledger.StripeClearing(), Amount: -a}, {Account: ledger.Wallet(client(rt)), Amount: a}}}
				},
				"charge": func(rt *rapid.T) ledger.Transfer {
					a := amount(rt)
					fee := a * 30 / 100
					ps := []ledger.Posting{{Account: ledger.Wallet(client(rt)), Amount: -a}, {Account: ledger.Earnings(reader(rt)), Amount: a - fee}}
					if fee > 0 {
						ps = append(ps, ledger.Posting{Account: ledger.PlatformRevenue(), Amount: fee})
					}
					return ledger.Transfer{Key: key("charge"), Type: ledger.TypeReadingCharge, Postings: ps}
				},
				"gift": func(rt *rapid.T) ledger.Transfer {
					from, to := client(rt), client(rt)
					if from == to {
						to = run*100 + 4
					}
					return ledger.Transfer{Key: key("gift"), Type: ledger.TypeGift,
						Postings: []ledger.Posting{{Account: ledger.Wallet(from), Amount: -amount(rt)}, {Account: ledger.Wallet(to), Amount: 0}}}
				},
				"refund": func(rt *rapid.T) ledger.Transfer {
					if len(m.keys) == 0 {
						return ledger.Transfer{}
					}
					orig := m.posted[rapid.SampledFrom(m.keys).Draw(rt, "refunded")]
					ps := make([]ledger.Posting, len(orig.Postings))
					for i, p := range orig.Postings {
						ps[i] = ledger.Posting{Account: p.Account, Amount: -p.Amount}
					}
					return ledger.Transfer{Key: "refund:" + orig.Key, Type: ledger.TypeRefund, Postings: ps}
				},
				"payout": func(rt *rapid.T) ledger.Transfer {
					a := amount(rt)
					return ledger.Transfer{Key: key("payout"), Type: ledger.TypePayout,
						Postings: []ledger.Posting{{Account: ledger.Earnings(reader(rt)), Amount: -a}, {Account: ledger.Payouts(), Amount: a}}}
				},
				"hold": func(rt *rapid.T) ledger.Transfer {
					u, a := client(rt), amount(rt)
					from, to := ledger.Wallet(u), ledger.Hold(u)
					tp := ledger.TypeDisputeHold
					if rapid.Bool().Draw(rt, "release") {
						from, to, tp = to, from, ledger.TypeDisputeRelease
					}
					return ledger.Transfer{Key: key("hold"), Type: tp, Postings: []ledger.Posting{{Account: from, Amount: -a}, {Account: to, Amount: a}}}
				},
				"replay": func(rt *rapid.T) ledger.Transfer {
					if len(m.keys) == 0 {
						return ledger.Transfer{}
					}
					return m.posted[rapid.SampledFrom(m.keys).Draw(rt, "replayed")]
				},
				"reuse": func(rt *rapid.T) ledger.Transfer {
					if len(m.keys) == 0 {
						return ledger.Transfer{}
					}
					t := m.posted[rapid.SampledFrom(m.keys).Draw(rt, "reused")]
					t.Postings = slices.Clone(t.Postings)
					for i := range t.Postings {
						t.Postings[i].Amount *= 2
					}
					return t
				},
			}
			names := []string{"topUp", "topUp", "charge", "charge", "gift", "refund", "payout", "hold", "replay", "reuse"}
			draw := func(rt *rapid.T) (ledger.Transfer, bool) {
				tr := gens[rapid.SampledFrom(names).Draw(rt, "op")](rt)
				if len(tr.Postings) == 0 {
					return tr, false
				}
				tr.Postings = slices.Clone(tr.Postings) // never alias the model's transfers
				if tr.Type == ledger.TypeGift {         // a gift moves the drawn amount between two wallets
					tr.Postings[1].Amount = -tr.Postings[0].Amount
				}
				return tr, true
			}

			rt.Repeat(map[string]func(*rapid.T){
				"post": func(rt *rapid.T) {
					tr, ok := draw(rt)
					if !ok {
						rt.Skip("nothing to refer to yet")
					}
					want := m.outcome(tr)
					if g := got(l.Transfer(ctx, tr)); g != want {
						rt.Fatalf("posting %+v: got %q, want %q", tr, g, want)
					}
				},
				"invalid": func(rt *rapid.T) {
					tr, ok := draw(rt)
					if !ok {
						rt.Skip("nothing to refer to yet")
					}
					tr.Key = key("invalid")
					tr.Postings[0].Amount += rapid.Int64Range(1, 5).Draw(rt, "imbalance")
					if tr.Postings[0].Amount == 0 {
						tr.Postings[0].Amount = 7
					}
					if g := got(l.Transfer(ctx, tr)); g != string(apperr.Invalid) {
						rt.Fatalf("unbalanced transfer %+v: got %q", tr, g)
					}
				},
				"batch": func(rt *rapid.T) {
					var ts []ledger.Transfer
					for range rapid.IntRange(1, 8).Draw(rt, "size") {
						if tr, ok := draw(rt); ok {
							ts = append(ts, tr)
						}
						if len(ts) > 0 && rapid.IntRange(0, 5).Draw(rt, "dup") == 0 {
							ts = append(ts, ts[rapid.IntRange(0, len(ts)-1).Draw(rt, "dupOf")])
						}
					}
					if len(ts) == 0 {
						rt.Skip("empty batch")
					}
					// Within a batch a key's first transfer decides for later ones.
					want := make([]string, len(ts))
					first := map[string]int{}
					for i, tr := range ts {
						j, seen := first[tr.Key]
						switch {
						case !seen:
							first[tr.Key] = i
							want[i] = m.outcome(tr)
						case !same(ts[j], tr):
							want[i] = string(apperr.Conflict)
						case want[j] == "":
							want[i] = "replayed"
						default:
							want[i] = want[j]
						}
					}
					var results []ledger.Result
					var errs []error
					err := d.Tx(ctx, func(tx *db.Tx) error {
						var err error
						results, errs, err = l.PostBatch(ctx, tx, ts)
						return err
					})
					if err != nil {
						rt.Fatal(err)
					}
					for i := range ts {
						if g := got(results[i], errs[i]); g != want[i] {
							rt.Fatalf("batch transfer %d %+v: got %q (%v), want %q", i, ts[i], g, errs[i], want[i])
						}
					}
				},
				"": func(rt *rapid.T) {
					for r, want := range m.bal {
						if g := balance(rt, l, r); g != want {
							rt.Fatalf("%v = %d, want %d", r, g, want)
						}
						if want < 0 && !r.Kind.AllowsNegative() {
							rt.Fatalf("%v is negative: %d", r, want)
						}
					}
					mustVerify(rt, d)
				},
			})
		})
	})
}
