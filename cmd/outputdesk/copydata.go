package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"outputdesk/internal/datadir"
	"outputdesk/internal/store/postgres"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/store/sqlstore"
)

// copyDataOptions are copy-data's flags.
type copyDataOptions struct {
	DataDir string // holds the SQLite database to copy
	To      string // the empty PostgreSQL database to copy into
}

const copyDataAbout = `Usage: outputdesk copy-data --to postgres://USER:PASSWORD@HOST:5432/DBNAME [--data-dir DIR]

Copies an Output Desk kept in SQLite (DIR/outputdesk.db) into an empty
PostgreSQL database, for an install that outgrows one machine: accounts,
settings, rules, visitors, page views, chats, messages, sessions and
invitations, with their ids. It checks that every table holds as many rows
in both, and changes nothing in PostgreSQL unless the whole copy succeeds.
The database named by --to must exist and hold no data: create it with
CREATE DATABASE, and do not start a server on it first.

Stop the server before copying: what it writes during the copy is not copied.
Then start it with --database-url and the same URL. The SQLite file is read,
not changed (but for pending migrations, which the server would apply too).

Flags:
`

// parseCopyData reads copy-data's flags. --data-dir defaults as the
// server's does, OUTPUTDESK_DATA_DIR included; --to has no environment
// twin: OUTPUTDESK_DATABASE_URL, set for the server, must not choose the
// target of a copy by accident.
func parseCopyData(args []string, getenv func(string) string, out io.Writer) (copyDataOptions, error) {
	var o copyDataOptions
	fs := flag.NewFlagSet("outputdesk copy-data", flag.ContinueOnError)
	fs.SetOutput(out)
	dataDirFlag(fs, &o.DataDir, getenv, "directory holding the SQLite database to copy")
	fs.StringVar(&o.To, "to", "", "the empty PostgreSQL database to copy into, a postgres:// URL (required; never taken from the environment)")
	setUsage(fs, out, copyDataAbout)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.To == "":
		return o, errors.New("--to is required: the postgres:// URL of the empty database to copy into")
	case !postgres.IsURL(o.To):
		return o, errors.New("--to must be a postgres:// URL")
	case o.DataDir == "":
		return o, errors.New("--data-dir must not be empty")
	}
	return o, nil
}

// copyDataMain runs `outputdesk copy-data` and returns the exit code: 2 for
// bad arguments, 1 if the copy failed or the counts differ.
func copyDataMain(args []string) int {
	o, err := parseCopyData(args, os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "outputdesk copy-data:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := copyData(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "outputdesk copy-data:", err)
		return 1
	}
	return 0
}

// copyData copies the data dir's SQLite database into o.To, printing
// progress to progress and the report to out.
func copyData(ctx context.Context, o copyDataOptions, out, progress io.Writer) error {
	path := filepath.Join(o.DataDir, databaseFile)
	// sqlite.Open would create a missing file: an empty copy is no copy
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no Output Desk database at %s (is --data-dir right?): %w", path, err)
	}
	// The server must be stopped: a copy taken while it writes would not
	// be one moment's. Holding the data dir also keeps it from starting.
	lock, err := datadir.Acquire(o.DataDir)
	if err != nil {
		return fmt.Errorf("%w (copy-data needs the server stopped)", err)
	}
	defer lock.Release()
	src, err := sqlite.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, o.To)
	if err != nil {
		return fmt.Errorf("opening the target: %w", err)
	}
	defer dst.Close()
	target := redacted(o.To)
	fmt.Fprintf(progress, "copying %s into %s\n", path, target)
	rep, err := sqlstore.Copy(ctx, src, dst, progress)
	if rep.Elapsed > 0 { // every table was copied and counted
		rep.WriteTo(out)
	}
	if err != nil {
		return fmt.Errorf("%w (the target was left as it was)", err)
	}
	fmt.Fprintf(out, "Every table copied and counted. Start the server with --database-url %s\n", target)
	return nil
}

// redacted is the URL without its password, fit for a terminal.
func redacted(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "the target"
	}
	return u.Redacted()
}
