package db

import (
	"container/list"
	"context"
	"database/sql/driver"
)

// stmtCacheSize is how many prepared statements each SQLite connection
// keeps: SoulSeer runs a few hundred distinct statements.
const stmtCacheSize = 256

// maxCachedText is the longest statement text kept prepared. Longer texts
// are batches whose text grows with the batch: rarely run twice, large to
// keep, and parsed in a small fraction of the time they take to run.
const maxCachedText = 8 << 10

// stmtCache keeps a connection's most recently used statements prepared.
// Parsing and planning a statement costs SQLite more than running most of
// SoulSeer's, and the same texts run again and again. A connection is used
// by one goroutine at a time, so the cache needs no lock.
type stmtCache struct {
	byQuery map[string]*list.Element // of *cachedStmt
	recent  list.List                // most recently used first
}

// cachedStmt is a prepared statement in the cache. While rows read from it
// are open it is busy: running it again would reset those rows, so callers
// prepare a statement of their own instead.
type cachedStmt struct {
	text string
	stmt *sqliteStmt
	busy bool
}

// get returns the cached statement for query, preparing and caching it
// with prepare if need be, or nil when query should run on its own: its
// cached statement is busy or its text too long to keep.
func (c *stmtCache) get(query string, prepare func() (*sqliteStmt, error)) (*cachedStmt, error) {
	if len(query) > maxCachedText {
		return nil, nil
	}
	if e, ok := c.byQuery[query]; ok {
		c.recent.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	st, err := prepare()
	if err != nil {
		return nil, err
	}
	if c.byQuery == nil {
		c.byQuery = make(map[string]*list.Element, stmtCacheSize)
	}
	cs := &cachedStmt{text: query, stmt: st}
	c.byQuery[query] = c.recent.PushFront(cs)
	c.evict()
	return cs, nil
}

// evict closes the least recently used statements that are not busy until
// the cache holds at most stmtCacheSize.
func (c *stmtCache) evict() {
	for e := c.recent.Back(); e != nil && c.recent.Len() > stmtCacheSize; {
		prev := e.Prev()
		if cs := e.Value.(*cachedStmt); !cs.busy {
			c.recent.Remove(e)
			delete(c.byQuery, cs.text)
			cs.stmt.Close()
		}
		e = prev
	}
}

// close closes every cached statement.
func (c *stmtCache) close() {
	for e := c.recent.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.recent.Init()
	c.byQuery = nil
}

// exec runs the cached statement.
func (cs *cachedStmt) exec(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return cs.stmt.ExecContext(ctx, args)
}

// query runs the cached statement, which stays busy until the rows close.
func (cs *cachedStmt) query(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, stmt: cs}, nil
}

// cachedRows are rows of a cached statement; closing them frees it.
type cachedRows struct {
	driver.Rows
	stmt *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.stmt.busy = false
	return err
}
