package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The copy is one snapshot: it holds what was committed (still in the WAL
// here), not what a writer holds uncommitted while the copy is taken, and
// the writer is not waited for.
func TestBackupIsASnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "outputdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := s.Writer()
	if _, err := w.ExecContext(ctx, `CREATE TABLE probe (v TEXT); INSERT INTO probe VALUES ('committed')`); err != nil {
		t.Fatal(err)
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO probe VALUES ('uncommitted')`); err != nil {
		t.Fatal(err)
	}

	dest := filepath.Join(dir, "backup.db")
	if err := Backup(ctx, filepath.Join(dir, "outputdesk.db"), dest); err != nil {
		t.Fatalf("Backup while a write transaction is open: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the copy: %v, %v; want mode 0600", fi, err)
	}
	if got := probe(t, dest); len(got) != 1 || got[0] != "committed" {
		t.Errorf("the copy holds %q, want only the committed row", got)
	}
}

// probe checks the copy at path and returns its probe rows.
func probe(t *testing.T, path string) []string {
	t.Helper()
	c, err := sql.Open("sqlite", readOnly(path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var check string
	if err := c.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q, %v", check, err)
	}
	rows, err := c.Query("SELECT v FROM probe")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		got = append(got, v)
	}
	return got
}

// Any file names will do, with the characters of SQLite's URIs among them.
func TestBackupPathsAreNotURIs(t *testing.T) {
	ctx := context.Background()
	plain := filepath.Join(t.TempDir(), "plain")
	if err := os.Mkdir(plain, 0o750); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, filepath.Join(plain, "outputdesk.db"))
	if err == nil {
		_, err = s.Writer().ExecContext(ctx, `CREATE TABLE probe (v TEXT); INSERT INTO probe VALUES ('here')`)
		s.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	// Open itself takes its path as a URI, so the odd name comes after.
	odd := filepath.Join(filepath.Dir(plain), "data #1 ?mode=memory&x=%41")
	if err := os.Rename(plain, odd); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(odd, "copy #2?x=%41.db")
	if err := Backup(ctx, filepath.Join(odd, "outputdesk.db"), dest); err != nil {
		t.Fatal(err)
	}
	if got := probe(t, dest); len(got) != 1 || got[0] != "here" {
		t.Errorf("the copy holds %q", got)
	}
}

// An existing file is refused with os.ErrExist and left alone; a missing
// database is refused and not created.
func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "outputdesk.db")
	dest := filepath.Join(dir, "b.db")
	if err := Backup(ctx, db, dest); err == nil {
		t.Error("Backup of a missing database succeeded")
	}
	for _, p := range []string{db, dest} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after backing up a missing database (%v)", filepath.Base(p), err)
		}
	}

	s, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.WriteFile(dest, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Backup(ctx, db, dest); !errors.Is(err, os.ErrExist) {
		t.Errorf("Backup onto an empty existing file: err = %v, want os.ErrExist", err)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Size() != 0 {
		t.Errorf("the existing file was changed: %v, %v", fi, err)
	}
}

// A data dir whose path looks like a URI's query or fragment opens that
// file: the server's database and a backup of it are the same file's.
func TestOpenPathIsNotAURI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data #1 ?mode=memory&x=%20")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "outputdesk.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at %s: %v", path, err)
	}
}
