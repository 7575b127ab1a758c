package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/soulseer/soulseer/internal/db"
)

// section is one file of an export: its name, what the README says it
// holds, and how it is read for a person.
type section struct {
	file  string
	about string
	read  func(ctx context.Context, q db.Querier, userID int64) (any, error)
}

// sections are an export's files, in the order the README lists them.
var sections = []section{
	{fileProfile, `Your account: email address, display name, role, time zone, whether two-factor
sign-in is on (never its secret), your reader profile, availability and
applications to become a reader if any, your notification preferences,
spending limits, automatic reload (the saved card by brand and last four
digits only) and requested changes of email address.`, readProfile},
	{fileSecurity, `Where you are signed in (sessions with their address and browser), your API
tokens (names and dates, never the tokens), sign-in providers linked to your
account, browsers remembered for two-factor sign-in, how many recovery codes
are left, and password resets you asked for.`, readSecurity},
	{fileReadings, `Your readings, as client or reader, each with its chat transcript; as a client,
your private note and any satisfaction claim; as a reader, your private notes
about clients, and your places in readers' queues.`, readReadings},
	{fileBookings, `Your scheduled readings, as client or reader, with their price, refunds and the
chat of their room.`, readBookings},
	{fileMessages, `Your conversations and their messages. A paid reply appears once you unlocked it
(or if you wrote it); replies still locked are left out.`, readMessages},
	{fileWallet, `Your money: your wallet (and earnings) balances, every ledger transfer that
moved money in or out of them with the amounts in cents, your top-ups (and
which of them automatic reloads made), refunds, card disputes and requested
adjustments.`, readWallet},
	{fileGifts, `Gifts you sent in livestreams and, as a reader, gifts you received.`, readGifts},
	{fileStreams, `Livestream tickets and subscriptions you bought, streams you hosted, your chat
lines, invitations, moderators and restrictions.`, readStreams},
	{fileShop, `Your shop orders with their items, shipping address, tracking and the files
you can download.`, readShop},
	{filePayouts, `As a reader: your payout account's state, payouts made to you and any hold on
them.`, readPayouts},
	{fileForum, `Forum threads you started, posts you wrote (with their earlier versions),
files you uploaded (their details, not the files) and how far you read each
thread.`, readForum},
	{fileFlags, `Reports you made about posts, reviews, chat lines or profiles, and what
moderators decided.`, readFlags},
	{fileNotifications, `Every notification SoulSeer sent you.`, readNotifications},
	{fileReviews, `Reviews you wrote and, as a reader, reviews you received, with replies.`, readReviews},
	{fileFavorites, `Readers you favourited or asked to be told about when they come online, and
people you blocked.`, readFavorites},
}

// stamp is a stored time (Unix milliseconds) as an export writes it:
// RFC 3339 in UTC, or null when it has not happened.
type stamp struct{ sql.NullInt64 }

// MarshalJSON writes the time, or null.
func (t stamp) MarshalJSON() ([]byte, error) {
	if !t.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(db.Time(t.Int64))
}

// party is a person an item involves, by id and display name.
type party struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// partyColumns selects the party of users table alias u as two columns,
// its id (0 when the account is no longer there) and display name, which
// partyOf turns back into a party.
func partyColumns(u string) string {
	return "COALESCE(" + u + ".id, 0), COALESCE(" + u + ".display_name, '')"
}

// partyOf is the person with id and name; nil when id is 0.
func partyOf(id int64, name string) *party {
	if id == 0 {
		return nil
	}
	return &party{ID: id, Name: name}
}

// list runs query and reads each row into a T with scan.
func list[T any](ctx context.Context, q db.Querier, query string, scan func(r db.Row, x *T) error, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Row) (T, error) {
		var x T
		err := scan(r, &x)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("privacy: %w", err)
	}
	return out, nil
}

// File is one file of an export and what it holds, as the export page
// and the README describe it.
type File struct {
	Name  string
	About string
}

// Files lists the files of every export: the README, then one per
// section.
func Files() []File {
	out := []File{{Name: "README.txt", About: "What each file holds and how to read it."}}
	for _, sec := range sections {
		out = append(out, File{Name: sec.file, About: sec.about})
	}
	return out
}
