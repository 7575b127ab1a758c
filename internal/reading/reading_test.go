package reading_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/config"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/ledger"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
	"github.com/soulseer/soulseer/internal/realtime"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const period = time.Minute

// world is an app on a fake clock with a verified, online reader charging
// 100 cents a minute for text and a client.
type world struct {
	s      *apptest.Server
	clk    *clock.Fake
	client account.User
	reader account.User
	admin  account.User
	ctx    context.Context
}

func eachWorld(t *testing.T, f func(t *testing.T, w *world), cfg ...func(*config.Config)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			clk := clock.NewFake(t0)
			s := apptest.Start(t, e, apptest.WithClock(clk), apptest.WithManualSweeps(), apptest.WithConfig(func(c *config.Config) {
				c.BillingPeriod, c.PresenceTimeout = period, 24*time.Hour
				for _, f := range cfg {
					f(c)
				}
			}))
			w := &world{s: s, clk: clk, ctx: context.Background()}
			w.admin = s.CreateUser("admin@example.com", account.RoleAdmin)
			w.client = s.CreateUser("client@example.com", account.RoleClient)
			w.reader = w.newReader(t, "reader@example.com")
			f(t, w)
		})
	}
}

// newReader creates a verified reader, online with a live connection,
// charging 100 cents a minute for text and voice.
func (w *world) newReader(t *testing.T, email string) account.User {
	t.Helper()
	u := w.s.CreateUser(email, account.RoleReader)
	r := w.s.App.Readers
	price := int64(100)
	if _, err := r.UpdateProfile(w.ctx, u.ID, reader.ProfileInput{DisplayName: "Reader", Rates: reader.RatesInput{Text: &price, Voice: &price}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetVerified(w.ctx, w.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SetStatus(w.ctx, u.ID, reader.Online); err != nil {
		t.Fatal(err)
	}
	release := w.s.App.Presence.Connect(w.ctx, u.ID, 0)
	t.Cleanup(release)
	return u
}

// fund credits the client's wallet as a top-up would.
func (w *world) fund(t *testing.T, cents int64) {
	t.Helper()
	w.fundUser(t, w.client.ID, cents)
}

// fundUser credits a user's wallet as a top-up would.
func (w *world) fundUser(t *testing.T, userID, cents int64) {
	t.Helper()
	if _, err := w.s.App.Payments.Adjust(w.ctx, w.admin, payment.AdjustInput{UserID: userID, AmountCents: cents, Reason: "test funds"}); err != nil {
		t.Fatal(err)
	}
}

func (w *world) balance(t *testing.T, r ledger.Ref) int64 {
	t.Helper()
	b, err := w.s.App.Ledger.Balance(w.ctx, w.s.App.DB.Read(), r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// start requests and accepts a text reading.
func (w *world) start(t *testing.T) reading.Reading {
	t.Helper()
	return w.startWith(t, w.client, w.reader)
}

// startWith has client request and rdr accept a text reading.
func (w *world) startWith(t *testing.T, client, rdr account.User) reading.Reading {
	t.Helper()
	r, err := w.s.App.Readings.Request(w.ctx, client, rdr.ID, reader.Text)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != reading.Waiting {
		t.Fatalf("requested reading is %s, want waiting", r.State)
	}
	if r, err = w.s.App.Readings.Accept(w.ctx, rdr, r.ID); err != nil {
		t.Fatal(err)
	}
	return r
}

func (w *world) get(t *testing.T, id int64) reading.Reading {
	t.Helper()
	r, err := w.s.App.Readings.Get(w.ctx, w.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (w *world) sweep(t *testing.T) reading.SweepStats {
	t.Helper()
	st, err := w.s.App.Readings.Sweep(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (w *world) charges(t *testing.T, id int64) int {
	t.Helper()
	var n int
	if err := w.s.App.DB.Read().QueryRowContext(w.ctx, `SELECT count(*) FROM ledger_transfers WHERE type = 'reading_charge' AND cause_id = $1`,
		itoa(id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string {
	b := []byte{}
	if n == 0 {
		return "0"
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func (w *world) verify(t *testing.T) {
	t.Helper()
	rep, err := ledger.Verify(w.ctx, w.s.App.DB)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("ledger verify: %v %v", err, rep.Problems)
	}
}

// OD-5: a 10-minute reading is charged exactly 10 times — each started
// minute once, the reader credited 70 % in the same transfer — however often
// and however concurrently the sweep runs.
func TestTenMinuteReadingChargedTenTimes(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		r := w.start(t)
		if r.BilledMinutes != 1 || w.charges(t, r.ID) != 1 {
			t.Fatalf("accepting charged %d minutes, want the first", r.BilledMinutes)
		}
		// Minute m+1 starts once m minutes have passed: sweep a second later.
		for m := 1; m < 10; m++ {
			w.clk.Set(t0.Add(time.Duration(m)*period + time.Second))
			w.sweep(t)
			w.sweep(t) // a duplicate sweep
			var wg sync.WaitGroup
			for range 5 { // concurrent sweeps
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := w.s.App.Readings.Sweep(w.ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if got := w.get(t, r.ID).BilledMinutes; got != int64(m+1) {
				t.Fatalf("after %d minutes billed %d, want %d", m, got, m+1)
			}
		}
		w.clk.Set(t0.Add(10 * period)) // exactly 10 minutes of reading
		r, err := w.s.App.Readings.End(w.ctx, w.client, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != reading.Finalized || r.BilledMinutes != 10 || r.TotalCents != 1000 || r.ReaderEarningsCents != 700 {
			t.Fatalf("summary = %+v", r.View(w.clk.Now()))
		}
		if n := w.charges(t, r.ID); n != 10 {
			t.Fatalf("%d charges, want 10", n)
		}
		platform, err := w.s.App.Ledger.PlatformRevenueTotal(w.ctx, w.s.App.DB.Read())
		if err != nil {
			t.Fatal(err)
		}
		if c, e, p := w.balance(t, ledger.Wallet(w.client.ID)), w.balance(t, ledger.Earnings(w.reader.ID)), platform; c != 4000 || e != 700 || p != 300 {
			t.Fatalf("wallet %d earnings %d platform %d; want 4000/700/300", c, e, p)
		}
		w.sweep(t)
		if n := w.charges(t, r.ID); n != 10 {
			t.Fatalf("a sweep after the end charged again: %d", n)
		}
		w.verify(t)
	})
}

// OD-5: a partly used minute is a started minute; ending mid-minute charges it once.
func TestStartedMinuteChargedOnEnd(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 1000)
		r := w.start(t)
		w.clk.Advance(2*period + 10*time.Second) // into the third minute, no sweep ran
		r, err := w.s.App.Readings.End(w.ctx, w.reader, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.BilledMinutes != 3 || w.charges(t, r.ID) != 3 || r.EndReason != reading.EndByReader {
			t.Fatalf("billed %d (%d charges), reason %s; want 3", r.BilledMinutes, w.charges(t, r.ID), r.EndReason)
		}
		w.verify(t)
	})
}

// OD-2: a reading starts only with at least one minute in the wallet; OD-1
// only in a modality the reader offers, never with oneself.
func TestRequestRules(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		rs := w.s.App.Readings
		if _, err := rs.Request(w.ctx, w.client, w.reader.ID, reader.Text); apperr.CodeOf(err) != apperr.InsufficientFunds {
			t.Fatalf("empty wallet: %v, want insufficient funds", err)
		}
		w.fund(t, 99)
		if _, err := rs.Request(w.ctx, w.client, w.reader.ID, reader.Text); apperr.CodeOf(err) != apperr.InsufficientFunds {
			t.Fatalf("99 cents for a 100-cent minute: %v", err)
		}
		w.fund(t, 1)
		if _, err := rs.Request(w.ctx, w.client, w.reader.ID, reader.Video); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("modality not offered: %v", err)
		}
		if _, err := rs.Request(w.ctx, w.reader, w.reader.ID, reader.Text); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("reading from oneself: %v", err)
		}
		r, err := rs.Request(w.ctx, w.client, w.reader.ID, reader.Text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Request(w.ctx, w.client, w.reader.ID, reader.Text); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second open reading: %v", err)
		}
		if _, err := rs.Accept(w.ctx, w.client, r.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("client accepting: %v", err)
		}
		if _, err := rs.Accept(w.ctx, w.reader, r.ID); err != nil {
			t.Fatal(err)
		}
		other := w.s.CreateUser("other@example.com", account.RoleClient)
		if _, err := w.s.App.Payments.Adjust(w.ctx, w.admin, payment.AdjustInput{UserID: other.ID, AmountCents: 500, Reason: "t"}); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Request(w.ctx, other, w.reader.ID, reader.Text); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("busy reader: %v", err)
		}
		// OD-15: the other client queues instead and sees their position.
		pos, err := rs.JoinQueue(w.ctx, other, w.reader.ID, reader.Text)
		if err != nil || pos != 1 {
			t.Fatalf("queue position %d, %v; want 1", pos, err)
		}
		p, _ := w.s.App.Readers.Get(w.ctx, other, w.reader.ID)
		if p.Status != reader.Busy {
			t.Fatalf("reader in a reading shows %s, want busy", p.Status)
		}
		if _, err := rs.Get(w.ctx, other, r.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a stranger read someone's reading: %v", err)
		}
	})
}

// OD-3: an illegal action is refused and changes nothing: no state change,
// no transition recorded, no money moved.
func TestIllegalActionChangesNothing(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 1000)
		r := w.start(t)
		r, _ = w.s.App.Readings.End(w.ctx, w.client, r.ID)
		before, _ := reading.Transitions(w.ctx, w.s.App.DB.Read(), r.ID)
		bal := w.balance(t, ledger.Wallet(w.client.ID))
		for name, act := range map[string]func() error{
			"accept":  func() error { _, err := w.s.App.Readings.Accept(w.ctx, w.reader, r.ID); return err },
			"decline": func() error { _, err := w.s.App.Readings.Decline(w.ctx, w.reader, r.ID); return err },
			"end":     func() error { _, err := w.s.App.Readings.End(w.ctx, w.client, r.ID); return err },
			"resume":  func() error { _, err := w.s.App.Readings.Resume(w.ctx, w.client, r.ID); return err },
		} {
			if err := act(); apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("%s on a finalized reading: %v, want Conflict", name, err)
			}
		}
		after, _ := reading.Transitions(w.ctx, w.s.App.DB.Read(), r.ID)
		if len(after) != len(before) || w.get(t, r.ID).State != reading.Finalized || w.balance(t, ledger.Wallet(w.client.ID)) != bal {
			t.Fatalf("refused actions changed something: %d→%d transitions", len(before), len(after))
		}
		want := []reading.State{reading.Waiting, reading.Active, reading.Ended, reading.Finalized}
		for i, tr := range before {
			if tr.To != want[i] || tr.At.IsZero() {
				t.Fatalf("transition %d = %+v, want to %s with a time", i, tr, want[i])
			}
		}
	})
}

// OD-6: one minute before the money runs out both sides are warned; when the
// next minute cannot be paid the reading pauses, paused time is not billed,
// and after a top-up it resumes and billing continues.
func TestLowBalancePauseAndResume(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 300)
		sub := w.s.App.Hub.Subscribe(realtime.ReadingTopic(1))
		defer sub.Close()
		r := w.start(t)
		if r.ID != 1 {
			t.Fatalf("expected the first reading, got %d", r.ID)
		}
		w.clk.Set(t0.Add(period + time.Second))
		w.sweep(t) // minute 2 charged: 100 left, one minute
		w.clk.Set(t0.Add(2*period + time.Second))
		w.sweep(t) // minute 3 charged: nothing left → warned
		if !waitFor(sub, "reading.low_balance") {
			t.Fatal("no low-balance warning")
		}
		w.clk.Set(t0.Add(3*period + time.Second))
		w.sweep(t) // minute 4 cannot be paid → paused at 3:00
		r = w.get(t, r.ID)
		if r.State != reading.Paused || r.PauseReason != reading.PauseLowBalance || r.BilledMinutes != 3 {
			t.Fatalf("reading = %s/%s billed %d; want paused for low balance after 3", r.State, r.PauseReason, r.BilledMinutes)
		}
		w.clk.Advance(10 * period) // paused time
		w.sweep(t)
		if n := w.charges(t, r.ID); n != 3 {
			t.Fatalf("paused time billed: %d charges", n)
		}
		if _, err := w.s.App.Readings.Resume(w.ctx, w.client, r.ID); apperr.CodeOf(err) != apperr.InsufficientFunds {
			t.Fatalf("resume without funds: %v", err)
		}
		w.fund(t, 250)
		w.sweep(t) // resumes by itself and charges minute 4 at once
		r = w.get(t, r.ID)
		if r.State != reading.Active || r.BilledMinutes != 4 {
			t.Fatalf("after top-up: %s billed %d; want active with 4", r.State, r.BilledMinutes)
		}
		w.clk.Advance(period + time.Second) // into minute 5
		w.sweep(t)
		r, _ = w.s.App.Readings.End(w.ctx, w.client, r.ID)
		if r.BilledMinutes != 5 || w.balance(t, ledger.Wallet(w.client.ID)) != 50 {
			t.Fatalf("billed %d, wallet %d; want 5 minutes and 50 cents left", r.BilledMinutes, w.balance(t, ledger.Wallet(w.client.ID)))
		}
		if got := r.ActiveTime(w.clk.Now()); got != 4*period+time.Second {
			t.Fatalf("active time %s, want 4m1s (the 10 paused minutes excluded)", got)
		}
		w.verify(t)
	})
}

