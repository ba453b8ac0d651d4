package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// idleRun is one server measured in one round.
type idleRun struct {
	Server            string
	Round             int
	Asked             int
	Connected, Failed int

	RSSBeforeKB, RSSAfterKB int64 // VmRSS, no collection forced
	Before, After           runtimeView
	BeforeGC, AfterGC       runtimeView // right after a forced collection

	ConnectCPU, ConnectSecs float64 // the server's CPU seconds while the visitors connected
	HoldCPU, HoldSecs       float64 // and over the hold
	Pings                   int64   // pings the visitors got in the hold
	Machine                 cpuUse  // the whole machine over the hold
	Drops                   map[string]int

	Notes []string
	Err   error
}

// groupServer is the measured server in the CPU sampler.
const groupServer = "server"

// measure takes the readings of one run on a started server.
func (r *idleRun) measure(ctx context.Context, o idleOptions, t *idleTarget) error {
	// the server finishes starting (pools, the first heartbeats) before "before"
	if err := sleepCtx(ctx, o.Settle); err != nil {
		return err
	}
	var err error
	if r.RSSBeforeKB, r.Before, r.BeforeGC, err = readServer(ctx, t); err != nil {
		return fmt.Errorf("before the visitors: %w", err)
	}
	sampler := startSampler(map[int]string{t.pid: groupServer}, nil, "")
	defer sampler.stop()
	workers, err := r.connect(ctx, o, t)
	defer func() {
		for _, w := range workers {
			w.stop()
		}
	}()
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d idle visitors connected, %d failed, in %.1f s; settling %v\n", r.Server, r.Connected, r.Failed, r.ConnectSecs, o.Settle)
	if err := sleepCtx(ctx, o.Settle); err != nil {
		return err
	}
	if err := r.hold(ctx, o, t, workers, sampler); err != nil {
		return err
	}
	if r.RSSAfterKB, r.After, r.AfterGC, err = readServer(ctx, t); err != nil {
		return fmt.Errorf("after the hold: %w", err)
	}
	fmt.Fprintf(os.Stderr, "%s: RSS %.1f → %.1f MiB, live heap %.1f → %.1f MiB; closing the visitors\n", r.Server,
		float64(r.RSSBeforeKB)/1024, float64(r.RSSAfterKB)/1024, r.BeforeGC.HeapAlloc/(1<<20), r.AfterGC.HeapAlloc/(1<<20))
	return nil
}

// readServer reads RSS and the runtime view as they are, then the runtime
// view again after a forced collection. RSS comes first: the collection
// would not lower it at once, but what a machine sees is without one.
func readServer(ctx context.Context, t *idleTarget) (rssKB int64, now, afterGC runtimeView, err error) {
	snap, err := snapshot(t.pid)
	if err != nil {
		return 0, now, afterGC, err
	}
	if now, err = readRuntime(ctx, t.metricsURL); err != nil {
		return 0, now, afterGC, err
	}
	if err = forceGC(ctx, t.metricsURL); err != nil {
		return 0, now, afterGC, err
	}
	afterGC, err = readRuntime(ctx, t.metricsURL)
	return snap.RSSKB, now, afterGC, err
}

// connect starts the workers with their idle visitors (hello on a page,
// welcome, then nothing: no page changes) and times the server's CPU until
// every worker is ready.
func (r *idleRun) connect(ctx context.Context, o idleOptions, t *idleTarget) ([]*worker, error) {
	srcs, err := sourceAddrs(o.SourceBase, max(1, (o.Visitors+4999)/5000))
	if err != nil {
		return nil, err
	}
	addrs := make([]string, len(srcs))
	for i, a := range srcs {
		addrs[i] = a.IP.String()
	}
	cpu0, err := procCPU(t.pid)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	var step memStep
	lo := options{PerProcess: o.PerProcess, RampRate: o.RampRate}
	workers, err := connectIdle(ctx, lo, t.url, t.siteKey, o.Visitors, 0, addrs, &step)
	if err != nil {
		return workers, err
	}
	cpu1, err := procCPU(t.pid)
	if err != nil {
		return workers, err
	}
	r.ConnectSecs, r.ConnectCPU = time.Since(t0).Seconds(), cpu1-cpu0
	r.Connected, r.Failed = step.Connected, step.Failed
	if r.Connected == 0 {
		return workers, fmt.Errorf("no visitor connected (%d failed)", r.Failed)
	}
	return workers, nil
}

// hold leaves the visitors idle for --hold, with the workers counting the
// pings that reach them, and reads the server's CPU at both ends.
func (r *idleRun) hold(ctx context.Context, o idleOptions, t *idleTarget, workers []*worker, sampler *cpuSampler) error {
	start := time.Now()
	end := start.Add(o.Hold)
	cpu0, err := procCPU(t.pid)
	if err != nil {
		return err
	}
	for _, w := range workers {
		if err := w.enc.Encode(workerCmd{Type: "steady", Start: start.UnixNano(), End: end.UnixNano()}); err != nil {
			return fmt.Errorf("worker %d: %w", w.pid, err)
		}
	}
	fmt.Fprintf(os.Stderr, "%s: holding %v\n", r.Server, o.Hold)
	if err := sleepCtx(ctx, time.Until(end)); err != nil {
		return err
	}
	cpu1, err := procCPU(t.pid)
	if err != nil {
		return err
	}
	r.HoldSecs, r.HoldCPU = time.Since(start).Seconds(), cpu1-cpu0
	r.Machine = sampler.window(start, time.Now())
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var vs visitorStats
	for _, w := range workers {
		m, err := w.await(waitCtx, "done", nil)
		if err != nil {
			return err
		}
		vs.merge(m.Stats)
	}
	r.Pings, r.Drops = vs.Pings, vs.Drops
	return nil
}
