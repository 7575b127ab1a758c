package privacy

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/soulseer/soulseer/internal/db"
	"github.com/soulseer/soulseer/internal/db/dbtest"
)

// SEC-1 SEC-2: where a person's data lives is written down for every
// table of the schema, on every engine, before the table ships: each
// table has its entry in Tables, naming columns it really has, the table
// it hangs from, and either the export file its rows go to or why they go
// to none; and every file of the export is some table's.
func TestTablesCoverSchema_SEC1(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		byName := map[string]Table{}
		for _, tb := range Tables() {
			if _, dup := byName[tb.Name]; dup {
				t.Errorf("%s is listed twice", tb.Name)
			}
			byName[tb.Name] = tb
		}
		schema := schemaTables(t, d)
		if len(schema) < 80 {
			t.Fatalf("only %d tables in the schema: %v", len(schema), schema)
		}
		for _, name := range schema {
			tb, ok := byName[name]
			if !ok {
				t.Errorf("table %s is not in privacy.Tables: say whose data it holds and which export file it goes to, or why none", name)
				continue
			}
			for _, col := range tb.People {
				if _, err := d.Read().ExecContext(ctx, "SELECT "+col+" FROM "+name+" WHERE 1 = 0"); err != nil {
					t.Errorf("%s.%s, one of its People, is not a column: %v", name, col, err)
				}
			}
		}
		files := map[string]bool{}
		for _, sec := range sections {
			files[sec.file] = false
		}
		for _, tb := range Tables() {
			if !slices.Contains(schema, tb.Name) && tb.Name != "forum_search" { // SQLite's search index only
				t.Errorf("privacy.Tables lists %s, which the schema does not have", tb.Name)
			}
			if (tb.File == "") == (tb.Left == "") {
				t.Errorf("%s: give either its export file or why it has none (file %q, left %q)", tb.Name, tb.File, tb.Left)
			}
			if _, ok := files[tb.File]; tb.File != "" && !ok {
				t.Errorf("%s goes to %s, which no section of the export writes", tb.Name, tb.File)
			}
			files[tb.File] = true
			if _, ok := byName[tb.Via]; tb.Via != "" && !ok {
				t.Errorf("%s hangs from %s, which is not listed", tb.Name, tb.Via)
			}
		}
		for f, used := range files {
			if f != "" && !used {
				t.Errorf("the export writes %s, which no table goes to", f)
			}
		}
	})
}

// schemaTables lists the database's tables, without the job queue's,
// the migrations' record and the search index's shadow tables.
func schemaTables(t *testing.T, d *db.DB) []string {
	return slices.DeleteFunc(dbtest.Tables(t, d), func(n string) bool {
		return strings.HasPrefix(n, "river_") || strings.HasPrefix(n, "forum_search_") || n == "schema_migrations"
	})
}
