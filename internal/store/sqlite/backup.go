package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database at path into dest, a
// file that must not exist, while servers may be writing: SQLite's VACUUM
// INTO reads one snapshot of the database (the WAL included) in a single
// read transaction, so the copy holds every transaction committed before
// it began and none after, and never blocks a writer. The source is opened
// read-only and not migrated, never created. The copy is a plain database
// file, compacted, fsynced and checked with quick_check before Backup
// returns; a failed copy leaves no file behind.
func Backup(ctx context.Context, path, dest string) error {
	src, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("no database at %s: %w", src, err)
	}
	// Absolute, so SQLite never reads the name as a file: URI.
	if dest, err = filepath.Abs(dest); err != nil {
		return err
	}
	// Created here, empty, so that an existing file is refused in one step
	// and the copy gets the owner-only mode of a file holding password
	// hashes and session tokens: VACUUM INTO fills an empty file.
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	out.Close()
	if err := vacuumInto(ctx, src, dest); err != nil {
		os.Remove(dest)
		return err
	}
	return nil
}

func vacuumInto(ctx context.Context, src, dest string) error {
	db, err := sql.Open("sqlite", readOnly(src, "busy_timeout(10000)"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("copying %s: %w", src, err)
	}
	if err := syncFile(dest); err != nil {
		return err
	}
	return quickCheck(ctx, dest)
}

// syncFile makes the copy durable before it is reported: VACUUM INTO
// writes it without syncing.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// quickCheck opens the copy read-only, as a restore would find it.
func quickCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", readOnly(path))
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return fmt.Errorf("checking the copy: %w", err)
	}
	if res != "ok" {
		return errors.New("the copy fails SQLite's quick_check: " + res)
	}
	return nil
}

// readOnly is the URI that opens path read-only, never creating it, with
// the path escaped for SQLite's URI parser.
func readOnly(path string, pragmas ...string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return fileURI(path, q)
}