func waitFor(sub *realtime.Subscription, typ string) bool {
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				return false
			}
			if m.Type == typ {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

// OD-7 AGO-3: a disconnect pauses with a 5-minute grace window; coming back
// within it resumes without restarting the paid minute; after it the
// reading ends.
func TestGraceWindow(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		rs := w.s.App.Readings
		r := w.start(t)
		w.clk.Advance(30 * time.Second)
		if err := rs.Left(w.ctx, r.ID, w.client.ID, w.clk.Now()); err != nil {
			t.Fatal(err)
		}
		r = w.get(t, r.ID)
		if r.State != reading.Paused || !r.GraceUntil.Equal(w.clk.Now().Add(5*time.Minute)) {
			t.Fatalf("after disconnect: %s grace %s", r.State, r.GraceUntil)
		}
		w.clk.Advance(4 * time.Minute)
		w.sweep(t)
		if err := rs.Seen(w.ctx, r.ID, w.client.ID); err != nil {
			t.Fatal(err)
		}
		r = w.get(t, r.ID)
		if r.State != reading.Active || r.BilledMinutes != 1 || r.ActiveTime(w.clk.Now()) != 30*time.Second {
			t.Fatalf("after reconnect: %s billed %d active %s; want active, 1 minute, 30s used", r.State, r.BilledMinutes, r.ActiveTime(w.clk.Now()))
		}
		w.clk.Advance(20 * time.Second)
		w.sweep(t)
		if got := w.get(t, r.ID).BilledMinutes; got != 1 {
			t.Fatalf("reconnect restarted the minute: billed %d", got)
		}
		if err := rs.Left(w.ctx, r.ID, w.reader.ID, w.clk.Now()); err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(5*time.Minute + time.Second)
		w.sweep(t)
		r = w.get(t, r.ID)
		if r.State != reading.Finalized || r.EndReason != reading.EndGraceExpired {
			t.Fatalf("after grace: %s (%s)", r.State, r.EndReason)
		}
		// The reader dropped within the first minute: the client is credited (OD-14).
		if r.CreditedCents != 100 || w.balance(t, ledger.Wallet(w.client.ID)) != 5000 {
			t.Fatalf("credited %d, wallet %d; want the first minute back", r.CreditedCents, w.balance(t, ledger.Wallet(w.client.ID)))
		}
		w.verify(t)
	})
}

