package db_test

import (
	"context"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// Pending lists every migration on a database without SoulSeer's schema,
// none once migrated, and exactly the ones whose record is missing; reading
// it applies nothing.
func TestPending(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			url, dir := dbtest.URL(t, e)
			d, err := db.Open(ctx, url, dir, 4)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			all, err := db.Migrations(e)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if p, err := d.Pending(ctx); err != nil || len(p) != len(all) {
					t.Fatalf("pending on an empty database: %d of %d, %v", len(p), len(all), err)
				}
			}
			if err := d.Migrate(ctx, discard(), nil); err != nil {
				t.Fatal(err)
			}
			if p, err := d.Pending(ctx); err != nil || len(p) != 0 {
				t.Fatalf("pending after migrate: %v %v", p, err)
			}
			last := all[len(all)-1]
			if _, err := d.Writer.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = $1", last.Version); err != nil {
				t.Fatal(err)
			}
			if p, err := d.Pending(ctx); err != nil || len(p) != 1 || p[0].Name != last.Name {
				t.Fatalf("pending with %s unrecorded: %v %v", last.Name, p, err)
			}
		})
	}
}
