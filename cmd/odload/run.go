package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"
)

// loadRun is the coordinator: it logs the operators in and holds their
// consoles, starts the visitor workers, walks the phases and measures.
type loadRun struct {
	o        options
	base     *url.URL
	nodes    []*url.URL // base, or bench-cluster's nodes: visitors and consoles spread over them
	consoles []*console
	workers  []*worker
	rep      *report
	t0       time.Time
}

// run performs one whole load run and returns its report; on error the
// report holds what was measured so far.
func run(ctx context.Context, o options) (*report, error) {
	base, err := loopbackBase(o.URL)
	if err != nil {
		return nil, err
	}
	r := &loadRun{o: o, base: base, nodes: []*url.URL{base}, rep: &report{Opts: o}, t0: time.Now()}
	if len(o.NodeURLs) > 0 {
		r.nodes = nil
		for _, u := range o.NodeURLs {
			b, err := loopbackBase(u)
			if err != nil {
				return nil, err
			}
			r.nodes = append(r.nodes, b)
		}
	}
	if o.Seed == 0 {
		r.o.Seed = time.Now().UnixNano()
	}
	defer r.cleanup()
	steps := []func(context.Context) error{r.setUp, r.openConsoles, r.connectVisitors, r.settle, r.steady}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return r.rep, err
		}
	}
	r.collect()
	return r.rep, nil
}

func (r *loadRun) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(r.t0).Seconds(), fmt.Sprintf(format, args...))
}

// server reads the server's /proc numbers, and the latest collection when
// the server's log was given; nil without --server-pid.
func (r *loadRun) server() *procSnap {
	if r.o.ServerPID == 0 {
		return nil
	}
	s, err := snapshot(r.o.ServerPID)
	if err != nil {
		r.rep.note("reading /proc/%d: %v", r.o.ServerPID, err)
		return nil
	}
	if r.o.ServerLog != "" {
		if g, ok := lastGC(r.o.ServerLog); ok {
			s.GC = &g
		}
	}
	return &s
}

// setUp logs the admin in, reads the site key, makes sure the operators
// exist, and takes the "before" measurement.
func (r *loadRun) setUp(ctx context.Context) error {
	admin, err := login(ctx, r.base, r.o.AdminEmail, r.o.AdminPassword)
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	if r.o.SiteKey == "" {
		if r.o.SiteKey, err = admin.siteKey(ctx); err != nil {
			return err
		}
	}
	if err := admin.ensureOperators(ctx, r.o.Operators, r.o.OperatorPass); err != nil {
		return fmt.Errorf("creating operators: %w", err)
	}
	r.rep.Before = r.server()
	if b := r.rep.Before; b != nil && r.o.ServerLog != "" && b.GC == nil {
		// the runtime forces a collection only two minutes after the last
		// one, never before the first: a fresh server's heap is below the
		// first goal (4 MiB), so 0 makes the per-visitor heap an upper bound
		b.GC = &gcLine{}
		r.rep.note("no garbage collection before the visitors: the \"before\" Go heap is taken as 0 (it is under 4 MiB), so the per-visitor heap is an upper bound")
	}
	r.logf("site key %s; %d operators ready; open files limit %d", r.o.SiteKey, r.o.Operators, nofile())
	return nil
}

// openConsoles logs each operator in and opens its console socket, console
// i on node i mod nodes.
func (r *loadRun) openConsoles(ctx context.Context) error {
	for i := 0; i < r.o.Operators; i++ {
		c, err := login(ctx, r.nodes[i%len(r.nodes)], operatorEmail(i), r.o.OperatorPass)
		if err != nil {
			return fmt.Errorf("operator %d login: %w", i+1, err)
		}
		con, err := openConsole(ctx, i+1, c, r.o.Compress)
		if err != nil {
			return err
		}
		r.consoles = append(r.consoles, con)
	}
	r.logf("%d consoles open with the Visitor List", len(r.consoles))
	return nil
}

// connectVisitors starts the workers and waits until each has connected
// its share of the visitors. With several nodes, worker i connects to node
// i mod nodes, and there are as many workers on each.
func (r *loadRun) connectVisitors(ctx context.Context) error {
	n := r.o.Visitors
	nw := workersFor(n, r.o.PerProcess, len(r.nodes))
	na := r.o.SourceAddrs
	if na == 0 {
		na = max(1, (n+4999)/5000)
	}
	srcs, err := sourceAddrs(r.o.SourceBase, na)
	if err != nil {
		return err
	}
	addrs := make([]string, len(srcs))
	for i, a := range srcs {
		addrs[i] = a.IP.String()
	}
	r.rep.Workers, r.rep.SourceAddrs = nw, addrs
	r.rep.RampStart = time.Now()
	for i, first := 0, 0; i < nw; i++ {
		share := n / nw
		if i < n%nw {
			share++
		}
		w, err := startWorker(workerJob{Index: i, URL: r.nodes[i%len(r.nodes)].String(), SiteKey: r.o.SiteKey, Visitors: share, FirstIndex: first,
			SourceAddrs: addrs, PageEvery: r.o.PageEvery, Navigate: r.o.Navigate, RampRate: max(1, r.o.RampRate/nw),
			Origin: r.o.Origin, Seed: r.o.Seed})
		if err != nil {
			return fmt.Errorf("starting worker %d: %w", i, err)
		}
		r.workers = append(r.workers, w)
		first += share
	}
	r.logf("%d workers connecting %d visitors from %v at %d/s", nw, n, addrs, r.o.RampRate)
	return r.awaitReady(ctx)
}

