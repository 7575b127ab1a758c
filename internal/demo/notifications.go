package demo

import (
	"context"
	"strconv"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/notify"
)

// seedNotifications gives the demo client's bell something to show besides
// Luna's messages (MSG-2, RDR-7): they were told that Selene came online,
// and they wait to be told when Sage, offline, next comes online — unless
// the client was told about a reader before.
func seedNotifications(ctx context.Context, a *app.App, client account.User) error {
	told, err := a.Notify.List(ctx, client.ID, notify.ListFilter{Limit: notify.MaxListLimit})
	if err != nil {
		return err
	}
	for _, n := range told {
		if n.Kind == notify.KindReaderOnline {
			return nil
		}
	}
	selene, err := a.Accounts.GetByEmail(ctx, "selene@soulseer.demo")
	if err != nil {
		return err
	}
	sage, err := a.Accounts.GetByEmail(ctx, "sage@soulseer.demo")
	if err != nil {
		return err
	}
	id := strconv.FormatInt(selene.ID, 10)
	err = a.DB.Tx(ctx, func(tx *db.Tx) error {
		return a.Notify.Send(ctx, tx, notify.Notification{UserID: client.ID, Kind: notify.KindReaderOnline,
			Title: selene.DisplayName + " is online now",
			Body:  "You asked to be told when " + selene.DisplayName + " came online. Request a reading while they are free.",
			URL:   "/readers/" + id, Group: "reader_online:" + id})
	})
	if err != nil {
		return err
	}
	return a.Readers.WatchOnline(ctx, client, sage.ID)
}