// OD-7 OD-8: a page moving to the next one (its connection closing, the next
// page's opening) neither pauses the reading nor counts as a reconnect, nor
// does a connection that closed before the party was seen elsewhere; a
// party that does not come back pauses the reading after LeaveDelay.
func TestPageMoveIsNoDisconnect(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		rs, p := w.s.App.Readings, w.s.App.Presence
		p.LeaveDelay = 100 * time.Millisecond
		r := w.start(t)
		t.Cleanup(p.Connect(w.ctx, w.reader.ID, r.ID))
		old := p.Connect(w.ctx, w.client.ID, r.ID)
		w.clk.Advance(10 * time.Second)
		old()
		next := p.Connect(w.ctx, w.client.ID, r.ID)
		time.Sleep(5 * p.LeaveDelay)
		if got := w.get(t, r.ID); got.State != reading.Active || got.Reconnects != 0 {
			t.Fatalf("after a page move: %s, %d reconnects; want active, none", got.State, got.Reconnects)
		}
		// Seen through another instance after this connection closed.
		w.clk.Advance(time.Second)
		if err := rs.Left(w.ctx, r.ID, w.client.ID, w.clk.Now().Add(-2*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := w.get(t, r.ID).State; got != reading.Active {
			t.Fatalf("a connection that closed before the party was seen again paused the reading: %s", got)
		}
		next()
		deadline := time.Now().Add(10 * time.Second)
		for w.get(t, r.ID).State != reading.Paused && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := w.get(t, r.ID); got.State != reading.Paused || got.GoneParty != string(reading.Client) {
			t.Fatalf("the client's last page closed: %s (gone %q), want paused for the client", got.State, got.GoneParty)
		}
	})
}

