package web_test

import (
	"strings"
	"testing"
	"time"
)

// noAutoReload waits for the cards being saved to be saved by the job
// queue, so no job writes while a later cell is checked, and then removes
// every auto-reload, so nobody's spending in later rows reloads a wallet
// (WAL-12).
func noAutoReload(t *testing.T, m *authzWorld) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var saving int
		if err := m.s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM auto_reloads WHERE setup_intent_id IS NOT NULL`).Scan(&saving); err != nil {
			t.Fatal(err)
		}
		if saving == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d cards are still being saved", saving)
		}
	}
	m.exec(t, `DELETE FROM auto_reloads`)
}

// cardPageOfA is {cardpage}: the test-mode page on which client A saves a
// card for the auto-reload they just asked for, A's alone (WAL-12).
func cardPageOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	noAutoReload(t, m)
	_, setup, err := m.s.App.Reloads.Set(ctx, m.client, 1000, 2500, "/wallet/auto-reload")
	if err != nil || setup == "" {
		t.Fatalf("A's card page: %q %v", setup, err)
	}
	m.vals["cardpage"] = setup[strings.LastIndex(setup, "/")+1:]
}
