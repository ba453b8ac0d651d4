// Command odload puts a running Output Desk server under visitor and
// operator load over real HTTP and WebSocket, and reports what the clients
// saw and what the server spent.
//
// It drives the wire contract of docs/protocol.md only. --mode picks what
// is measured:
//
//   - visitors (the default): N visitors hold a visitor socket each and move
//     to a new page every --page-every (spread at random), M operators watch
//     the Visitor List on a console socket and time every `visitors` frame.
//     Each page URL carries its send time (?t=unixnano), so an operator can
//     tell how stale the row it just got is.
//   - routing: the chat rule is set to Automatic and every load operator
//     gets --chat-limit; a pool of --visitors (default 500) visitors starts
//     chats at --chat-rate per second on an open-loop schedule, and each
//     chat is timed from the visitor's first message to its operator's
//     console showing it assigned. The visitor then ends it and is free for
//     another (routing.go).
//   - messages: --idle-visitors sit on the site while --active-chats
//     assigned chats exchange --msg-rate messages per second, alternating
//     visitor and operator; each is timed from its write to the other
//     side's `message` frame (messages.go).
//
// With --server-pid it reads the server's CPU and memory from /proc.
//
// Build and start a server, then point odload at it:
//
//	go build -o /tmp/odload-srv/outputdesk ./cmd/outputdesk
//	OUTPUTDESK_ADMIN_EMAIL=admin@odload.test OUTPUTDESK_ADMIN_PASSWORD=odload-admin \
//	  GODEBUG=gctrace=1 /tmp/odload-srv/outputdesk --addr 127.0.0.1:18383 \
//	  --data-dir "$(mktemp -d)" 2>/tmp/odload-srv/server.log &
//	go run ./cmd/odload --url http://127.0.0.1:18383 \
//	  --admin-email admin@odload.test --admin-password odload-admin \
//	  --server-pid $! --server-log /tmp/odload-srv/server.log [--mode routing|messages]
//
// `odload bench-store --bin PATH --seed-bin PATH` measures both stores in
// one go: for each of --stores and --history it prepares a fresh store
// (a temp dir, or a fresh PostgreSQL database made with psql), seeds it,
// starts the server on a free port, runs routing and then messages against
// it, stops it and prints one summary table (benchstore.go).
//
// `odload bench-cluster --bin PATH` measures several nodes on one
// PostgreSQL and one NATS against one node on the same: cross-node message
// latency, idle memory per visitor, and Visitor List staleness, each
// beside its one-node baseline from the same run (benchcluster.go).
//
// `odload bench-idle --bin PATH` measures what an idle visitor costs
// Output Desk beside what it costs `odload floor`, a bare gorilla/websocket
// server with one goroutine a socket, in the same run (benchidle.go).
//
// Visitors run in worker processes (odload starts itself again with
// --worker, --per-process visitors each) and dial from several loopback
// source addresses, so one run can hold more sockets than one process may
// open. odload only ever connects to 127.0.0.0/8. See docs/performance.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are odload's flags.
type options struct {
	Mode          string // "visitors", "routing" or "messages"
	URL           string
	AdminEmail    string
	AdminPassword string
	SiteKey       string
	Visitors      int
	Operators     int
	OperatorPass  string
	PageEvery     time.Duration
	Navigate      string
	Duration      time.Duration
	RampRate      int
	Settle        time.Duration
	Drain         time.Duration
	ServerPID     int
	ServerLog     string
	GCWait        time.Duration
	PerProcess    int
	SourceAddrs   int
	SourceBase    string
	Origin        string
	Seed          int64
	FramesOut     string
	Compress      bool
	Worker        bool

	// routing and messages modes (modes.go)
	ChatLimit    int
	ChatRate     float64
	IdleVisitors int
	ActiveChats  int
	MsgRate      float64

	// set by bench-cluster, not by flags: several nodes of one install
	ConsoleURL string   // messages mode: the consoles' node, when not --url
	NodeURLs   []string // visitors mode: visitors and consoles spread over these nodes
}

