package main

// bench-store is the one command that measures both stores: for each store
// and history size it prepares a fresh store, seeds it, starts the server
// on it, runs the routing and messages modes against it, and stops it.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// benchOptions are bench-store's flags; load carries the modes' flags.
type benchOptions struct {
	load         options
	Bin, SeedBin string
	Stores       []string
	History      []int
	PGAdminURL   string
	Psql         string
	MarkdownOut  string
	StartTimeout time.Duration
	ServerArgs   []string // more flags for every server started (bench-cluster's NATS)
}

func benchStoreMain(args []string) int {
	bo, err := parseBenchFlags(args, os.Stderr)
	return runBench("bench-store", err, bo.MarkdownOut, func(ctx context.Context) (string, string, bool) {
		rows := benchStore(ctx, bo, os.Stdout)
		var b strings.Builder
		printSummary(&b, rows)
		failed := false
		for _, r := range rows {
			failed = failed || r.Failed
		}
		return b.String(), markdownSummary(rows), failed
	})
}

// runBench is what bench-store and bench-cluster share around their run:
// a flag error, the open-file limit, Ctrl-C, the summary on stdout and in
// --markdown-out, and the exit code.
func runBench(name string, parseErr error, markdownOut string, run func(ctx context.Context) (summary, markdown string, failed bool)) int {
	if errors.Is(parseErr, flag.ErrHelp) {
		return 0
	}
	if parseErr != nil {
		fmt.Fprintf(os.Stderr, "odload %s: %v\n", name, parseErr)
		return 2
	}
	if err := raiseNofile(); err != nil {
		fmt.Fprintln(os.Stderr, "odload: raising the open files limit:", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	summary, markdown, failed := run(ctx)
	fmt.Fprint(os.Stdout, summary)
	if markdownOut != "" {
		if err := os.WriteFile(markdownOut, []byte(markdown), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "odload %s: %v\n", name, err)
			return 1
		}
	}
	if failed {
		return 1
	}
	return 0
}

func parseBenchFlags(args []string, out io.Writer) (benchOptions, error) {
	var bo benchOptions
	fs := flag.NewFlagSet("odload bench-store", flag.ContinueOnError)
	fs.SetOutput(out)
	addLoadFlags(fs, &bo.load)
	// bench-store's own defaults: short runs, a routing pool of 500, and
	// the admin it gives the servers it starts
	for name, def := range map[string]string{"duration": "30s", "visitors": "500", "drain": "5s"} {
		f := fs.Lookup(name)
		f.DefValue = def
		f.Value.Set(def)
	}
	defaultAdminFlags(fs, "the servers bench-store starts")
	var stores, history string
	fs.StringVar(&bo.Bin, "bin", "", "the outputdesk binary to start (required)")
	fs.StringVar(&bo.SeedBin, "seed-bin", "", "the seeding tool, run as SEED --ended-chats N (--data-dir DIR | --database-url URL) (required when a history size is above 0)")
	fs.StringVar(&stores, "stores", "sqlite,postgres", "stores to measure, in order")
	fs.StringVar(&history, "history", "0,1000000", "ended chats to seed before each run, comma separated")
	fs.StringVar(&bo.PGAdminURL, "pg-admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL URL on 127.0.0.0/8 allowed to CREATE and DROP DATABASE; each run gets a fresh odbench_<random> database")
	fs.StringVar(&bo.Psql, "psql", "psql", "the psql client used to create and drop the databases")
	fs.StringVar(&bo.MarkdownOut, "markdown-out", "", "also write the summary table as Markdown to this file")
	fs.DurationVar(&bo.StartTimeout, "start-timeout", 3*time.Minute, "how long a server may take to answer GET /healthz 200 (a big history may migrate at start)")
	if err := parseCommand(fs, args, "Usage: odload bench-store --bin PATH [--seed-bin PATH] [flags]\n\nFor each store and history size: a fresh store, seeded, a server started on it on a free\nloopback port, then --mode routing and --mode messages against it, each for --duration.\nPrints every run's report and one summary table.\n\n"); err != nil {
		return bo, err
	}
	var errs []error
	var err error
	if bo.Stores, err = parseStores(stores); err != nil {
		errs = append(errs, err)
	}
	if bo.History, err = parseCounts(history); err != nil {
		errs = append(errs, err)
	}
	if bo.Bin == "" {
		errs = append(errs, errors.New("--bin is required: the outputdesk binary to start"))
	}
	for _, h := range bo.History {
		if h > 0 && bo.SeedBin == "" {
			errs = append(errs, errors.New("--seed-bin is required when --history has a size above 0"))
			break
		}
	}
	if _, err := loopbackPG(bo.PGAdminURL); err != nil {
		errs = append(errs, err)
	}
	bo.load.Mode, bo.load.URL, bo.load.Navigate = "routing", "http://127.0.0.1:1", "page"
	errs = append(errs, bo.load.validate())
	return bo, errors.Join(errs...)
}

// envAdmin is the server's environment variable for an admin flag.
// defaultAdminFlags makes --admin-email and --admin-password default to
// the servers' environment, else to odload's own account, for the servers
// a bench command starts (whose says which).
func defaultAdminFlags(fs *flag.FlagSet, whose string) {
	for name, def := range map[string]string{"admin-email": "admin@odload.test", "admin-password": "odload-admin"} {
		f := fs.Lookup(name)
		f.Usage = strings.TrimPrefix(name, "admin-") + " of the first admin of " + whose + " (default $" + envAdmin(name) + ", else " + def + ")"
		if f.Value.String() == "" {
			f.Value.Set(def)
		}
		f.DefValue = ""
	}
}

func envAdmin(flag string) string {
	return "OUTPUTDESK_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

func parseStores(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); f {
		case "sqlite", "postgres":
			out = append(out, f)
		case "":
		default:
			return nil, fmt.Errorf(`--stores: unknown store %q (want "sqlite" and/or "postgres")`, f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("--stores is empty")
	}
	return out, nil
}

func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("--history: %q is not a count", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("--history is empty")
	}
	return out, nil
}

// loopbackPG checks that a PostgreSQL URL points at 127.0.0.0/8, like
// every other address odload talks to.
func loopbackPG(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("--pg-admin-url must be a postgres:// URL, got %q", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || ip.To4() == nil || !loopback.Contains(ip) {
		return nil, fmt.Errorf("--pg-admin-url host %q is not in 127.0.0.0/8: odload only uses local servers", u.Hostname())
	}
	return u, nil
}

// withDatabase is the admin URL pointing at database name instead.
func withDatabase(admin *url.URL, name string) string {
	u := *admin
	u.Path = "/" + name
	return u.String()
}

// benchStore runs every (store, history) pair and returns the summary rows.
func benchStore(ctx context.Context, bo benchOptions, out io.Writer) []summaryRow {
	var rows []summaryRow
	for _, store := range bo.Stores {
		for _, hist := range bo.History {
			if ctx.Err() != nil {
				for _, mode := range []string{"routing", "messages"} {
					rows = append(rows, failedRow(store, hist, mode, ctx.Err()))
				}
				continue
			}
			fmt.Fprintf(os.Stderr, "\n=== bench-store: %s, %d ended chats ===\n", store, hist)
			rows = append(rows, benchOne(ctx, bo, store, hist, out)...)
		}
	}
	return rows
}

// benchOne measures one fresh store: always two rows, failed ones saying
// why.
func benchOne(ctx context.Context, bo benchOptions, store string, hist int, out io.Writer) []summaryRow {
	srv, err := prepareAndStart(ctx, bo, store, hist)
	if srv != nil {
		defer srv.cleanup()
	}
	if err != nil {
		return []summaryRow{failedRow(store, hist, "routing", err), failedRow(store, hist, "messages", err)}
	}
	o := bo.load
	o.URL, o.ServerPID = srv.url, srv.pid()
	var rows []summaryRow
	o.Mode = "routing"
	rrep, err := runRouting(ctx, o)
	if rrep != nil {
		rrep.print(out)
	}
	if err != nil {
		rows = append(rows, failedRow(store, hist, "routing", err))
	} else {
		rows = append(rows, rrep.summary(store, hist))
	}
	o.Mode = "messages"
	mrep, err := runMessages(ctx, o)
	if mrep != nil {
		mrep.print(out)
	}
	if err != nil {
		rows = append(rows, failedRow(store, hist, "messages", err))
	} else {
		rows = append(rows, mrep.summary(store, hist))
	}
	if srv.seedNote != "" {
		for i := range rows {
			rows[i].Note = strings.TrimPrefix(rows[i].Note+"; "+srv.seedNote, "; ")
		}
	}
	if exited := srv.exitedEarly(); exited != "" {
		for i := range rows {
			rows[i].Note += "; " + exited
		}
	}
	return rows
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
