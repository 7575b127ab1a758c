package db

import (
	"database/sql/driver"
	"reflect"
	"testing"
)

// $N placeholders become "?" with the arguments in placeholder order, except
// inside quotes and comments.
func TestRewritePlaceholders(t *testing.T) {
	cases := []struct {
		in, out string
		order   []int
	}{
		{"SELECT 1", "SELECT 1", nil},
		{"SELECT $1, $2", "SELECT ?, ?", []int{1, 2}},
		{"x = $2 AND y = $1 AND z = $2", "x = ? AND y = ? AND z = ?", []int{2, 1, 2}},
		{"SELECT '$1', \"$2\", $3 -- $4\n, $10", "SELECT '$1', \"$2\", ? -- $4\n, ?", []int{3, 10}},
		{"json_extract(x, '$.a') = $1", "json_extract(x, '$.a') = ?", []int{1}},
	}
	for _, c := range cases {
		out, order := rewrite(c.in)
		if out != c.out || !reflect.DeepEqual(order, c.order) {
			t.Errorf("rewrite(%q) = %q %v, want %q %v", c.in, out, order, c.out, c.order)
		}
	}
	args := []driver.NamedValue{{Ordinal: 1, Value: "a"}, {Ordinal: 2, Value: "b"}}
	got, err := reorder(args, []int{2, 1, 2})
	if err != nil || got[0].Value != "b" || got[1].Value != "a" || got[2].Value != "b" || got[2].Ordinal != 3 {
		t.Fatalf("reorder = %v, %v", got, err)
	}
	if _, err := reorder(args, []int{3}); err == nil {
		t.Fatal("a placeholder without an argument was accepted")
	}
}
