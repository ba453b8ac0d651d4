package main

// bench-idle measures what an idle visitor costs Output Desk beside what it
// costs the floor (`odload floor`: a bare gorilla/websocket server, one
// goroutine a socket, the same heartbeat), in one command. In each round
// the floor runs first, then Output Desk, each freshly started: the server's
// RSS, CPU and Go runtime view (its /metrics) before any visitor; N idle
// visitors connected; a settle; a hold with the server's CPU and the pings
// the visitors got counted; then RSS and the runtime view again, as they
// are and after a forced collection. Every figure is printed beside the
// floor's from the same round (benchidle_report.go).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// idleOptions are bench-idle's flags.
type idleOptions struct {
	Bin           string
	Visitors      int
	RampRate      int
	Rounds        int
	Settle, Hold  time.Duration
	PingEvery     time.Duration // the floor's; Output Desk's is built in
	PerProcess    int
	SourceBase    string
	AdminEmail    string
	AdminPassword string
	StartTimeout  time.Duration
	MarkdownOut   string
}

// The servers bench-idle measures, in the order of a round.
const (
	serverFloor = "floor"
	serverDesk  = "Output Desk"
)

func benchIdleMain(args []string) int {
	o, err := parseIdleFlags(args, os.Stderr)
	return runBench("bench-idle", err, o.MarkdownOut, func(ctx context.Context) (string, string, bool) {
		res := benchIdle(ctx, o)
		md := res.markdown()
		return md, md, res.failed()
	})
}

func parseIdleFlags(args []string, out io.Writer) (idleOptions, error) {
	var o idleOptions
	fs := flag.NewFlagSet("odload bench-idle", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.Bin, "bin", "", "the outputdesk binary to start (required)")
	fs.IntVar(&o.Visitors, "visitors", 15000, "idle visitor sockets to hold on each server")
	fs.IntVar(&o.RampRate, "ramp-rate", 500, "new visitor sockets per second while connecting")
	fs.IntVar(&o.Rounds, "rounds", 1, "rounds to run; each starts the floor and then Output Desk afresh")
	fs.DurationVar(&o.Settle, "settle", 10*time.Second, "wait after a server starts, before the first reading, and after the last visitor connected, before the hold")
	fs.DurationVar(&o.Hold, "hold", 60*time.Second, "the idle window: the server's CPU and the pings the visitors get are counted over it")
	fs.DurationVar(&o.PingEvery, "ping-every", 25*time.Second, "the floor pings each socket this often; keep it at Output Desk's 25s (internal/realtime pingEvery) for a fair floor")
	fs.IntVar(&o.PerProcess, "per-process", 9000, "visitors per odload worker process")
	fs.StringVar(&o.SourceBase, "source-base", "127.0.0.2", "first loopback source address the visitors dial from (one per 5000 visitors)")
	fs.StringVar(&o.AdminEmail, "admin-email", os.Getenv("OUTPUTDESK_ADMIN_EMAIL"), "")
	fs.StringVar(&o.AdminPassword, "admin-password", os.Getenv("OUTPUTDESK_ADMIN_PASSWORD"), "")
	defaultAdminFlags(fs, "the Output Desk bench-idle starts (to read the site key)")
	fs.DurationVar(&o.StartTimeout, "start-timeout", time.Minute, "how long a server may take to serve its metrics")
	fs.StringVar(&o.MarkdownOut, "markdown-out", "", "also write the report to this file")
	if err := parseCommand(fs, args, "Usage: odload bench-idle --bin PATH [flags]\n\nFor --rounds rounds, starts `odload floor` (a bare gorilla/websocket server, one goroutine a\nsocket, the same pings) and then Output Desk (SQLite, a fresh data dir), each on free loopback\nports, and measures what --visitors idle visitors cost each: RSS, Go heap and stacks, goroutines,\nidle CPU, CPU per connect and pings, with Output Desk / floor ratios from the same round.\n\n"); err != nil {
		return o, err
	}
	return o, o.validate()
}

func (o idleOptions) validate() error {
	var errs []error
	if o.Bin == "" {
		errs = append(errs, errors.New("--bin is required: the outputdesk binary to start"))
	}
	if o.Visitors < 1 || o.RampRate < 1 || o.Rounds < 1 || o.PerProcess < 1 {
		errs = append(errs, errors.New("--visitors, --ramp-rate, --rounds and --per-process must be at least 1"))
	}
	if o.Settle < 0 || o.Hold <= 0 || o.PingEvery <= 0 || o.StartTimeout <= 0 {
		errs = append(errs, errors.New("--hold, --ping-every and --start-timeout must be above 0, --settle not negative"))
	}
	if _, err := sourceAddrs(o.SourceBase, max(1, (o.Visitors+4999)/5000)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// idleResults are every round's two runs.
type idleResults struct {
	o      idleOptions
	rounds [][2]*idleRun // floor, Output Desk
	took   time.Duration
	err    error // the whole command could not run
}

// benchIdle runs the rounds. Output Desk is measured only in a round whose
// floor was: no figure goes out without its floor.
func benchIdle(ctx context.Context, o idleOptions) *idleResults {
	t0 := time.Now()
	res := &idleResults{o: o}
	defer func() { res.took = time.Since(t0) }()
	// each server holds one socket a visitor, one file each; Output Desk
	// refuses sockets past its open-file limit less 256 (--max-sockets 0)
	if limit := int(nofile()) - 256; o.Visitors > limit {
		res.err = fmt.Errorf("%d visitors do not fit under the open-file limit %d less 256: raise it (ulimit -n)", o.Visitors, nofile())
		return res
	}
	for round := 1; round <= o.Rounds; round++ {
		fmt.Fprintf(os.Stderr, "\n=== bench-idle round %d of %d: the floor ===\n", round, o.Rounds)
		floor := runIdle(ctx, o, serverFloor, round)
		desk := &idleRun{Server: serverDesk, Round: round, Asked: o.Visitors, Err: errors.New("not run: the floor failed in this round")}
		if floor.Err == nil {
			fmt.Fprintf(os.Stderr, "\n=== bench-idle round %d of %d: Output Desk ===\n", round, o.Rounds)
			desk = runIdle(ctx, o, serverDesk, round)
		}
		res.rounds = append(res.rounds, [2]*idleRun{floor, desk})
	}
	return res
}

func (res *idleResults) failed() bool {
	if res.err != nil {
		return true
	}
	for _, rd := range res.rounds {
		if rd[0].Err != nil || rd[1].Err != nil {
			return true
		}
	}
	return false
}

// runIdle starts one server, measures it and stops it.
func runIdle(ctx context.Context, o idleOptions, server string, round int) *idleRun {
	r := &idleRun{Server: server, Round: round, Asked: o.Visitors}
	var t *idleTarget
	var err error
	if server == serverFloor {
		t, err = startFloor(ctx, o)
	} else {
		t, err = startDesk(ctx, o)
	}
	if t != nil {
		defer t.stop()
	}
	if err == nil {
		err = r.measure(ctx, o, t)
	}
	if t != nil {
		if e := t.exited(); e != "" {
			r.Notes = append(r.Notes, e)
		}
	}
	r.Err = err
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s, round %d: %v\n", server, round, err)
	}
	return r
}