// OD-7: a party whose heartbeats stop is disconnected by the sweep after the
// presence timeout.
func TestSilentPartyDisconnected(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		r := w.start(t)
		w.clk.Advance(19 * time.Second)
		w.sweep(t)
		if got := w.get(t, r.ID).State; got != reading.Active {
			t.Fatalf("paused before the timeout: %s", got)
		}
		w.clk.Advance(2 * time.Second)
		w.sweep(t)
		r = w.get(t, r.ID)
		if r.State != reading.Paused || r.GoneParty != "both" {
			t.Fatalf("after silence: %s gone=%q", r.State, r.GoneParty)
		}
	}, func(c *config.Config) { c.PresenceTimeout = 20 * time.Second })
}

// OD-8: rapid disconnect/reconnect loops end the reading.
func TestReconnectLoopEndsReading(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		rs := w.s.App.Readings
		r := w.start(t)
		for i := range 4 {
			w.clk.Advance(5 * time.Second)
			if err := rs.Left(w.ctx, r.ID, w.client.ID, w.clk.Now()); err != nil {
				t.Fatal(err)
			}
			if err := rs.Seen(w.ctx, r.ID, w.client.ID); err != nil {
				t.Fatal(err)
			}
			if st := w.get(t, r.ID).State; i < 3 && st != reading.Active {
				t.Fatalf("reconnect %d: %s", i+1, st)
			}
		}
		r = w.get(t, r.ID)
		if r.State != reading.Finalized || r.EndReason != reading.EndAbuse {
			t.Fatalf("after 4 reconnects (limit 3): %s %s", r.State, r.EndReason)
		}
		if r.CreditedCents != 0 {
			t.Fatalf("the client's own reconnect loop was credited")
		}
	}, func(c *config.Config) { c.ReconnectLimit, c.ReconnectWindow = 3, 10*time.Minute })
}

