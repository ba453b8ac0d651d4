// Package sqlstore is the Store over SQL that sqlite/ and postgres/ share:
// the same hand-written statements, the same holds and conditions, so a
// rule that holds on one holds on the other. A Dialect says what differs —
// placeholders, row locks, how a uniqueness violation looks.
//
// Every chat change reads the chat and holds it (FOR NO KEY UPDATE on
// PostgreSQL; SQLite lets one writer in at a time), lets desk decide, and
// applies the decision with an update conditioned on the version it read,
// checking that the update changed a row. Assignment holds the operator the
// same way and counts their active chats under that hold.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// Dialect is what differs between the SQL databases.
type Dialect struct {
	Name string
	// Numbered placeholders ($1, $2…) instead of ?.
	Numbered bool
	// LockChat is appended to a read of chats (alias c) that the change
	// goes on to update; LockRow to a read of one table without alias.
	// Empty where the database lets one writer in at a time.
	LockChat, LockRow string
	// LockQueue and UnlockQueue take and give back a site's queue (their
	// one ? is the site id): a move holds it from reading the waiting chats
	// until its decisions are applied — their operators held — so the
	// queue moves one move at a time, first come first served, however many
	// nodes move it. It is given back before the commit, so the next move
	// need not wait for the disk; that move passes over the chats still
	// held (SkipLocked). Empty where the database lets one writer in at a
	// time.
	LockQueue, UnlockQueue, SkipLocked string
	// MigrationLock, run first in the migration transaction, keeps two
	// nodes starting at once from migrating together.
	MigrationLock string
	// IsUnique reports whether err is a uniqueness violation.
	IsUnique func(err error) bool
	// OneWriter is set for a database that lets one writer in at a time:
	// its write transactions run on one goroutine, one after the other.
	OneWriter bool
	// WaitingQuery counts the database's transactions waiting for a lock
	// another holds (Waiting); without it, the store counts its own.
	WaitingQuery string
}

// DB is the Store over one database: w for writes, r for reads (the same
// pool on PostgreSQL; SQLite has one writer and a pool of readers).
type DB struct {
	d    Dialect
	w, r *sql.DB

	stmts     sync.Map // stmtKey → *sql.Stmt, prepared once and reused
	preparing sync.Map // stmtKey → true while prepareLater runs
	waiting   atomic.Int64
	writer    *oneWriter // with Dialect.OneWriter
	closed    atomic.Bool

	moveMu    sync.Mutex
	moveConn  *sql.Conn    // MoveQueue's own connection (many writers)
	moveWaits atomic.Int64 // moves waiting for another on this node

	obs atomic.Pointer[Observer] // the metrics (observe.go); nil: none
}

var (
	_ store.Store = (*DB)(nil)
	_ store.Waits = (*DB)(nil)
)

type stmtKey struct {
	db    *sql.DB
	query string
}

// New returns the Store over w and r after applying the pending migrations
// found in migrations (files NNNN_name.sql).
func New(ctx context.Context, d Dialect, w, r *sql.DB, migrations fs.FS) (*DB, error) {
	s := &DB{d: d, w: w, r: r}
	if d.OneWriter {
		s.writer = newOneWriter(w, &s.waiting)
	}
	if err := s.migrate(ctx, migrations); err != nil {
		if s.writer != nil {
			s.writer.close()
		}
		return nil, err
	}
	return s, nil
}

// Close closes the statements and both pools; closing again does nothing.
func (s *DB) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	if s.writer != nil {
		s.writer.close()
	}
	s.moveMu.Lock()
	if s.moveConn != nil {
		s.moveConn.Close()
	}
	s.moveMu.Unlock()
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	errs := []error{s.w.Close()}
	if s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	return errors.Join(errs...)
}

func (s *DB) Ping(ctx context.Context) error {
	var one int
	return s.read(ctx).row(`SELECT 1`).Scan(&one)
}

// Waiting is how many transactions wait for a hold another has.
func (s *DB) Waiting() int {
	n := int(s.moveWaits.Load())
	if s.d.WaitingQuery == "" {
		return n + int(s.waiting.Load())
	}
	var db int
	if err := s.r.QueryRow(s.d.WaitingQuery).Scan(&db); err != nil {
		return n
	}
	return n + db
}

// Writer is the write pool, for tools (copy-data) and tests.
func (s *DB) Writer() *sql.DB { return s.w }

// Dialect is the database's dialect.
func (s *DB) Dialect() Dialect { return s.d }

// held runs a step that may wait for another transaction's hold, counted
// for Waiting where the database cannot tell (see Dialect.WaitingQuery).
func (s *DB) held(fn func() error) error {
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	return fn()
}