func main() {
	if code, ok := subcommand(os.Args[1:]); ok {
		os.Exit(code)
	}
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "odload:", err)
		os.Exit(2)
	}
	if err := raiseNofile(); err != nil {
		fmt.Fprintln(os.Stderr, "odload: raising the open files limit:", err)
	}
	if opts.Worker {
		if err := runWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "odload worker:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = runMode(ctx, opts, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "odload:", err)
		os.Exit(1)
	}
}

// subcommand runs the subcommand args name, if they name one; the tests'
// TestMain calls it too, so that workers and the floor can be started from
// a test binary.
func subcommand(args []string) (code int, ok bool) {
	if len(args) == 0 {
		return 0, false
	}
	switch args[0] {
	case "bench-store":
		return benchStoreMain(args[1:]), true
	case "bench-cluster":
		return benchClusterMain(args[1:]), true
	case "bench-idle":
		return benchIdleMain(args[1:]), true
	case "floor":
		return floorMain(args[1:]), true
	}
	return 0, false
}

// parseCommand parses a command's flags, with usage as the head of its
// --help, and refuses arguments that are not flags.
func parseCommand(fs *flag.FlagSet, args []string, usage string) error {
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func parseFlags(args []string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("odload", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.Mode, "mode", "visitors", `what to measure: "visitors" (the Visitor List under page changes), "routing" (Automatic routing at --chat-rate) or "messages" (message latency at --msg-rate)`)
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:18383", "base URL of the server; its host must be in 127.0.0.0/8")
	fs.StringVar(&o.SiteKey, "site-key", "", "site key for the visitor sockets (default: read from GET /api/settings)")
	fs.DurationVar(&o.PageEvery, "page-every", 30*time.Second, "visitors mode: each visitor moves to a new page this often, at a random phase; 0 keeps them idle")
	fs.StringVar(&o.Navigate, "navigate", "page", `visitors mode: how a visitor moves: "page" sends a page frame on its socket, "socket" closes it and opens a new one (a real page load)`)
	fs.DurationVar(&o.Settle, "settle", 10*time.Second, "visitors mode: idle wait after the last visitor connected, before the idle measurement")
	fs.IntVar(&o.ServerPID, "server-pid", 0, "pid of the server process, for CPU and RSS from /proc (0: not measured)")
	fs.StringVar(&o.ServerLog, "server-log", "", "the server's stderr when started with GODEBUG=gctrace=1: reports the Go heap and stacks too")
	fs.DurationVar(&o.GCWait, "gc-wait", 135*time.Second, "with --server-log, wait up to this long after the idle checkpoint for the server's next garbage collection (Go forces one 2 min after the last)")
	fs.StringVar(&o.FramesOut, "frames-out", "", "write every frame the consoles got to this CSV file (operator, arrival and server_time in unix ns, bytes, type, upserts)")
	fs.BoolVar(&o.Worker, "worker", false, "internal: run as a visitor worker, reading its job from stdin")
	addLoadFlags(fs, &o)
	if err := parseCommand(fs, args, "Usage: odload [flags]\n       odload bench-store [flags]   (odload bench-store --help)\n       odload bench-cluster [flags] (odload bench-cluster --help)\n       odload bench-idle [flags]    (odload bench-idle --help)\n\nPuts visitor and operator load on a running Output Desk server on 127.0.0.0/8 and reports\nwhat the clients saw and what the server spent. --mode picks the measurement.\n\n"); err != nil {
		return o, err
	}
	if o.Worker {
		return o, nil
	}
	o.modeDefaults(explicitFlags(fs))
	return o, o.validate()
}

// addLoadFlags registers the flags that odload's modes and bench-store
// share.
func addLoadFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.AdminEmail, "admin-email", os.Getenv("OUTPUTDESK_ADMIN_EMAIL"), "admin email, to read the site key and create the operators (default $OUTPUTDESK_ADMIN_EMAIL)")
	fs.StringVar(&o.AdminPassword, "admin-password", os.Getenv("OUTPUTDESK_ADMIN_PASSWORD"), "admin password (default $OUTPUTDESK_ADMIN_PASSWORD)")
	fs.IntVar(&o.Visitors, "visitors", 5000, "visitors mode: visitor sockets to hold; routing mode: the pool of chatting visitors (default there 500)")
	fs.IntVar(&o.Operators, "operators", 20, "operators with a console open, created as load-op-N@odload.test when missing")
	fs.StringVar(&o.OperatorPass, "operator-password", "odload-operator", "password of the load operators")
	fs.DurationVar(&o.Duration, "duration", 2*time.Minute, "length of the measured phase")
	fs.IntVar(&o.RampRate, "ramp-rate", 500, "new visitor sockets per second while connecting")
	fs.DurationVar(&o.Drain, "drain", 3*time.Second, "keep reading this long after the measured phase, so late frames are counted")
	fs.IntVar(&o.PerProcess, "per-process", 9000, "visitors per worker process (each socket is an open file; the hard limit is per process)")
	fs.IntVar(&o.SourceAddrs, "source-addrs", 0, "loopback source addresses to dial from (0: one per 5000 visitors)")
	fs.StringVar(&o.SourceBase, "source-base", "127.0.0.2", "first source address; the next ones count up from it")
	fs.StringVar(&o.Origin, "origin", "", "Origin header of the visitor sockets (default: none, as a non-browser client)")
	fs.Int64Var(&o.Seed, "seed", 0, "random seed for the page-change phases (0: from the clock)")
	fs.BoolVar(&o.Compress, "console-compression", true, "consoles offer permessage-deflate, as browsers do; wire KiB/s then shows what compression saves")
	fs.IntVar(&o.ChatLimit, "chat-limit", 50, "routing and messages modes: chat limit given to every load operator")
	fs.Float64Var(&o.ChatRate, "chat-rate", 1000, "routing mode: chats started per second, on an open-loop schedule")
	fs.IntVar(&o.IdleVisitors, "idle-visitors", 5000, "messages mode: idle visitor sockets held during the run (in worker processes)")
	fs.IntVar(&o.ActiveChats, "active-chats", 100, "messages mode: chats assigned and chatting")
	fs.Float64Var(&o.MsgRate, "msg-rate", 1000, "messages mode: messages sent per second over all chats, alternating visitor and operator")
}