// OD-4: an unanswered request expires and the client is told.
func TestRequestExpires(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 500)
		sub := w.s.App.Hub.Subscribe(realtime.UserTopic(w.client.ID))
		defer sub.Close()
		r, err := w.s.App.Readings.Request(w.ctx, w.client, w.reader.ID, reader.Text)
		if err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(59 * time.Second)
		w.sweep(t)
		if st := w.get(t, r.ID).State; st != reading.Waiting {
			t.Fatalf("expired early: %s", st)
		}
		w.clk.Advance(2 * time.Second)
		w.sweep(t)
		r = w.get(t, r.ID)
		if r.State != reading.Finalized || r.EndReason != reading.EndExpired || r.TotalCents != 0 {
			t.Fatalf("after 61s: %s %s", r.State, r.EndReason)
		}
		if !waitFor(sub, "reading.ended") {
			t.Fatal("the client was not told")
		}
		if _, err := w.s.App.Readings.Accept(w.ctx, w.reader, r.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("accepting an expired request: %v", err)
		}
	})
}

// RDR-5: a review needs an ended reading of at least 5 paid minutes, one per
// reading, and moves the reader's average. OD-12: notes stay private.
func TestReviewsAndNotes(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 5000)
		rs := w.s.App.Readings
		short := w.start(t)
		w.clk.Advance(3 * period)
		short, _ = rs.End(w.ctx, w.client, short.ID)
		if err := rs.AddReview(w.ctx, w.client, short.ID, 5, "great"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("review of a 3-minute reading: %v", err)
		}
		long := w.start(t)
		w.clk.Advance(5 * period)
		if err := rs.AddReview(w.ctx, w.client, long.ID, 5, "early"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("review before the end: %v", err)
		}
		long, _ = rs.End(w.ctx, w.client, long.ID)
		if err := rs.AddReview(w.ctx, w.reader, long.ID, 1, "self"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("reader reviewing: %v", err)
		}
		if err := rs.AddReview(w.ctx, w.client, long.ID, 6, ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("6 stars: %v", err)
		}
		if err := rs.AddReview(w.ctx, w.client, long.ID, 4, "Very insightful"); err != nil {
			t.Fatal(err)
		}
		if err := rs.AddReview(w.ctx, w.client, long.ID, 5, "again"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second review: %v", err)
		}
		p, _ := w.s.App.Readers.Get(w.ctx, w.client, w.reader.ID)
		if p.RatingCount != 1 || p.Rating() != 4 || p.ReadingsCount != 2 {
			t.Fatalf("profile rating %v (%d), readings %d", p.Rating(), p.RatingCount, p.ReadingsCount)
		}
		if err := rs.SetClientNote(w.ctx, w.client, long.ID, "Ask about June"); err != nil {
			t.Fatal(err)
		}
		if err := rs.SetClientNote(w.ctx, w.reader, long.ID, "x"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("reader writing the client's note: %v", err)
		}
		if err := rs.SetReaderNote(w.ctx, w.reader, w.client.ID, "Prefers gentle readings"); err != nil {
			t.Fatal(err)
		}
		if n, _ := rs.ClientNote(w.ctx, w.client.ID, long.ID); n != "Ask about June" {
			t.Fatalf("client note = %q", n)
		}
		if n, _ := rs.ReaderNote(w.ctx, w.reader.ID, w.client.ID); n != "Prefers gentle readings" {
			t.Fatalf("reader note = %q", n)
		}
		stranger := w.s.CreateUser("s@example.com", account.RoleReader)
		if err := rs.SetReaderNote(w.ctx, stranger, w.client.ID, "x"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a reader who never read for the client wrote a note: %v", err)
		}
	})
}

