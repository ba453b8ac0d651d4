package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"outputdesk/internal/config"
	"outputdesk/internal/store/sqlite"
)

// databaseFile is the SQLite database's name in the data dir.
const databaseFile = "outputdesk.db"

// backupOptions are backup's flags and its one argument.
type backupOptions struct {
	DataDir     string // holds the SQLite database to copy
	DatabaseURL string // set: the records are in PostgreSQL, not ours to copy
	File        string // the new file to write
}

const backupAbout = `Usage: outputdesk backup [--data-dir DIR] FILE

Writes a consistent copy of the SQLite database DIR/outputdesk.db into FILE,
a new file, while the server runs: it holds every chat, message and setting
saved before the copy began, and nothing half-written. The server goes on
serving; the copy is read from the database, not from the server, so run it
on the server's machine with the server's --data-dir. An existing FILE is
refused, never overwritten.

To restore: stop the server, remove DIR/outputdesk.db-wal and
DIR/outputdesk.db-shm if they are there, put FILE in place of
DIR/outputdesk.db, and start the server.

With --database-url (or OUTPUTDESK_DATABASE_URL) the records are in
PostgreSQL: back them up with pg_dump, see docs/operations.md.

Flags:
`

// parseBackup reads backup's flags, which may come before or after FILE.
// --data-dir and --database-url default as the server's do, environment
// included, so that the command reads the server's database or says that
// it is PostgreSQL's to back up.
func parseBackup(args []string, getenv func(string) string, out io.Writer) (backupOptions, error) {
	var o backupOptions
	fs := flag.NewFlagSet("outputdesk backup", flag.ContinueOnError)
	fs.SetOutput(out)
	dataDirFlag(fs, &o.DataDir, getenv, "the server's data dir, holding "+databaseFile)
	fs.StringVar(&o.DatabaseURL, "database-url", getenv(config.EnvName("database-url")), "the server's PostgreSQL, if it uses one: then this command only says to use pg_dump (env "+config.EnvName("database-url")+")")
	setUsage(fs, out, backupAbout, "database-url")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case o.DatabaseURL != "":
		return o, nil // backupMain says what to do instead
	case len(files) == 0:
		return o, errors.New("give the FILE to write the copy into: outputdesk backup FILE")
	case len(files) > 1:
		return o, fmt.Errorf("unexpected argument %q: give one FILE", files[1])
	case o.DataDir == "":
		return o, errors.New("--data-dir must not be empty")
	}
	o.File = files[0]
	return o, nil
}

// errUsePGDump is backup's answer for a server on PostgreSQL.
var errUsePGDump = errors.New("the server keeps its records in PostgreSQL (--database-url), which this command does not copy: " +
	"back it up with pg_dump, e.g. pg_dump --format=custom --file outputdesk.dump \"$OUTPUTDESK_DATABASE_URL\" " +
	"(see docs/operations.md, \"Backup and restore\")")

// backupMain runs `outputdesk backup` and returns the exit code: 2 for bad
// arguments, 1 if no copy was made.
func backupMain(args []string) int {
	o, err := parseBackup(args, os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "outputdesk backup:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := backup(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "outputdesk backup:", err)
		return 1
	}
	return 0
}

// backup copies the data dir's database into o.File and says what it did
// and how to restore. It takes no data dir lock: the server runs meanwhile.
func backup(ctx context.Context, o backupOptions, out io.Writer) error {
	if o.DatabaseURL != "" {
		return errUsePGDump
	}
	dir, err := filepath.Abs(o.DataDir)
	if err != nil {
		return err
	}
	file, err := filepath.Abs(o.File)
	if err != nil {
		return err
	}
	db := filepath.Join(dir, databaseFile)
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("no Output Desk database at %s (is --data-dir right?): %w", db, err)
	}
	t0 := time.Now()
	err = sqlite.Backup(ctx, db, file)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists already; it was left as it was: give a new file name", file)
	}
	if err != nil {
		return err
	}
	size := int64(0)
	if fi, err := os.Stat(file); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(out, "Copied %s into %s: %s, consistent as of %s, checked (took %s).\n",
		db, file, bytesText(size), t0.Format(time.RFC3339), time.Since(t0).Round(time.Millisecond))
	fmt.Fprintf(out, "To restore it: stop the server, remove %[1]s-wal and %[1]s-shm if they exist, copy %[2]s to %[1]s, start the server.\n", db, file)
	return nil
}

// bytesText is a size for people.
func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
