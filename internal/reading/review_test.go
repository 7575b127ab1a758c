package reading_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/flag"
	"github.com/soulseer/soulseer/internal/reading"
)

// RDR-5: a reader's reviews are listed newest first or most helpful first
// (4 and 5 stars first, the fullest ones first), a page at a time with the
// total, naming each reviewer by first name only; the reader — and nobody
// else — answers each review once, may rewrite the answer, and the answer
// shows with the review.
func TestReviewListAndReplies_RDR5(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		rs := w.s.App.Readings
		w.fund(t, 100_00)
		reviews := []struct {
			rating int
			body   string
		}{
			{2, "It did not speak to my question at all, though the reader was polite throughout."},
			{5, "Spot on."},
			{4, "Warm and clear; she saw the job change coming and gave me practical next steps."},
		}
		ids := make([]int64, len(reviews))
		for i, rv := range reviews {
			r := w.start(t)
			w.clk.Advance(reading.MinReviewMinutes * period)
			if _, err := rs.End(w.ctx, w.client, r.ID); err != nil {
				t.Fatal(err)
			}
			if err := rs.AddReview(w.ctx, w.client, r.ID, rv.rating, rv.body); err != nil {
				t.Fatal(err)
			}
			ids[i] = r.ID
			w.clk.Advance(period)
		}

		order := func(sort reading.ReviewSort, limit, offset int) []int64 {
			t.Helper()
			list, total, err := rs.Reviews(w.ctx, w.reader.ID, sort, limit, offset)
			if err != nil || total != len(reviews) {
				t.Fatalf("%s reviews: total %d (%v), want %d", sort, total, err, len(reviews))
			}
			var got []int64
			for _, rv := range list {
				if strings.Contains(rv.ClientName, " ") || rv.ClientName == "" {
					t.Errorf("a public review names its client %q, want the first name only", rv.ClientName)
				}
				got = append(got, rv.ReadingID)
			}
			return got
		}
		if got, want := order(reading.ReviewsNewest, 10, 0), []int64{ids[2], ids[1], ids[0]}; !slices.Equal(got, want) {
			t.Errorf("newest first: %v, want %v", got, want)
		}
		if got, want := order(reading.ReviewsHelpful, 10, 0), []int64{ids[2], ids[1], ids[0]}; !slices.Equal(got, want) {
			t.Errorf("most helpful first: %v, want the fullest good review, the short good one, then the poor one %v", got, want)
		}
		if got, want := order(reading.ReviewsHelpful, 1, 1), []int64{ids[1]}; !slices.Equal(got, want) {
			t.Errorf("helpful page 2 of 1: %v, want %v", got, want)
		}

		other := w.newReader(t, "other@example.com")
		for _, who := range []account.User{other, w.client, w.admin} {
			if _, err := rs.ReplyToReview(w.ctx, who, ids[0], "Not mine to answer"); apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("%s replying to another reader's review: %v, want not found", who.Email, err)
			}
		}
		for _, bad := range []string{"  ", strings.Repeat("x", reading.MaxNoteLen+1)} {
			if _, err := rs.ReplyToReview(w.ctx, w.reader, ids[0], bad); apperr.As(err) == nil || apperr.As(err).Fields["body"] == "" {
				t.Errorf("reply of %d characters: %v, want a field error", len(bad), err)
			}
		}
		if rv, _, _ := rs.ReviewOf(w.ctx, ids[0]); rv.Reply != "" {
			t.Fatalf("refused replies left %q", rv.Reply)
		}
		rv, err := rs.ReplyToReview(w.ctx, w.reader, ids[0], "  I'm sorry it missed the mark; please write to me and I'll look again.  ")
		if err != nil || rv.Reply != "I'm sorry it missed the mark; please write to me and I'll look again." || !rv.RepliedAt.Equal(w.clk.Now()) {
			t.Fatalf("reply: %+v, %v", rv, err)
		}
		w.clk.Advance(period)
		if _, err := rs.ReplyToReview(w.ctx, w.reader, ids[0], "Thank you for the honest words."); err != nil {
			t.Fatal(err)
		}
		list, _, err := rs.Reviews(w.ctx, w.reader.ID, reading.ReviewsNewest, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		replied := 0
		for _, rv := range list {
			if rv.Reply != "" {
				replied++
				if rv.ReadingID != ids[0] || rv.Reply != "Thank you for the honest words." || !rv.RepliedAt.Equal(w.clk.Now()) {
					t.Errorf("listed reply %+v, want the rewritten answer on the first review", rv)
				}
			}
		}
		if replied != 1 {
			t.Errorf("%d reviews carry a reply, want 1", replied)
		}
	})
}

