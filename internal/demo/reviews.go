package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/clock"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/payment"
	"github.com/soulseer/soulseer/internal/reader"
	"github.com/soulseer/soulseer/internal/reading"
)

// reviewers are the demo clients whose past readings carry the demo
// readers' reviews.
var reviewers = []struct{ name, email string }{
	{"Maya Chen", "maya@clients.soulseer.demo"},
	{"Jordan Blake", "jordan@clients.soulseer.demo"},
	{"Priya Nair", "priya@clients.soulseer.demo"},
	{"Tom Okafor", "tom@clients.soulseer.demo"},
	{"Elena Rossi", "elena@clients.soulseer.demo"},
	{"Sam Taylor", "sam@clients.soulseer.demo"},
	{"Noor Haddad", "noor@clients.soulseer.demo"},
	{"Lucas Moreau", "lucas@clients.soulseer.demo"},
}

// reviewerFunds is what each reviewer's wallet is credited with for their
// past readings.
const reviewerFunds = 1000_00

// demoReview is a review a demo client left, and the reader's reply if any.
type demoReview struct {
	rating      int
	body, reply string
}

// reviewPool holds the demo reviews; each reader takes a few in turn.
var reviewPool = []demoReview{
	{5, "Spot on about the job change I was weighing. Calm, kind and very specific — I left with a plan.", "Thank you! I'm so glad the plan feels clear. Wishing you a smooth start in the new role."},
	{5, "I was nervous before my first reading, but I felt at ease within a minute. The cards made sense of a messy few months.", ""},
	{4, "Helpful and honest. Some of it I didn't want to hear, but it was fair.", "I appreciate you staying open to the harder parts. Come back any time."},
	{5, "Gentle and warm. She picked up on my grandmother straight away and the details were uncanny.", ""},
	{3, "A good reading, though it felt a little rushed at the end.", "Thank you for telling me — next time I'll leave more room at the end for your questions."},
	{5, "Third reading with this reader and every one has been worth it. Timing predictions have come true twice now.", ""},
	{4, "Clear answers to yes/no questions, which is exactly what I needed.", ""},
	{5, "Beautiful, thoughtful session. I came in anxious about my relationship and left feeling grounded and hopeful.", "It was a pleasure to read for you. Trust that grounded feeling."},
	{5, "Incredibly accurate about my move abroad — even the month. Highly recommend.", ""},
	{4, "Lovely energy and practical advice. Would have liked a little more detail on the career side.", ""},
	{5, "Explained my chart in plain words and connected it to what is happening right now. Fascinating.", "Thank you! Your chart was a joy to explore."},
	{2, "Not for me this time — the reading stayed quite general.", "I'm sorry it didn't land for you. If you'd like to try again, bring one focused question and we'll go deeper."},
	{5, "My cat's behaviour finally makes sense. Practical tips that have already helped at home.", ""},
	{5, "Kind, funny and straight to the point. Booked again for next month.", ""},
	{4, "Good insight into a family situation. I'll be thinking about it for a while.", ""},
	{5, "The most accurate reading I've had on any site. Worth every minute.", "That means a lot — thank you for trusting me with your question."},
	{4, "A calm voice and a clear message. Exactly what I needed after a hard week.", ""},
	{5, "Short session but packed with meaning. The dream I asked about suddenly feels obvious.", ""},
}

// seedReviews gives reader u a few past readings, each by one of the demo
// reviewers and reviewed afterwards, some with the reader's reply. They
// are real readings, run through the reading service on a clock set weeks
// back, so every minute is charged through the ledger and the reviews
// follow the rules clients' reviews do (RDR-5). The reader is online while
// it runs; the caller sets their status afterwards. Loaded into a server
// that is already running, whose sweeps bill on today's clock, a past
// reading may be paused, billed or ended between its steps: it is kept
// unreviewed, and loading goes on.
func seedReviews(ctx context.Context, a *app.App, admin, u account.User, i int) error {
	if _, err := a.Readers.SetStatus(ctx, u.ID, reader.Online); err != nil {
		return err
	}
	if err := a.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE reader_profiles SET last_seen_at = $1 WHERE user_id = $2`, db.Millis(a.Clock.Now()), u.ID)
		return err
	}); err != nil {
		return err
	}
	p, err := a.Readers.Get(ctx, admin, u.ID)
	if err != nil {
		return err
	}
	modality := p.Rates.Offered()[0]
	clk := clock.NewFake(a.Clock.Now().Add(-60 * 24 * time.Hour).Add(time.Duration(i) * 7 * time.Hour))
	past := *a.Readings
	past.Clock = clk
	period := past.Config.Period
	for j := range 3 + i%4 {
		rv := reviewPool[(3*i+j)%len(reviewPool)]
		who := reviewers[(i+j)%len(reviewers)]
		client, err := reviewer(ctx, a, admin, who.name, who.email)
		if err != nil {
			return err
		}
		rd, err := past.Request(ctx, client, u.ID, modality)
		if apperr.CodeOf(err) == apperr.InsufficientFunds {
			continue // a running server's sweeps billed an earlier past reading on today's clock
		} else if err != nil {
			return fmt.Errorf("demo: past reading: %w", err)
		}
		if _, err := past.Accept(ctx, u, rd.ID); apperr.CodeOf(err) == apperr.Conflict {
			continue // a running server's sweeps expired the request first
		} else if err != nil {
			return fmt.Errorf("demo: past reading: %w", err)
		}
		clk.Advance(time.Duration(5+j%4) * period)
		ended, err := past.End(ctx, client, rd.ID)
		if apperr.CodeOf(err) == apperr.Conflict {
			ended, err = past.Get(ctx, client, rd.ID)
		}
		if err != nil {
			return fmt.Errorf("demo: past reading: %w", err)
		}
		if ended.State != reading.Finalized || ended.BilledMinutes < reading.MinReviewMinutes {
			// A running server's sweeps, on today's clock, found this
			// reading's parties long gone and paused, billed or ended it
			// between Accept and End: it stays in the history, unreviewed.
			continue
		}
		clk.Advance(10 * time.Minute)
		if err := past.AddReview(ctx, client, rd.ID, rv.rating, rv.body); err != nil {
			return fmt.Errorf("demo: review: %w", err)
		}
		if rv.reply != "" {
			clk.Advance(20 * time.Hour)
			if _, err := past.ReplyToReview(ctx, u, rd.ID, rv.reply); err != nil {
				return fmt.Errorf("demo: reply: %w", err)
			}
		}
		clk.Advance(time.Duration(4+j) * 24 * time.Hour)
	}
	return nil
}

// reviewer returns the demo client with that email, creating them with a
// wallet that pays for their past readings.
func reviewer(ctx context.Context, a *app.App, admin account.User, name, email string) (account.User, error) {
	if u, err := a.Accounts.GetByEmail(ctx, email); err == nil {
		return u, nil
	}
	u, err := ensureUser(ctx, a, name, email, account.RoleClient)
	if err != nil {
		return account.User{}, err
	}
	_, err = a.Payments.Adjust(ctx, admin, payment.AdjustInput{UserID: u.ID, AmountCents: reviewerFunds,
		Reason: "Demo money for past readings", Key: "demo-reviewer-" + email})
	return u, err
}