// OD-14: a satisfaction claim is queued for admins; approving it refunds the
// reading to the wallet, audited; a claim is made once.
func TestSatisfactionClaim(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 1000)
		rs := w.s.App.Readings
		r := w.start(t)
		w.clk.Advance(2*period + time.Second)
		r, _ = rs.End(w.ctx, w.client, r.ID)
		for _, bad := range []string{"", "Not what I hoped", "OTHER"} {
			if err := rs.FileClaim(w.ctx, w.client, r.ID, bad, "x"); apperr.As(err) == nil || apperr.As(err).Fields["reason"] == "" {
				t.Fatalf("claim with reason %q: %v, want a field error on the reason", bad, err)
			}
		}
		if err := rs.FileClaim(w.ctx, w.client, r.ID, "other", strings.Repeat("x", reading.MaxNoteLen+1)); apperr.As(err) == nil || apperr.As(err).Fields["details"] == "" {
			t.Fatalf("claim with too long details: %v, want a field error on the details", err)
		}
		if err := rs.FileClaim(w.ctx, w.client, r.ID, "not_as_described", "  Not what I hoped  "); err != nil {
			t.Fatal(err)
		}
		if err := rs.FileClaim(w.ctx, w.client, r.ID, "other", "again"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second claim: %v", err)
		}
		claims, _ := rs.Claims(w.ctx, "pending")
		if len(claims) != 1 || claims[0].TotalCents != 300 || claims[0].Reason != "not_as_described" || claims[0].Details != "Not what I hoped" ||
			claims[0].ReasonLabel() != "The reading was not what the profile described" {
			t.Fatalf("claims = %+v", claims)
		}
		if err := rs.ResolveClaim(w.ctx, w.client, claims[0].ID, true, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("client resolving: %v", err)
		}
		if err := rs.ResolveClaim(w.ctx, w.admin, claims[0].ID, true, "goodwill"); err != nil {
			t.Fatal(err)
		}
		if got := w.balance(t, ledger.Wallet(w.client.ID)); got != 1000 {
			t.Fatalf("wallet after approved claim = %d, want 1000", got)
		}
		if err := rs.ResolveClaim(w.ctx, w.admin, claims[0].ID, true, ""); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("resolving twice: %v", err)
		}
		w.verify(t)
	})
}

