package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
)

func runCLI(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"SOULSEER_DATA_DIR": dir}
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String() + errOut.String(), err
}

// ACC-3: `soulseer user create` makes users of any role from the command
// line, and refuses a duplicate email or an unknown role.
func TestUserCreate(t *testing.T) {
	dir := t.TempDir()
	out, err := runCLI(t, dir, "user", "create", "--email", "root@example.com", "--password", "long-enough", "--role", "admin")
	if err != nil || !strings.Contains(out, "created admin root@example.com") {
		t.Fatalf("create: %v %s", err, out)
	}
	if _, err := runCLI(t, dir, "user", "create", "--email", "root@example.com", "--password", "long-enough"); err == nil {
		t.Fatal("a duplicate email was accepted")
	}
	if _, err := runCLI(t, dir, "user", "create", "--email", "x@example.com", "--password", "long-enough", "--role", "god"); err == nil {
		t.Fatal("an unknown role was accepted")
	}
}

// WAL-9: `soulseer reconcile` needs a month, and reports a month without
// top-ups as balanced.
func TestReconcileCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCLI(t, dir, "reconcile", "--month", "November"); err == nil {
		t.Fatal("a bad month was accepted")
	}
	out, err := runCLI(t, dir, "reconcile", "--month", "2026-10")
	if err != nil || !strings.Contains(out, "balanced") {
		t.Fatalf("empty month: %v\n%s", err, out)
	}
}

// WAL-3: `soulseer ledger verify` only checks. On a database without the
// current schema it refuses, naming `soulseer migrate`, and applies nothing;
// once migrated it verifies.
func TestLedgerVerifyRefusesOldSchema(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	d, err := db.Open(ctx, "", dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	applied := func() int {
		t.Helper()
		pending, err := d.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := db.Migrations(db.SQLite)
		return len(all) - len(pending)
	}

	out, err := runCLI(t, dir, "ledger", "verify")
	if err == nil || !strings.Contains(err.Error(), "soulseer migrate") {
		t.Fatalf("verify on an empty database: %v\n%s", err, out)
	}
	if n := applied(); n != 0 {
		t.Fatalf("verify applied %d migrations", n)
	}

	if out, err := runCLI(t, dir, "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := runCLI(t, dir, "ledger", "verify"); err != nil || !strings.Contains(out, "ledger OK") {
		t.Fatalf("verify after migrate: %v\n%s", err, out)
	}

	// One migration behind, as after upgrading the binary.
	all := applied()
	if _, err := d.Writer.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, dir, "ledger", "verify")
	if err == nil || !strings.Contains(err.Error(), "1 migration(s) not applied") || !strings.Contains(err.Error(), "soulseer migrate") {
		t.Fatalf("verify a migration behind: %v\n%s", err, out)
	}
	if n := applied(); n != all-1 {
		t.Fatalf("after verify %d migrations are applied, want %d", n, all-1)
	}
}
