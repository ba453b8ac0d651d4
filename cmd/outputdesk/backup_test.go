package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"outputdesk/internal/store/sqlite"
)

// A backup taken while the server runs holds what the server wrote through
// its API (still in the WAL: a copy of outputdesk.db alone would not), is
// a sound database, and restored into a fresh data dir serves the same
// log-in. Meanwhile the server serves on.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir)
	srv.createFirstAdmin()

	file := filepath.Join(t.TempDir(), "od-backup.db")
	code, stdout, stderr := runOutputdesk(t, nil, "backup", "--data-dir", dir, file)
	if code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, stderr)
	}
	db := filepath.Join(dir, "outputdesk.db")
	for _, want := range []string{"Copied " + db + " into " + file, "checked", "stop the server", db + "-wal", "copy " + file + " to " + db} {
		if !strings.Contains(stdout, want) {
			t.Errorf("backup said:\n%s\nwithout %q", stdout, want)
		}
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the copy: %v, %v; want mode 0600 (it holds password hashes)", fi, err)
	}
	checkCopy(t, file)
	srv.mustHealthy()

	restored := t.TempDir()
	copyFile(t, file, filepath.Join(restored, "outputdesk.db"))
	if code := startServer(t, restored).logIn(); code != http.StatusOK {
		t.Errorf("log-in on the restored copy: %d, want 200", code)
	}
}

// checkCopy opens the copy with the driver: SQLite finds it sound and it
// holds the admin.
func checkCopy(t *testing.T, file string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q, %v", check, err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM operators WHERE email = ?", adminEmail).Scan(&n); err != nil || n != 1 {
		t.Errorf("admins in the copy: %d, %v; want 1", n, err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// A backup onto an existing file, empty or not, fails and leaves it as it
// was.
func TestBackupRefusesExistingFile(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir)
	srv.createFirstAdmin()
	for name, content := range map[string]string{"full": "yesterday's backup", "empty": ""} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "exists.db")
			if err := os.WriteFile(file, []byte(content), 0o640); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runOutputdesk(t, nil, "backup", "--data-dir", dir, file)
			if code == 0 || !strings.Contains(stderr, file+" exists already") {
				t.Errorf("exit %d, stderr:\n%s", code, stderr)
			}
			if b, err := os.ReadFile(file); err != nil || string(b) != content {
				t.Errorf("the existing file now holds %d bytes, %.20q… (%v); was %q", len(b), b, err, content)
			}
		})
	}
}

// On PostgreSQL, by flag or environment, backup says to use pg_dump and
// writes nothing.
func TestBackupOnPostgreSQLRefuses(t *testing.T) {
	const url = "postgres://od:secret@127.0.0.1:1/outputdesk"
	for name, tc := range map[string]struct {
		env  []string
		args []string
	}{
		"flag":        {args: []string{"--database-url", url}},
		"environment": {env: []string{"OUTPUTDESK_DATABASE_URL=" + url}},
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "pg.db")
			code, _, stderr := runOutputdesk(t, tc.env, append(append([]string{"backup"}, tc.args...), file)...)
			if code == 0 || !strings.Contains(stderr, "PostgreSQL") || !strings.Contains(stderr, "pg_dump") {
				t.Errorf("exit %d, stderr:\n%s", code, stderr)
			}
			if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("backup on PostgreSQL wrote %s (%v)", file, err)
			}
		})
	}
}

// Without a database in the data dir, backup says so and creates neither
// the database nor the copy.
func TestBackupWithoutDatabase(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "b.db")
	err := backup(context.Background(), backupOptions{DataDir: dir, File: file}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "no Output Desk database at "+filepath.Join(dir, "outputdesk.db")) {
		t.Fatalf("err = %v", err)
	}
	for _, p := range []string{file, filepath.Join(dir, "outputdesk.db")} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was created (%v)", p, err)
		}
	}
	// and the store's Backup, given the path itself, refuses alike
	if err := sqlite.Backup(context.Background(), filepath.Join(dir, "outputdesk.db"), file); err == nil {
		t.Error("sqlite.Backup of a missing database succeeded")
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was created (%v)", file, err)
	}
}

func TestParseBackup(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    backupOptions
		wantErr string
	}{
		{name: "defaults as the server", args: []string{"b.db"}, want: backupOptions{DataDir: "./outputdesk-data", File: "b.db"}},
		{name: "flags after the file", args: []string{"b.db", "--data-dir", "/srv/od"}, want: backupOptions{DataDir: "/srv/od", File: "b.db"}},
		{name: "data dir from the environment", args: []string{"b.db"}, env: map[string]string{"OUTPUTDESK_DATA_DIR": "/srv/od"},
			want: backupOptions{DataDir: "/srv/od", File: "b.db"}},
		{name: "database URL from the environment", args: []string{"b.db"}, env: map[string]string{"OUTPUTDESK_DATABASE_URL": "postgres://h/db"},
			want: backupOptions{DataDir: "./outputdesk-data", DatabaseURL: "postgres://h/db"}},
		{name: "no file", wantErr: "give the FILE"},
		{name: "two files", args: []string{"a.db", "b.db"}, wantErr: `unexpected argument "b.db"`},
		{name: "empty data dir", args: []string{"--data-dir=", "b.db"}, wantErr: "--data-dir"},
		{name: "unknown flag", args: []string{"--to", "b.db"}, wantErr: "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseBackup(tc.args, func(k string) string { return tc.env[k] }, &strings.Builder{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestBackupHelp(t *testing.T) {
	var out strings.Builder
	env := map[string]string{"OUTPUTDESK_DATABASE_URL": "postgres://od:s3cret@h/db"}
	_, err := parseBackup([]string{"--help"}, func(k string) string { return env[k] }, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"outputdesk backup [--data-dir DIR] FILE", "while the server runs", "outputdesk.db-wal", "pg_dump", "OUTPUTDESK_DATA_DIR"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("help shows the database password:\n%s", out.String())
	}
	if _, ok := subcommand([]string{"backup", "b.db"}); !ok {
		t.Error("backup is not dispatched")
	}
}
