package web_test

import (
	"testing"
	"time"
)

// noExports waits for the exports being built to be finished by the job
// queue, so no build writes while a later cell is checked, and then
// removes every export, so each caller may ask for one (SEC-1).
func noExports(t *testing.T, m *authzWorld) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var building int
		if err := m.s.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM data_exports WHERE state = 'building'`).Scan(&building); err != nil {
			t.Fatal(err)
		}
		if building == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d exports are still being built", building)
		}
	}
	m.exec(t, `DELETE FROM data_exports`)
}

// exportOfA is {export}: the link to client A's export, built and ready,
// A's alone among the exports (SEC-1).
func exportOfA(t *testing.T, m *authzWorld) {
	t.Helper()
	noExports(t, m)
	e, err := m.s.App.Privacy.Start(ctx, m.client)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.s.App.Privacy.Build(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	st, err := m.s.App.Privacy.Status(ctx, m.client)
	if err != nil || st.Latest.DownloadURL == "" {
		t.Fatalf("A's export: %+v %v", st, err)
	}
	m.vals["export"] = st.Latest.DownloadURL
}
