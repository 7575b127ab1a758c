package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"
)

// SQLite reads "$1" as a *named* parameter, and both SQLite and its driver
// look each name up in a list on every use and bind — work that grows with
// the square of the parameters in a statement, which made a batch of 2,000
// billing charges spend most of its time binding. The connections below
// rewrite SoulSeer's "$N" placeholders to plain "?" (which SQLite numbers
// without names) and reorder the arguments to match, so store code keeps
// one SQL text for both engines.

// rewrite turns $N placeholders outside quotes and comments into "?" and
// returns, for each "?" in order, the 1-based $N it stands for. A query
// without $N is returned as it is, with a nil order.
func rewrite(query string) (string, []int) {
	if !strings.Contains(query, "$") {
		return query, nil
	}
	var b strings.Builder
	var order []int
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(query) && query[j] != c {
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '$' && i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(query[i+1 : j])
			order = append(order, n)
			b.WriteByte('?')
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	if order == nil {
		return query, nil
	}
	return b.String(), order
}

// reorder lays the arguments out in placeholder order.
func reorder(args []driver.NamedValue, order []int) ([]driver.NamedValue, error) {
	if order == nil {
		return args, nil
	}
	out := make([]driver.NamedValue, len(order))
	for i, n := range order {
		if n < 1 || n > len(args) {
			return nil, errors.New("db: placeholder $" + strconv.Itoa(n) + " has no argument")
		}
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: args[n-1].Value}
	}
	return out, nil
}

// sqliteConnector opens connections of the wrapped driver that rewrite
// placeholders.
type sqliteConnector struct {
	dsn string
	drv driver.Driver
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConn{conn: conn}, nil
}

func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// inner is what the modernc connection provides.
type inner interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type sqliteConn struct {
	conn  driver.Conn
	stmts stmtCache
}

func (c *sqliteConn) in() inner { return c.conn.(inner) }

func (c *sqliteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}
func (c *sqliteConn) Close() error {
	c.stmts.close()
	return c.conn.Close()
}
func (c *sqliteConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *sqliteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.in().BeginTx(ctx, opts)
}
func (c *sqliteConn) Ping(ctx context.Context) error         { return c.in().Ping(ctx) }
func (c *sqliteConn) ResetSession(ctx context.Context) error { return c.in().ResetSession(ctx) }
func (c *sqliteConn) IsValid() bool                          { return c.in().IsValid() }

// CheckNamedValue converts arguments as the wrapped driver would.
func (c *sqliteConn) CheckNamedValue(v *driver.NamedValue) error {
	if nc, ok := c.conn.(driver.NamedValueChecker); ok {
		return nc.CheckNamedValue(v)
	}
	return driver.ErrSkip
}

func (c *sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.prepare(ctx, query)
}

func (c *sqliteConn) prepare(ctx context.Context, query string) (*sqliteStmt, error) {
	q, order := rewrite(query)
	st, err := c.in().PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &sqliteStmt{Stmt: st, order: order}, nil
}

// ExecContext runs query through the connection's statement cache, or on
// its own while the cached statement is busy.
func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmts.get(query, func() (*sqliteStmt, error) { return c.prepare(ctx, query) })
	if err != nil {
		return nil, err
	}
	if cs != nil {
		return cs.exec(ctx, args)
	}
	q, order := rewrite(query)
	a, err := reorder(args, order)
	if err != nil {
		return nil, err
	}
	return c.in().ExecContext(ctx, q, a)
}

// QueryContext runs query through the connection's statement cache, or on
// its own while the cached statement is busy.
func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmts.get(query, func() (*sqliteStmt, error) { return c.prepare(ctx, query) })
	if err != nil {
		return nil, err
	}
	if cs != nil {
		return cs.query(ctx, args)
	}
	q, order := rewrite(query)
	a, err := reorder(args, order)
	if err != nil {
		return nil, err
	}
	return c.in().QueryContext(ctx, q, a)
}

// sqliteStmt is a prepared statement whose arguments are reordered like the
// connection's.
type sqliteStmt struct {
	driver.Stmt
	order []int
}

func (s *sqliteStmt) NumInput() int { return -1 }

func (s *sqliteStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	a, err := reorder(args, s.order)
	if err != nil {
		return nil, err
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, a)
}

func (s *sqliteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	a, err := reorder(args, s.order)
	if err != nil {
		return nil, err
	}
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, a)
}
