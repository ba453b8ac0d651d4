package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/store/postgres/pgtest"

	"outputdesk/internal/datadir"
	"outputdesk/internal/desk"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/store/sqlstore"
)

func TestParseCopyData(t *testing.T) {
	const pg = "postgres://od@db.internal:5432/outputdesk"
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    copyDataOptions
		wantErr string
	}{
		{name: "defaults as the server", args: []string{"--to", pg}, want: copyDataOptions{DataDir: "./outputdesk-data", To: pg}},
		{name: "data dir from the environment", args: []string{"--to", pg}, env: map[string]string{"OUTPUTDESK_DATA_DIR": "/srv/od"},
			want: copyDataOptions{DataDir: "/srv/od", To: pg}},
		{name: "the flag wins over the environment", args: []string{"--data-dir", "here", "--to=" + pg}, env: map[string]string{"OUTPUTDESK_DATA_DIR": "/srv/od"},
			want: copyDataOptions{DataDir: "here", To: pg}},
		{name: "postgresql scheme", args: []string{"--to", "postgresql://h/db"}, want: copyDataOptions{DataDir: "./outputdesk-data", To: "postgresql://h/db"}},
		{name: "no target", wantErr: "--to is required"},
		{name: "the server's database URL is not a target", env: map[string]string{"OUTPUTDESK_DATABASE_URL": pg}, wantErr: "--to is required"},
		{name: "not PostgreSQL", args: []string{"--to", "mysql://h/db"}, wantErr: "postgres:// URL"},
		{name: "a file path", args: []string{"--to", "/tmp/x.db"}, wantErr: "postgres:// URL"},
		{name: "empty data dir", args: []string{"--to", pg, "--data-dir", ""}, wantErr: "--data-dir"},
		{name: "stray argument", args: []string{"--to", pg, "now"}, wantErr: `unexpected argument "now"`},
		{name: "unknown flag", args: []string{"--from", "x"}, wantErr: "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			got, err := parseCopyData(tc.args, func(k string) string { return tc.env[k] }, &out)
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

func TestCopyDataHelp(t *testing.T) {
	var out strings.Builder
	_, err := parseCopyData([]string{"--help"}, func(string) string { return "" }, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"outputdesk copy-data --to postgres://", "--data-dir (default ./outputdesk-data)", "OUTPUTDESK_DATA_DIR", "empty", "--database-url"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSubcommand(t *testing.T) {
	if _, ok := subcommand([]string{"copy-data", "--help"}); !ok {
		t.Error("copy-data is not dispatched")
	}
	for _, args := range [][]string{nil, {"--addr", "copy-data"}, {"copy"}} {
		if _, ok := subcommand(args); ok {
			t.Errorf("%q is taken for a subcommand; it is the server's", args)
		}
	}
}

func TestRedacted(t *testing.T) {
	if got := redacted("postgres://od:s3cret@h:5432/db?sslmode=disable"); strings.Contains(got, "s3cret") || !strings.Contains(got, "od:") {
		t.Errorf("redacted = %q", got)
	}
}

func TestCopyDataMissingSource(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nothing-here")
	err := copyData(context.Background(), copyDataOptions{DataDir: dir, To: "postgres://127.0.0.1:1/none"}, &strings.Builder{}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "no Output Desk database") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a copy from a missing data dir created it (%v)", err)
	}
}

// TestCopyData runs the command's copy on a small install, then again into
// the now full target, which it refuses.
func TestCopyData(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, err := sqlite.Open(ctx, filepath.Join(dir, "outputdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	site, err := src.EnsureSite(ctx, desk.Site{Key: "pk_x", Name: "X", AllowedOrigins: []string{"*"}, CreatedAt: time.Now()},
		desk.Settings{ChatRule: desk.ChatRuleManual, InactivityTimeout: time.Minute, LeftTimeout: time.Minute})
	if err == nil {
		_, err = src.CreateOperator(ctx, desk.Operator{SiteID: site.ID, Name: "Ada", Email: "ada@x.test", Role: desk.RoleAdmin, PriorityLevel: 1, Status: desk.StatusOnline})
	}
	if err != nil {
		t.Fatal(err)
	}
	src.Close()

	o := copyDataOptions{DataDir: dir, To: pgtest.Database(t)}
	var out, progress strings.Builder
	if err := copyData(ctx, o, &out, &progress); err != nil {
		t.Fatalf("copy-data: %v\n%s", err, progress.String())
	}
	for _, want := range []string{"sites", "operators", "messages", "2 rows in", "--database-url"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	err = copyData(ctx, o, &out, &progress)
	if !errors.Is(err, sqlstore.ErrTargetNotEmpty) {
		t.Fatalf("copying again into the full target: err = %v, want ErrTargetNotEmpty", err)
	}
}

// copy-data needs the server stopped: on a data dir a server holds it
// refuses, before opening the database.
func TestCopyDataRefusesARunningServersDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "outputdesk.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	lock, err := datadir.Acquire(dir) // as the running server holds it
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	err = copyData(context.Background(), copyDataOptions{DataDir: dir, To: "postgres://127.0.0.1:1/none"}, &strings.Builder{}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "is using the data dir") || !strings.Contains(err.Error(), "copy-data needs the server stopped") {
		t.Fatalf("err = %v", err)
	}
}