// stmt is query prepared on db, once per database and query.
func (s *DB) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	key := stmtKey{db, query}
	if st, ok := s.stmts.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, s.rebind(query))
	if err != nil {
		return nil, fmt.Errorf("preparing %q: %w", query, err)
	}
	if prev, loaded := s.stmts.LoadOrStore(key, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// prepareLater prepares query on db in the background, once.
func (s *DB) prepareLater(db *sql.DB, query string) {
	key := stmtKey{db, query}
	if _, busy := s.preparing.LoadOrStore(key, true); busy {
		return
	}
	go func() {
		defer s.preparing.Delete(key)
		s.stmt(context.Background(), db, query) // an error here shows again when the statement runs
	}()
}

// rebind turns ? placeholders into $1, $2… where the dialect numbers them.
// Statements here never hold a ? inside a string literal.
// marks is n placeholders, comma-separated: an IN list's, or a row's.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// valueRows is n rows of width placeholders each: a multi-row VALUES.
func valueRows(n, width int) string {
	row := "(" + marks(width) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

func (s *DB) rebind(q string) string {
	if !s.d.Numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// run runs statements on a pool or inside a transaction.
type run struct {
	s   *DB
	ctx context.Context
	db  *sql.DB
	tx  *sql.Tx
	op  string // the Store method running them, when observed (observe.go)
}

func (s *DB) read(ctx context.Context) run  { return run{s: s, ctx: ctx, db: s.r, op: s.op()} }
func (s *DB) write(ctx context.Context) run { return run{s: s, ctx: ctx, db: s.w, op: s.op()} }

func (r run) prepared(query string) (*sql.Stmt, error) {
	if r.tx == nil {
		return r.s.stmt(r.ctx, r.db, query)
	}
	if st, ok := r.s.stmts.Load(stmtKey{r.db, query}); ok {
		return r.tx.StmtContext(r.ctx, st.(*sql.Stmt)), nil
	}
	// Preparing on the pool needs a free connection, and SQLite's one
	// writer is this transaction's: prepare for this transaction now, and
	// for the pool once the connection is free.
	r.s.prepareLater(r.db, query)
	return r.tx.PrepareContext(r.ctx, r.s.rebind(query))
}

func (r run) query(query string, args ...any) (*sql.Rows, error) {
	start := time.Now()
	st, err := r.prepared(query)
	if err != nil {
		r.observe(start, err)
		return nil, err
	}
	rows, err := st.QueryContext(r.ctx, args...)
	r.observe(start, err)
	return rows, err
}

// adhoc runs a query whose text varies with its arguments (lists with
// filters, IN lists): not prepared, so it does not fill the cache.
func (r run) adhoc(query string, args ...any) (rows *sql.Rows, err error) {
	start := time.Now()
	if r.tx != nil {
		rows, err = r.tx.QueryContext(r.ctx, r.s.rebind(query), args...)
	} else {
		rows, err = r.db.QueryContext(r.ctx, r.s.rebind(query), args...)
	}
	r.observe(start, err)
	return rows, err
}

// execAdhoc runs a write whose text varies with its arguments.
func (r run) execAdhoc(query string, args ...any) (res sql.Result, err error) {
	start := time.Now()
	if r.tx != nil {
		res, err = r.tx.ExecContext(r.ctx, r.s.rebind(query), args...)
	} else {
		res, err = r.db.ExecContext(r.ctx, r.s.rebind(query), args...)
	}
	r.observe(start, err)
	return res, err
}

// row is one result row, or the error that kept the query from running.
type row struct {
	r   *sql.Row
	err error
}

func (x row) Scan(dest ...any) error {
	if x.err != nil {
		return x.err
	}
	return x.r.Scan(dest...)
}

func (r run) row(query string, args ...any) row {
	start := time.Now()
	st, err := r.prepared(query)
	if err != nil {
		r.observe(start, err)
		return row{err: err}
	}
	x := st.QueryRowContext(r.ctx, args...)
	r.observe(start, x.Err()) // the query ran: Scan reads its first row
	return row{r: x}
}

func (r run) exec(query string, args ...any) (sql.Result, error) {
	start := time.Now()
	st, err := r.prepared(query)
	if err != nil {
		r.observe(start, err)
		return nil, err
	}
	res, err := st.ExecContext(r.ctx, args...)
	r.observe(start, err)
	return res, err
}

// exec1 runs a write that must touch exactly one row of what.
func (r run) exec1(what, query string, args ...any) error {
	res, err := r.exec(query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return desk.NotFound(what)
	}
	return nil
}

// tx runs fn in a write transaction: committed if fn returns nil, rolled
// back otherwise. Waiting for the writer (SQLite) counts as held.
func (s *DB) tx(ctx context.Context, fn func(r run) error) (err error) {
	op, start := s.op(), time.Now()
	var fnErr error
	work := func(tx *sql.Tx) error {
		fnErr = fn(run{s: s, ctx: ctx, db: s.w, tx: tx, op: op})
		return fnErr
	}
	defer func() { s.observeTx(op, start, err, fnErr) }()
	if s.writer != nil {
		return s.writer.do(ctx, work)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := work(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// migrate applies each migration not yet applied, in file-name order, all
// in one transaction that first takes the dialect's migration lock.
func (s *DB) migrate(ctx context.Context, migrations fs.FS) error {
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	return s.tx(ctx, func(r run) error {
		if s.d.MigrationLock != "" {
			if _, err := r.tx.ExecContext(ctx, s.d.MigrationLock); err != nil {
				return fmt.Errorf("migration lock: %w", err)
			}
		}
		if _, err := r.tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("migrations table: %w", err)
		}
		for _, name := range names {
			version, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
			if err != nil {
				return fmt.Errorf("migration %s: name must start with its number", name)
			}
			var done int
			if err := r.tx.QueryRowContext(ctx, s.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				continue
			}
			body, err := fs.ReadFile(migrations, name)
			if err != nil {
				return err
			}
			if _, err := r.tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := r.tx.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}
