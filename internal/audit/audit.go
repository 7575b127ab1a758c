// Package audit records who did what to which object, for payouts, refunds,
// adjustments and every admin action (SEC-4). Records are written in the same
// transaction as the change they describe, so an action without its record
// cannot exist.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/db"
)

// Entry is one audit record.
type Entry struct {
	ID        int64
	ActorID   int64 // 0 when the system acted (a job, a webhook)
	ActorName string
	Action    string // e.g. "user.set_role", "reader.verify", "wallet.refund"
	Model     string // e.g. "user", "reader_profile", "transfer"
	ObjectID  string
	Details   map[string]any
	At        time.Time
}

// Record writes e inside the caller's transaction.
func Record(ctx context.Context, q db.Querier, e Entry) error {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	b, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit: encode details: %w", err)
	}
	var actor any
	if e.ActorID != 0 {
		actor = e.ActorID
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log (actor_id, action, model, object_id, details, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, actor, e.Action, e.Model, e.ObjectID, string(b), db.Millis(e.At))
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Filter narrows a listing of the audit log. Zero fields match everything.
type Filter struct {
	ActorID  int64
	Action   string // prefix match, e.g. "wallet." for every wallet action
	Model    string
	ObjectID string
	From, To time.Time
	Limit    int
	Offset   int
}

// Validate checks the filter: the action prefix is a search term of at most
// db.MaxSearchLen characters.
func (f Filter) Validate() error {
	fields := map[string]string{}
	db.CheckSearch(fields, "action", f.Action)
	return apperr.Validation(fields)
}

// List returns matching records, newest first.
func List(ctx context.Context, q db.Querier, f Filter) ([]Entry, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ActorID != 0 {
		add("a.actor_id = $%d", f.ActorID)
	}
	if f.Action != "" {
		// ESCAPE is explicit: PostgreSQL escapes with a backslash by
		// default, SQLite has no escape character unless told.
		add(`a.action LIKE $%d ESCAPE '\'`, strings.NewReplacer(`\`, `\\`, "%", "", "_", `\_`).Replace(f.Action)+"%")
	}
	if f.Model != "" {
		add("a.model = $%d", f.Model)
	}
	if f.ObjectID != "" {
		add("a.object_id = $%d", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("a.created_at >= $%d", db.Millis(f.From))
	}
	if !f.To.IsZero() {
		add("a.created_at < $%d", db.Millis(f.To))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	query := `SELECT a.id, COALESCE(a.actor_id, 0), COALESCE(u.display_name, ''), a.action, a.model, a.object_id, a.details, a.created_at
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY a.id DESC LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var details string
		var at int64
		if err := rows.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.Action, &e.Model, &e.ObjectID, &details, &at); err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		e.At = db.Time(at)
		_ = json.Unmarshal([]byte(details), &e.Details)
		out = append(out, e)
	}
	return out, rows.Err()
}
