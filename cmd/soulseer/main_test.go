package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
