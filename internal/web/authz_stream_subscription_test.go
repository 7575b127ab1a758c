package web_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/account"
)

// subscriptionsToB is reader B offering a $1 monthly subscription that
// nobody holds yet (LIV-3).
func subscriptionsToB(t *testing.T, m *authzWorld) {
	t.Helper()
	m.exec(t, `UPDATE stream_subscriptions SET state = 'cancelled' WHERE reader_id = $1`, m.readerB.ID)
	if err := m.s.App.Live.SetSubscriptionPrice(ctx, m.readerB, 100); err != nil {
		t.Fatal(err)
	}
}

// subscribedToB is client A and client B each holding an active
// subscription to reader B (LIV-3).
func subscribedToB(t *testing.T, m *authzWorld) {
	t.Helper()
	subscriptionsToB(t, m)
	for _, u := range []account.User{m.client, m.clientB} {
		if _, _, err := m.s.App.Live.Subscribe(ctx, u, m.readerB.ID); err != nil {
			t.Fatal(err)
		}
	}
}