// explicitFlags is the set of flags given on the command line.
func explicitFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// modeDefaults adjusts defaults that differ by mode: routing needs only as
// many visitors as chats can be open at once, not the Visitor List's 5000.
func (o *options) modeDefaults(set map[string]bool) {
	if o.Mode == "routing" && !set["visitors"] {
		o.Visitors = 500
	}
}

func (o *options) validate() error {
	errs := []error{o.validateLoad()}
	switch o.Mode {
	case "visitors", "routing", "messages":
	default:
		errs = append(errs, fmt.Errorf(`--mode must be "visitors", "routing" or "messages", got %q`, o.Mode))
	}
	if o.Mode != "visitors" && o.Operators < 1 {
		errs = append(errs, errors.New("--mode routing and messages need at least one operator"))
	}
	if o.Navigate != "page" && o.Navigate != "socket" {
		errs = append(errs, fmt.Errorf(`--navigate must be "page" or "socket", got %q`, o.Navigate))
	}
	if o.PageEvery < 0 || o.Settle < 0 || o.GCWait < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	if _, err := loopbackBase(o.URL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validateLoad checks the flags addLoadFlags registers.
func (o *options) validateLoad() error {
	var errs []error
	if o.Visitors < 0 || o.Operators < 0 || o.IdleVisitors < 0 || o.ActiveChats < 0 {
		errs = append(errs, errors.New("--visitors, --operators, --idle-visitors and --active-chats must not be negative"))
	}
	if o.Duration < 0 || o.Drain < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	if o.ChatLimit < 0 || o.ChatLimit > 100 || o.ChatRate <= 0 || o.MsgRate <= 0 {
		errs = append(errs, errors.New("--chat-limit must be 0–100, --chat-rate and --msg-rate above 0"))
	}
	if o.RampRate < 1 || o.PerProcess < 1 || o.SourceAddrs < 0 {
		errs = append(errs, errors.New("--ramp-rate and --per-process must be at least 1, --source-addrs at least 0"))
	}
	if o.AdminEmail == "" || o.AdminPassword == "" {
		errs = append(errs, errors.New("--admin-email and --admin-password are needed (or OUTPUTDESK_ADMIN_EMAIL/OUTPUTDESK_ADMIN_PASSWORD)"))
	}
	if _, err := sourceAddrs(o.SourceBase, 1); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
