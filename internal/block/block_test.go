package block_test

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/block"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

var ctx = context.Background()

// pair is an app with a funded client and a verified reader who is online
// with a live connection, offering text readings.
type pair struct {
	s              *apptest.Server
	blocks         *block.Service
	client, reader account.User
	admin          account.User
}

func eachPair(t *testing.T, f func(t *testing.T, p *pair)) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			s := apptest.Start(t, e, apptest.WithManualSweeps())
			p := &pair{s: s, blocks: s.App.Blocks, admin: s.CreateUser("admin@example.com", account.RoleAdmin),
				client: s.CreateUser("client@example.com", account.RoleClient), reader: s.CreateUser("reader@example.com", account.RoleReader)}
			price := int64(100)
			if _, err := s.App.Readers.UpdateProfile(ctx, p.reader.ID, reader.ProfileInput{DisplayName: "Reader", Rates: reader.RatesInput{Text: &price}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Readers.SetVerified(ctx, p.admin, p.reader.ID, true); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Readers.SetStatus(ctx, p.reader.ID, reader.Online); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.App.Presence.Connect(ctx, p.reader.ID, 0))
			if _, err := s.App.Payments.Adjust(ctx, p.admin, payment.AdjustInput{UserID: p.client.ID, AmountCents: 1000, Reason: "test funds"}); err != nil {
				t.Fatal(err)
			}
			f(t, p)
		})
	}
}

// refused checks that err is the neutral refusal, which does not say who
// blocked whom.
func refused(t *testing.T, what string, err error) {
	t.Helper()
	if apperr.CodeOf(err) != apperr.NotFound || apperr.MessageOf(err) != "This reader is not available." {
		t.Errorf("%s: %v, want the reader not available", what, err)
	}
}

// Whichever of a client and a reader blocks the other, the client can
// neither request a reading nor join the reader's queue, and is told only
// that the reader is not available; once unblocked both work again (ACC-6).
func TestBlockingRefusesReadingAndQueue_ACC6(t *testing.T) {
	eachPair(t, func(t *testing.T, p *pair) {
		for _, dir := range []struct {
			name             string
			blocker, blocked account.User
		}{{"client blocks reader", p.client, p.reader}, {"reader blocks client", p.reader, p.client}} {
			if _, err := p.blocks.Block(ctx, dir.blocker, dir.blocked.ID); err != nil {
				t.Fatalf("%s: %v", dir.name, err)
			}
			_, err := p.s.App.Readings.Request(ctx, p.client, p.reader.ID, reader.Text)
			refused(t, dir.name+": request", err)
			_, err = p.s.App.Readings.JoinQueue(ctx, p.client, p.reader.ID, reader.Text)
			refused(t, dir.name+": join queue", err)
			if pos, _ := p.s.App.Readings.QueuePosition(ctx, p.client.ID, p.reader.ID); pos != 0 {
				t.Errorf("%s: queued at %d", dir.name, pos)
			}
			// The one who was blocked cannot lift it.
			if err := p.blocks.Unblock(ctx, dir.blocked, dir.blocker.ID); err != nil {
				t.Fatal(err)
			}
			_, err = p.s.App.Readings.JoinQueue(ctx, p.client, p.reader.ID, reader.Text)
			refused(t, dir.name+": join queue after the blocked one's unblock", err)

			if err := p.blocks.Unblock(ctx, dir.blocker, dir.blocked.ID); err != nil {
				t.Fatal(err)
			}
			if pos, err := p.s.App.Readings.JoinQueue(ctx, p.client, p.reader.ID, reader.Text); err != nil || pos != 1 {
				t.Fatalf("%s, then unblocks: join queue at %d, %v", dir.name, pos, err)
			}
			if err := p.s.App.Readings.LeaveQueue(ctx, p.client, p.reader.ID); err != nil {
				t.Fatal(err)
			}
			r, err := p.s.App.Readings.Request(ctx, p.client, p.reader.ID, reader.Text)
			if err != nil || r.State != reading.Waiting {
				t.Fatalf("%s, then unblocks: request %v %v", dir.name, r.State, err)
			}
			if _, err := p.s.App.Readings.End(ctx, p.client, r.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// Blocking takes the client out of the reader's queue.
func TestBlockingLeavesQueue_ACC6(t *testing.T) {
	eachPair(t, func(t *testing.T, p *pair) {
		if pos, err := p.s.App.Readings.JoinQueue(ctx, p.client, p.reader.ID, reader.Text); err != nil || pos != 1 {
			t.Fatalf("join queue: %d %v", pos, err)
		}
		if _, err := p.blocks.Block(ctx, p.reader, p.client.ID); err != nil {
			t.Fatal(err)
		}
		if pos, _ := p.s.App.Readings.QueuePosition(ctx, p.client.ID, p.reader.ID); pos != 0 {
			t.Errorf("still queued at %d after the reader blocked the client", pos)
		}
	})
}

// Clients block readers and readers block clients, nobody else; the list
// shows whom one blocked, newest first, and blocking twice keeps one entry.
func TestBlockRulesAndList_ACC6(t *testing.T) {
	eachPair(t, func(t *testing.T, p *pair) {
		other := p.s.CreateUser("other@example.com", account.RoleClient)
		second := p.s.CreateUser("second@example.com", account.RoleReader)
		for _, tc := range []struct {
			name    string
			blocker account.User
			target  int64
			code    apperr.Code
		}{
			{"client blocks client", p.client, other.ID, apperr.Invalid},
			{"reader blocks reader", p.reader, second.ID, apperr.Invalid},
			{"client blocks admin", p.client, p.admin.ID, apperr.Invalid},
			{"client blocks nobody", p.client, 999999, apperr.NotFound},
			{"admin blocks client", p.admin, p.client.ID, apperr.Forbidden},
			{"client blocks self", p.client, p.client.ID, apperr.Invalid},
		} {
			if _, err := p.blocks.Block(ctx, tc.blocker, tc.target); apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		for _, id := range []int64{p.reader.ID, second.ID, second.ID} {
			if _, err := p.blocks.Block(ctx, p.client, id); err != nil {
				t.Fatal(err)
			}
		}
		list, err := p.blocks.List(ctx, p.client.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("list %+v %v, want the two readers", list, err)
		}
		if list[0].UserID != second.ID || list[1].UserID != p.reader.ID || list[1].Role != account.RoleReader || list[1].DisplayName != "Reader" {
			t.Errorf("list %+v, want second then the reader", list)
		}
		if theirs, _ := p.blocks.List(ctx, p.reader.ID); len(theirs) != 0 {
			t.Errorf("the blocked reader's own list shows %+v", theirs)
		}
		for _, tc := range []struct {
			blocker, blocked int64
			want             bool
		}{{p.client.ID, p.reader.ID, true}, {p.reader.ID, p.client.ID, false}} {
			if got, err := p.blocks.HasBlocked(ctx, tc.blocker, tc.blocked); err != nil || got != tc.want {
				t.Errorf("HasBlocked(%d, %d) = %v %v, want %v", tc.blocker, tc.blocked, got, err, tc.want)
			}
		}
		for _, pair := range [][2]int64{{p.client.ID, p.reader.ID}, {p.reader.ID, p.client.ID}} {
			if got, err := block.Blocked(ctx, p.s.App.DB.Read(), pair[0], pair[1]); err != nil || !got {
				t.Errorf("Blocked(%d, %d) = %v %v, want true either way round", pair[0], pair[1], got, err)
			}
		}
	})
}