// workersFor is how many workers hold n visitors, at most per each, in a
// multiple of nodes so every node gets the same share.
func workersFor(n, per, nodes int) int {
	nw := (n + per - 1) / per
	return (nw + nodes - 1) / nodes * nodes
}

func (r *loadRun) awaitReady(ctx context.Context) error {
	var mu sync.Mutex
	progress := make([]int, len(r.workers))
	lastLog := time.Now()
	onProgress := func(i int) func(workerMsg) {
		return func(m workerMsg) {
			mu.Lock()
			defer mu.Unlock()
			progress[i] = m.Connected
			if time.Since(lastLog) >= 5*time.Second {
				lastLog = time.Now()
				total := 0
				for _, p := range progress {
					total += p
				}
				r.logf("  %d visitors connected", total)
			}
		}
	}
	errs := make([]error, len(r.workers))
	var wg sync.WaitGroup
	for i, w := range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := w.await(ctx, "ready", onProgress(i))
			mu.Lock()
			defer mu.Unlock()
			errs[i] = err
			r.rep.Connected += m.Connected
			r.rep.Failed += m.Failed
			r.rep.ConnectUS = append(r.rep.ConnectUS, m.ConnectUS...)
		}()
	}
	wg.Wait()
	r.rep.RampEnd = time.Now()
	r.rep.AfterRamp = r.server()
	r.logf("%d visitors connected, %d failed, in %.1fs", r.rep.Connected, r.rep.Failed, r.rep.RampEnd.Sub(r.rep.RampStart).Seconds())
	return errors.Join(errs...)
}

// settle lets the server go idle with every visitor connected, then takes
// the idle measurement (and, with --server-log, waits for a collection so
// the Go heap is measured after the ramp's garbage is gone).
func (r *loadRun) settle(ctx context.Context) error {
	if err := sleepCtx(ctx, r.o.Settle); err != nil {
		return err
	}
	r.rep.Idle = r.server()
	r.rep.IdleRows = r.consoleRows()
	r.logf("idle: every console lists %s rows", rowsText(r.rep.IdleRows))
	if r.o.Operators > 0 {
		if err := r.lateJoin(ctx); err != nil {
			r.rep.note("late console: %v", err)
		}
	}
	if r.o.ServerLog == "" || r.o.GCWait == 0 || r.rep.AfterRamp == nil {
		return nil
	}
	after := 0
	if g := r.rep.AfterRamp.GC; g != nil {
		after = g.N
	}
	r.logf("waiting up to %v for the server's next garbage collection", r.o.GCWait)
	if _, ok := waitGC(ctx, r.o.ServerLog, after, r.o.GCWait); !ok {
		r.rep.note("no garbage collection within --gc-wait after the ramp: idle Go heap not measured")
		return ctx.Err()
	}
	r.rep.IdleGC = r.server()
	return nil
}

func (r *loadRun) consoleRows() []int {
	rows := make([]int, len(r.consoles))
	for i, c := range r.consoles {
		_, _, rows[i], _ = c.snapshot()
	}
	return rows
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// lateJoin times one more console of the first operator opening while
// every visitor is listed: its reset frame carries the whole list.
func (r *loadRun) lateJoin(ctx context.Context) error {
	c, err := login(ctx, r.base, operatorEmail(0), r.o.OperatorPass)
	if err != nil {
		return err
	}
	t0 := time.Now()
	con, err := openConsole(ctx, 0, c, r.o.Compress)
	if err != nil {
		return err
	}
	defer con.close()
	for time.Since(t0) < 30*time.Second {
		frames, _, rows, _ := con.snapshot()
		for _, f := range frames {
			if f.reset {
				r.rep.Late = &lateJoin{Took: f.at.Sub(t0), Bytes: f.size, Rows: rows}
				return nil
			}
		}
		if err := sleepCtx(ctx, 5*time.Millisecond); err != nil {
			return err
		}
	}
	return errors.New("no reset frame within 30 s")
}