// OD-9: chat messages are stored as the transcript, delivered through the
// reading's topic, and readable afterwards only by the parties.
func TestChatTranscript(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.fund(t, 1000)
		rs := w.s.App.Readings
		r := w.start(t)
		sub := w.s.App.Hub.Subscribe(realtime.ReadingTopic(r.ID))
		defer sub.Close()
		if _, err := rs.Say(w.ctx, w.client, r.ID, "Will I find love?"); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Say(w.ctx, w.reader, r.ID, "The cards say yes."); err != nil {
			t.Fatal(err)
		}
		if !waitFor(sub, "chat.message") {
			t.Fatal("message not delivered")
		}
		if _, err := rs.Say(w.ctx, w.client, r.ID, "   "); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("empty message: %v", err)
		}
		rs.End(w.ctx, w.client, r.ID)
		if _, err := rs.Say(w.ctx, w.client, r.ID, "late"); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("message after the end: %v", err)
		}
		msgs, err := rs.Transcript(w.ctx, w.reader, r.ID)
		if err != nil || len(msgs) != 2 || msgs[0].Body != "Will I find love?" || msgs[1].SenderID != w.reader.ID {
			t.Fatalf("transcript = %+v, %v", msgs, err)
		}
		stranger := w.s.CreateUser("peek@example.com", account.RoleClient)
		if _, err := rs.Transcript(w.ctx, stranger, r.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("stranger read the transcript: %v", err)
		}
	})
}

// OD-3 RDR-3: a reader runs one reading at a time and a client has one going
// on, even when requests and accepts race.
func TestOneReadingAtATime(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		rs := w.s.App.Readings
		w.fund(t, 5000)
		other := w.s.CreateUser("second@example.com", account.RoleClient)
		if _, err := w.s.App.Payments.Adjust(w.ctx, w.admin, payment.AdjustInput{UserID: other.ID, AmountCents: 5000, Reason: "t"}); err != nil {
			t.Fatal(err)
		}
		a, err := rs.Request(w.ctx, w.client, w.reader.ID, reader.Text)
		if err != nil {
			t.Fatal(err)
		}
		b, err := rs.Request(w.ctx, other, w.reader.ID, reader.Text)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, id := range []int64{a.ID, b.ID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = rs.Accept(w.ctx, w.reader, id)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case apperr.CodeOf(err) != apperr.Conflict:
				t.Fatalf("losing accept: %v, want Conflict", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d accepts succeeded, want exactly 1", ok)
		}
		var errs2 [8]error
		for i := range errs2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs2[i] = rs.Request(w.ctx, w.client, w.reader.ID, reader.Text)
			}()
		}
		wg.Wait()
		for _, err := range errs2 {
			if err == nil {
				t.Fatal("a client with a reading going on started another")
			}
		}
	})
}

// RDR-3: a reader is online while they hold a live connection and offline
// as soon as the last one closes; in a reading they show busy.
func TestReaderPresence(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		status := func() reader.Status {
			p, err := w.s.App.Readers.Get(w.ctx, w.client, w.reader.ID)
			if err != nil {
				t.Fatal(err)
			}
			return p.Status
		}
		if got := status(); got != reader.Online {
			t.Fatalf("connected reader shows %s", got)
		}
		second := w.s.App.Presence.Connect(w.ctx, w.reader.ID, 0)
		second()
		if got := status(); got != reader.Online {
			t.Fatalf("closing one of two connections made the reader %s", got)
		}
		w.fund(t, 1000)
		r := w.start(t)
		if got := status(); got != reader.Busy {
			t.Fatalf("reader in a reading shows %s", got)
		}
		w.s.App.Readings.End(w.ctx, w.client, r.ID)

		// Another reader: online only from connecting to their last connection closing.
		other := w.s.CreateUser("other.reader@example.com", account.RoleReader)
		price := int64(100)
		w.s.App.Readers.UpdateProfile(w.ctx, other.ID, reader.ProfileInput{DisplayName: "Other", Rates: reader.RatesInput{Text: &price}})
		w.s.App.Readers.SetVerified(w.ctx, w.admin, other.ID, true)
		w.s.App.Readers.SetStatus(w.ctx, other.ID, reader.Online)
		otherStatus := func() reader.Status {
			p, err := w.s.App.Readers.Get(w.ctx, w.client, other.ID)
			if err != nil {
				t.Fatal(err)
			}
			return p.Status
		}
		if got := otherStatus(); got != reader.Offline {
			t.Fatalf("online without a connection: %s", got)
		}
		release := w.s.App.Presence.Connect(w.ctx, other.ID, 0)
		if got := otherStatus(); got != reader.Online {
			t.Fatalf("connected: %s", got)
		}
		release()
		if got := otherStatus(); got != reader.Offline {
			t.Fatalf("after the last connection closed: %s, want offline at once", got)
		}
		if _, err := w.s.App.Readings.Request(w.ctx, w.client, other.ID, reader.Text); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("requesting an offline reader: %v", err)
		}
	}, func(c *config.Config) { c.PresenceTimeout = 20 * time.Second })
}
