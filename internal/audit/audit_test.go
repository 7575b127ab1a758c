package audit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/soulseer/soulseer/internal/audit"
	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// SEC-4: records keep actor, action, model, object, details and time; the
// listing filters by each (action by prefix, with _ and % taken literally),
// by time range, and pages newest first.
func TestRecordAndList_SEC4(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var admin, other int64
		for _, u := range []struct {
			dst   *int64
			email string
			name  string
		}{{&admin, "admin@example.com", "Ada Admin"}, {&other, "other@example.com", "Otto"}} {
			if err := d.Writer.QueryRowContext(ctx, `INSERT INTO users (email, display_name, role, created_at, updated_at) VALUES ($1, $2, 'admin', 0, 0) RETURNING id`,
				u.email, u.name).Scan(u.dst); err != nil {
				t.Fatal(err)
			}
		}
		records := []audit.Entry{
			{ActorID: admin, Action: "user.set_role", Model: "user", ObjectID: "7", Details: map[string]any{"from": "client", "to": "reader"}, At: t0},
			{ActorID: admin, Action: "reader.verify", Model: "reader_profile", ObjectID: "7", At: t0.Add(time.Hour)},
			{ActorID: other, Action: "reader.kyc", Model: "reader_profile", ObjectID: "8", Details: map[string]any{"to": "approved"}, At: t0.Add(2 * time.Hour)},
			{Action: "user.setXrole", Model: "user", ObjectID: "9", At: t0.Add(3 * time.Hour)},
			{Action: "readers.x", Model: "job", ObjectID: "1", At: t0.Add(24 * time.Hour)},
		}
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for _, e := range records {
				if err := audit.Record(ctx, tx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A record written in a rolled-back transaction does not exist.
		_ = d.Tx(ctx, func(tx *db.Tx) error {
			if err := audit.Record(ctx, tx, audit.Entry{Action: "ghost", Model: "x", ObjectID: "1", At: t0}); err != nil {
				t.Fatal(err)
			}
			return context.Canceled
		})

		all, err := audit.List(ctx, d.Read(), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 5 {
			t.Fatalf("%d records, want 5", len(all))
		}
		first := all[4]
		if first.ActorID != admin || first.ActorName != "Ada Admin" || first.Action != "user.set_role" || first.Model != "user" ||
			first.ObjectID != "7" || first.Details["from"] != "client" || first.Details["to"] != "reader" || !first.At.Equal(t0) {
			t.Fatalf("record = %+v", first)
		}
		system := all[1]
		if system.ActorID != 0 || system.ActorName != "" || system.Details == nil || len(system.Details) != 0 {
			t.Fatalf("system record = %+v (want no actor, empty details)", system)
		}

		actions := func(f audit.Filter) []string {
			t.Helper()
			es, err := audit.List(ctx, d.Read(), f)
			if err != nil {
				t.Fatalf("list %+v: %v", f, err)
			}
			out := []string{}
			for _, e := range es {
				out = append(out, e.Action)
			}
			return out
		}
		cases := []struct {
			name string
			f    audit.Filter
			want []string
		}{
			{"newest first", audit.Filter{}, []string{"readers.x", "user.setXrole", "reader.kyc", "reader.verify", "user.set_role"}},
			{"exact action with underscore", audit.Filter{Action: "user.set_role"}, []string{"user.set_role"}},
			{"underscore is literal", audit.Filter{Action: "user.set_"}, []string{"user.set_role"}},
			{"prefix", audit.Filter{Action: "reader."}, []string{"reader.kyc", "reader.verify"}},
			{"percent is not a wildcard", audit.Filter{Action: "%.kyc"}, []string{}},
			{"backslash is literal", audit.Filter{Action: `user\`}, []string{}},
			{"actor", audit.Filter{ActorID: other}, []string{"reader.kyc"}},
			{"model", audit.Filter{Model: "reader_profile"}, []string{"reader.kyc", "reader.verify"}},
			{"object", audit.Filter{ObjectID: "7"}, []string{"reader.verify", "user.set_role"}},
			{"model and object", audit.Filter{Model: "user", ObjectID: "7"}, []string{"user.set_role"}},
			{"from is inclusive", audit.Filter{From: t0.Add(time.Hour)}, []string{"readers.x", "user.setXrole", "reader.kyc", "reader.verify"}},
			{"to is exclusive", audit.Filter{To: t0.Add(2 * time.Hour)}, []string{"reader.verify", "user.set_role"}},
			{"range", audit.Filter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []string{"reader.kyc", "reader.verify"}},
			{"limit", audit.Filter{Limit: 2}, []string{"readers.x", "user.setXrole"}},
			{"offset", audit.Filter{Limit: 2, Offset: 2}, []string{"reader.kyc", "reader.verify"}},
		}
		for _, c := range cases {
			if got := actions(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}

		// Deleting the actor keeps the record without the link.
		if _, err := d.Writer.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, other); err != nil {
			t.Fatal(err)
		}
		kyc, _ := audit.List(ctx, d.Read(), audit.Filter{Action: "reader.kyc"})
		if len(kyc) != 1 || kyc[0].ActorID != 0 || kyc[0].Details["to"] != "approved" {
			t.Fatalf("record after its actor was deleted = %+v", kyc)
		}
	})
}