// COM-4, COM-6: a reader's review is flagged like any item; the queue
// shows its rating and text with the way to the reader's profile; hiding
// it takes it off the profile (its author told), and a later flag of it
// is refused as there is nothing left to flag; deleting one also drops its
// text.
func TestFlaggedReview_COM4_COM6(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		rs, flags := w.s.App.Readings, w.s.App.Flags
		w.fund(t, 100_00)
		review := func(body string) int64 {
			t.Helper()
			r := w.start(t)
			w.clk.Advance(reading.MinReviewMinutes * period)
			if _, err := rs.End(w.ctx, w.client, r.ID); err != nil {
				t.Fatal(err)
			}
			if err := rs.AddReview(w.ctx, w.client, r.ID, 1, body); err != nil {
				t.Fatal(err)
			}
			w.clk.Advance(period)
			return r.ID
		}
		hidden, deleted := review("Call me instead on my own number"), review("Fraud, total fraud")
		for _, id := range []int64{hidden, deleted} {
			if _, err := flags.Raise(w.ctx, w.reader, flag.RaiseInput{TargetType: flag.TargetReview, TargetID: id, Reason: "harassment"}); err != nil {
				t.Fatal(err)
			}
		}
		q, err := flags.Queue(w.ctx, w.admin)
		if err != nil || len(q) != 2 || q[0].TargetID != hidden || q[0].Item.AuthorID != w.client.ID ||
			q[0].Item.Text != "1/5 — Call me instead on my own number" || q[0].Item.URL != "/readers/"+itoa(w.reader.ID)+"#reviews" {
			t.Fatalf("queue: %+v %v", q, err)
		}
		if _, err := flags.Decide(w.ctx, w.admin, flag.TargetReview, hidden, flag.Decision{Action: "hide", Note: "No contact details."}); err != nil {
			t.Fatal(err)
		}
		if _, err := flags.Decide(w.ctx, w.admin, flag.TargetReview, deleted, flag.Decision{Action: "delete"}); err != nil {
			t.Fatal(err)
		}
		if list, total, err := rs.Reviews(w.ctx, w.reader.ID, reading.ReviewsNewest, 10, 0); err != nil || total != 0 || len(list) != 0 {
			t.Errorf("the profile's reviews after the decisions: %d %+v %v", total, list, err)
		}
		var body string
		if err := w.s.App.DB.Read().QueryRowContext(w.ctx, `SELECT body FROM reviews WHERE reading_id = $1`, deleted).Scan(&body); err != nil || body != "" {
			t.Errorf("the deleted review keeps %q: %v", body, err)
		}
		var told int
		if err := w.s.App.DB.Read().QueryRowContext(w.ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'moderation'`,
			w.client.ID).Scan(&told); err != nil || told != 2 {
			t.Errorf("the client told %d times, want 2: %v", told, err)
		}
		other := w.newReader(t, "other@example.com")
		if _, err := flags.Raise(w.ctx, other, flag.RaiseInput{TargetType: flag.TargetReview, TargetID: hidden, Reason: "spam"}); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("flagging the hidden review: %v, want not found", err)
		}
	})
}
