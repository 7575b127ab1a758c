package db

import "database/sql"

// Row is what a scan function reads one row from: *sql.Row or *sql.Rows.
type Row interface{ Scan(dest ...any) error }

// Collect reads every row of rows with scan and closes rows. It returns
// an empty (not nil) slice when there are none, so JSON shows [].
func Collect[T any](rows *sql.Rows, scan func(Row) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
