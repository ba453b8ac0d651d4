// Package sqlite is the embedded, single-node Store: pure-Go SQLite in WAL
// mode, over the SQL it shares with postgres/ (sqlstore). Writes go through
// one connection, so SQLite's single writer is a queue in Go rather than a
// busy loop; reads use a small pool of read-only connections.
package sqlite

import (
	"context"
	"embed"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"

	"database/sql"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"outputdesk/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect is SQLite's: ? placeholders, and no row locks, since a write
// transaction (BEGIN IMMEDIATE) holds the whole database.
var Dialect = sqlstore.Dialect{
	Name:      "sqlite",
	OneWriter: true,
	IsUnique:  func(err error) bool { return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") },
}

// fileURI is SQLite's URI for the file at an absolute path, escaped: a
// data dir named "data #1" or "a?b" opens that file, not another.
func fileURI(abs string, q url.Values) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String()
}

// Open opens (creating if needed) the database file at path and applies
// pending migrations.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dsn := func(extra ...string) string {
		q := url.Values{}
		for _, p := range append([]string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)", "wal_autocheckpoint(10000)"}, extra...) {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		return fileURI(abs, q)
	}
	w, err := sql.Open("sqlite", dsn())
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn("query_only(1)"))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	sub, _ := fs.Sub(migrations, "migrations")
	s, err := sqlstore.New(ctx, Dialect, w, r, sub)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return s, nil
}
