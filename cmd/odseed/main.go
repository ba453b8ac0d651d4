// Command odseed fills a store with synthetic history — ended chats with
// their visitors and messages — so a benchmark measures the server on a
// store that is not empty (odload bench-store runs it before starting the
// server):
//
//	odseed --ended-chats 1000000 --data-dir DIR
//	odseed --ended-chats 1000000 --database-url postgres://…
//
// It makes sure the first site exists as the server would at its first
// start, adds five history operators (Offline, chat limit 0, unable to log
// in) and writes the chats in batched multi-row INSERTs. No chat is left
// open: routing, deadlines and the console see only history.
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

	"outputdesk/internal/store/postgres"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/store/sqlstore"
)

// options are odseed's flags.
type options struct {
	EndedChats  int
	DataDir     string
	DatabaseURL string
	// The first admin, created as the server would create it: on a store
	// with no operator yet. The server creates its first admin only on such
	// a store, so once the history operators exist it would not any more.
	AdminEmail, AdminPassword string
	// chunk is how many chats one transaction writes (tests make it small).
	chunk int
	// BenchReports, when above 0, times "Reports" for that many days
	// after seeding, beside a COUNT of the same chats (docs/performance.md).
	BenchReports, BenchRuns int
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "odseed:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "odseed:", err)
		os.Exit(1)
	}
}

// parseFlags reads the flags. The store is named by flag only, never by
// OUTPUTDESK_DATA_DIR or OUTPUTDESK_DATABASE_URL: a variable left in a
// shell must not send a million chats to the wrong database. The admin
// does take its environment twins, as the server does.
func parseFlags(args []string, getenv func(string) string, out io.Writer) (options, error) {
	o := options{chunk: 20_000}
	fs := flag.NewFlagSet("odseed", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&o.EndedChats, "ended-chats", -1, "how many ended chats to add (required)")
	fs.StringVar(&o.DataDir, "data-dir", "", "seed the SQLite database in this directory (created if missing)")
	fs.StringVar(&o.DatabaseURL, "database-url", "", "seed this PostgreSQL database instead (a postgres:// URL)")
	fs.StringVar(&o.AdminEmail, "admin-email", getenv("OUTPUTDESK_ADMIN_EMAIL"), "on a store with no operator, create this first admin, as the server would (env OUTPUTDESK_ADMIN_EMAIL)")
	fs.IntVar(&o.BenchReports, "bench-reports", 0, "after seeding, time the report for the last N days beside a COUNT of the same chats")
	fs.IntVar(&o.BenchRuns, "bench-runs", 5, "how many times --bench-reports runs each query")
	fs.StringVar(&o.AdminPassword, "admin-password", getenv("OUTPUTDESK_ADMIN_PASSWORD"), "the first admin's password (env OUTPUTDESK_ADMIN_PASSWORD)")
	fs.Usage = func() {
		fmt.Fprintln(out, "Usage: odseed --ended-chats N (--data-dir DIR | --database-url URL) [--admin-email E --admin-password P]")
		fmt.Fprintln(out, "\nAdds N ended chats of synthetic history to an Output Desk store, for benchmarks.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.EndedChats < 0:
		return o, errors.New("--ended-chats N is required (0 or more)")
	case (o.DataDir == "") == (o.DatabaseURL == ""):
		return o, errors.New("give one store: --data-dir DIR or --database-url URL")
	case o.DatabaseURL != "" && !postgres.IsURL(o.DatabaseURL):
		return o, errors.New("--database-url must be a postgres:// URL")
	case (o.AdminEmail == "") != (o.AdminPassword == ""):
		return o, errors.New("--admin-email and --admin-password go together")
	}
	return o, nil
}

// openStore opens the store the flags name, applying its migrations.
func openStore(ctx context.Context, o options) (*sqlstore.DB, error) {
	if o.DatabaseURL != "" {
		return postgres.Open(ctx, o.DatabaseURL)
	}
	if err := os.MkdirAll(o.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return sqlite.Open(ctx, filepath.Join(o.DataDir, "outputdesk.db"))
}

func run(ctx context.Context, o options, out io.Writer) error {
	start := time.Now()
	st, err := openStore(ctx, o)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := newSeeder(ctx, st, o, time.Now(), out)
	if err != nil {
		return err
	}
	if err := s.seed(ctx, o.EndedChats, o.chunk); err != nil {
		return err
	}
	counts, err := st.RowCounts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "added %d ended chats in %.1f s; the store now holds:\n", o.EndedChats, time.Since(start).Seconds())
	for _, c := range counts {
		fmt.Fprintf(out, "  %-18s %10d\n", c.Table, c.Rows)
	}
	if o.BenchReports > 0 {
		return benchReports(ctx, st, o.BenchReports, max(o.BenchRuns, 1), out)
	}
	return nil
}
