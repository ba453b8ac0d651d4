// Package postgres is the Store for several nodes: PostgreSQL through pgx,
// the field's standard Go driver, over the SQL it shares with sqlite/
// (sqlstore). Many writers run at once; each change holds the rows it
// decides on (FOR NO KEY UPDATE), and the queue moves one head at a time
// under a per-site advisory lock, given back before each commit.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"outputdesk/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Advisory lock keys: one for migrations, one namespace for site queues.
const (
	migrationLockKey = 720_131_001
	queueLockSpace   = 720_131
)

// Dialect is PostgreSQL's.
var Dialect = sqlstore.Dialect{
	Name:          "postgres",
	Numbered:      true,
	LockChat:      "FOR NO KEY UPDATE OF c",
	LockRow:       "FOR NO KEY UPDATE",
	LockQueue:     fmt.Sprintf("SELECT pg_advisory_lock(%d, CAST(? AS integer))", queueLockSpace),
	UnlockQueue:   fmt.Sprintf("SELECT pg_advisory_unlock(%d, CAST(? AS integer))", queueLockSpace),
	SkipLocked:    "SKIP LOCKED",
	MigrationLock: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
	WaitingQuery:  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
	IsUnique: func(err error) bool {
		var pg *pgconn.PgError
		return errors.As(err, &pg) && pg.Code == "23505"
	},
}

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://).
func IsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql")
}

// Open connects to the database at dbURL and applies pending migrations;
// two nodes starting at once migrate one after the other.
func Open(ctx context.Context, dbURL string) (*sqlstore.DB, error) {
	dbURL, conns, err := poolSize(dbURL)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	s, err := sqlstore.New(ctx, Dialect, db, db, sub)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := warm(ctx, db, conns); err != nil {
		s.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	return s, nil
}

// warm opens the pool's connections now, and has each read the tables
// every chat change reads, rather than on the path of the node's first
// requests: a fresh connection is set up, and its server process loads
// those tables' catalog entries, on first use (tens of ms a connection).
func warm(ctx context.Context, db *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close() // back to the pool, which keeps n idle
		}
	}()
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		if _, err := c.ExecContext(ctx, warmQuery); err != nil {
			return err
		}
	}
	return nil
}

// warmQuery plans reads of the tables a chat change and a message touch,
// by their keys, and returns nothing.
const warmQuery = `SELECT 1 FROM chats c
	JOIN visitors v ON v.id = c.visitor_id
	LEFT JOIN operators o ON o.id = c.operator_id
	LEFT JOIN messages m ON m.chat_id = c.id AND m.seq = c.last_seq
	LEFT JOIN invitations i ON i.visitor_id = v.id AND i.state = 'open'
	WHERE c.id = 0`

// DefaultPoolSize is how many connections a node opens at most, unless
// the URL says otherwise.
const DefaultPoolSize = 16

// poolSize takes pool_max_conns (the name pgxpool gives it) out of the URL:
// the most connections this node opens. Several nodes share the server's
// max_connections (100 by default), so a cluster may need fewer each.
func poolSize(dbURL string) (string, int, error) {
	u, err := url.Parse(dbURL)
	if err != nil || !u.Query().Has("pool_max_conns") {
		return dbURL, DefaultPoolSize, nil // pgx reports a bad URL
	}
	q := u.Query()
	n, err := strconv.Atoi(q.Get("pool_max_conns"))
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("pool_max_conns must be a positive number, not %q", q.Get("pool_max_conns"))
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// Connect opens a plain pool to dbURL, for tools and tests that manage
// databases (CREATE DATABASE, DROP DATABASE).
func Connect(dbURL string) (*sql.DB, error) {
	dbURL, conns, err := poolSize(dbURL)
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(conns)
	return db, nil
}
