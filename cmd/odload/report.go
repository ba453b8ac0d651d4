package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// report is everything one run measured.
type report struct {
	Opts        options
	Workers     int
	SourceAddrs []string

	Connected, Failed  int
	ConnectUS          []int64
	RampStart, RampEnd time.Time

	// the server at each checkpoint; nil without --server-pid
	Before, AfterRamp, Idle, IdleGC, End *procSnap
	IdleRows                             []int     // rows each console listed when idle
	Late                                 *lateJoin // one more console opened when idle

	SteadyStart, SteadyEnd             time.Time
	SteadyServerCPU0, SteadyServerCPU1 float64
	SteadyCPUAt                        time.Time
	CPUSamples                         []float64 // server cores, each second
	ToolCores                          float64
	MachineCores                       float64 // the whole machine, busy
	CPUStall                           float64 // share of the phase some task waited for a CPU
	WorkerCPUTotal                     float64

	Visitors  visitorStats
	Operators []operatorResult
	Staleness quantiles // ms
	Delivery  quantiles // ms, from a frame's server_time to its arrival
	Notes     []string
}

// lateJoin is a console that opened with every visitor already listed.
type lateJoin struct {
	Took  time.Duration // from dialing to the reset frame read
	Bytes int
	Rows  int
}

// operatorResult is one console over the measured phase.
type operatorResult struct {
	N                 int
	Frames            int // `visitors` frames
	FramesPerSec      float64
	MaxPerSecond      int // most `visitors` frames in any 1 s window
	MinGap            time.Duration
	MaxServerGap      time.Duration // longest time between two batches, by their server_time
	MinServerGap      time.Duration // shortest: under 1 s would break "one frame a second"
	delays            []float64     // ms, server_time → arrival of each frame
	Upserts           int
	Removes           int     // rows removed (no visitor leaves in a run: a removal is a row lost)
	Bytes             int64   // every frame
	BytesPerSec       float64 // decoded frames
	WireBytesPerSec   float64 // read from the connection: compressed, with framing
	MaxBytesPerSecond int
	MaxFrameBytes     int
	Samples           int     // marked rows seen
	Coverage          float64 // Samples / page changes sent
	Rows              int     // rows listed at the end
	Ended             string  // why the socket ended early, if it did
}

func (r *report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

func (s *visitorStats) merge(o *visitorStats) {
	if o == nil {
		return
	}
	s.PagesSent += o.PagesSent
	s.PageErrors += o.PageErrors
	s.Reconnects += o.Reconnects
	s.ReconnectFails += o.ReconnectFails
	s.Pings += o.Pings
	s.ReconnectUS = append(s.ReconnectUS, o.ReconnectUS...)
	s.Drops = mergeCounts(s.Drops, o.Drops)
	s.Errors = mergeCounts(s.Errors, o.Errors)
}

func mergeCounts(a, b map[string]int) map[string]int {
	if a == nil {
		a = map[string]int{}
	}
	for k, v := range b {
		a[k] += v
	}
	return a
}

func (r *report) print(w io.Writer) {
	o := r.Opts
	fmt.Fprintf(w, "\n== odload report ==\n")
	fmt.Fprintf(w, "target %s; %d visitors (%d workers, sources %s), %d operators; page every %v (navigate=%s); measured %v\n",
		o.URL, o.Visitors, r.Workers, strings.Join(r.SourceAddrs, ","), o.Operators, o.PageEvery, o.Navigate, o.Duration)
	r.printConnect(w)
	r.printServer(w)
	r.printVisitors(w)
	r.printOperators(w)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func (r *report) printConnect(w io.Writer) {
	ramp := r.RampEnd.Sub(r.RampStart).Seconds()
	ct := make([]float64, len(r.ConnectUS))
	for i, us := range r.ConnectUS {
		ct[i] = float64(us) / 1000
	}
	q := summarize(ct)
	fmt.Fprintf(w, "\nconnect: %d connected, %d failed in %.1f s (%.0f/s); dial+hello→welcome ms p50 %.1f p99 %.1f max %.1f\n",
		r.Connected, r.Failed, ramp, float64(r.Connected)/max(ramp, 1e-9), q.P50, q.P99, q.Max)
	if len(r.IdleRows) > 0 {
		fmt.Fprintf(w, "idle Visitor List rows per console: %s (want %d)\n", rowsText(r.IdleRows), r.Connected)
	}
	if l := r.Late; l != nil {
		fmt.Fprintf(w, "a console opened when idle: reset frame of %d rows, %.1f KiB, read %.0f ms after dialing\n",
			l.Rows, float64(l.Bytes)/1024, float64(l.Took.Microseconds())/1000)
	}
}

func (r *report) printServer(w io.Writer) {
	if r.Before == nil {
		fmt.Fprintf(w, "\nserver: not measured (no --server-pid)\n")
		return
	}
	fmt.Fprintf(w, "\nserver process %d\n", r.Opts.ServerPID)
	fmt.Fprintf(w, "  %-28s %9s %9s %8s %7s %13s %10s\n", "checkpoint", "RSS MiB", "HWM MiB", "threads", "fds", "heap MiB", "stacks MiB")
	for _, c := range []struct {
		name string
		s    *procSnap
	}{{"before visitors", r.Before}, {"all connected", r.AfterRamp}, {"idle (after settle)", r.Idle}, {"idle (after next GC)", r.IdleGC}, {"end of measured phase", r.End}} {
		if c.s == nil {
			continue
		}
		heap, stacks := "-", "-"
		if g := c.s.GC; g != nil && g.N == 0 {
			heap = "<4 (no gc)"
		} else if g != nil {
			heap, stacks = fmt.Sprintf("%d (gc %d)", g.LiveMB, g.N), fmt.Sprint(g.StacksMB)
		}
		fmt.Fprintf(w, "  %-28s %9.1f %9.1f %8d %7d %13s %10s\n", c.name, mib(c.s.RSSKB), mib(c.s.HWMKB), c.s.Threads, c.s.FDs, heap, stacks)
	}
	r.printPerVisitor(w)
	if r.AfterRamp != nil {
		d := r.AfterRamp.At.Sub(r.Before.At).Seconds()
		fmt.Fprintf(w, "  CPU while connecting: %.1f s over %.1f s = %.2f cores\n", r.AfterRamp.CPU-r.Before.CPU, d, (r.AfterRamp.CPU-r.Before.CPU)/d)
	}
	if !r.SteadyCPUAt.IsZero() {
		d := r.SteadyCPUAt.Sub(r.SteadyStart).Seconds()
		cpu := r.SteadyServerCPU1 - r.SteadyServerCPU0
		q := summarize(r.CPUSamples)
		fmt.Fprintf(w, "  CPU in measured phase: %.1f s over %.1f s = %.3f cores (1 s samples: p50 %.3f, max %.3f)\n", cpu, d, cpu/d, q.P50, q.Max)
		fmt.Fprintf(w, "  load tool's own CPU in measured phase: %.3f cores; whole machine busy ≈ %.2f of %d cores (/proc/stat, tick-sampled); CPU pressure: some task waited for a CPU %.0f%% of the time\n",
			r.ToolCores, r.MachineCores, runtime.NumCPU(), r.CPUStall*100)
	}
}

// printPerVisitor is memory per idle visitor: the growth from "before" to
// idle, divided by the visitors connected.
func (r *report) printPerVisitor(w io.Writer) {
	if r.Connected == 0 || r.Idle == nil {
		return
	}
	if len(r.Opts.NodeURLs) > 1 {
		// the server measured is one node of several: it holds a share of
		// the visitors (bench-cluster's memory part measures that)
		return
	}
	n := float64(r.Connected)
	fmt.Fprintf(w, "  per idle visitor: RSS %.1f KiB (after settle)", float64(r.Idle.RSSKB-r.Before.RSSKB)/n)
	if r.IdleGC != nil {
		fmt.Fprintf(w, ", %.1f KiB (after next GC)", float64(r.IdleGC.RSSKB-r.Before.RSSKB)/n)
		if a, b := r.Before.GC, r.IdleGC.GC; a != nil && b != nil {
			fmt.Fprintf(w, "; Go live heap %.1f KiB, stacks %.1f KiB (gctrace, 1 MiB resolution)",
				float64(b.LiveMB-a.LiveMB)*1024/n, float64(b.StacksMB-a.StacksMB)*1024/n)
		}
	}
	fmt.Fprintln(w)
}

func (r *report) printVisitors(w io.Writer) {
	v := r.Visitors
	if r.SteadyStart.IsZero() {
		return
	}
	secs := r.SteadyEnd.Sub(r.SteadyStart).Seconds()
	fmt.Fprintf(w, "\nvisitors in measured phase: %d page changes sent (%.1f/s), %d write errors", v.PagesSent, float64(v.PagesSent)/secs, v.PageErrors)
	if r.Opts.Navigate == "socket" {
		rt := make([]float64, len(v.ReconnectUS))
		for i, us := range v.ReconnectUS {
			rt[i] = float64(us) / 1000
		}
		q := summarize(rt)
		fmt.Fprintf(w, "; %d reconnects (%d failed), ms p50 %.1f p99 %.1f max %.1f", v.Reconnects, v.ReconnectFails, q.P50, q.P99, q.Max)
	}
	fmt.Fprintln(w)
	for k, n := range v.Drops {
		fmt.Fprintf(w, "  sockets ended by the server: %d × %s\n", n, k)
	}
	for k, n := range v.Errors {
		fmt.Fprintf(w, "  visitor errors (whole run, connecting included): %d × %s\n", n, k)
	}
}

func (r *report) printOperators(w io.Writer) {
	if r.SteadyStart.IsZero() || len(r.Operators) == 0 {
		return
	}
	if r.Visitors.PagesSent == 0 {
		frames := 0
		for _, o := range r.Operators {
			frames += o.Frames
		}
		fmt.Fprintf(w, "\noperators in measured phase: no page changes were sent; %d visitors frames reached the %d consoles\n", frames, len(r.Operators))
		return
	}
	fmt.Fprintf(w, "\noperators in measured phase (visitors frames; bytes count every frame)\n")
	fmt.Fprintf(w, "  %4s %7s %8s %8s %9s %9s %10s %10s %10s %9s %7s %6s\n", "op", "frames", "frames/s", "max/1s", "min gap", "rows/frm", "KiB/s", "wire KiB/s", "max KiB/1s", "max frame", "seen", "rows")
	var fps, bps, wps []float64
	for _, o := range r.Operators {
		upf := 0.0
		if o.Frames > 0 {
			upf = float64(o.Upserts) / float64(o.Frames)
		}
		fmt.Fprintf(w, "  %4d %7d %8.2f %8d %8dms %9.1f %10.1f %10.1f %10.1f %8.1fK %6.1f%% %6d\n", o.N, o.Frames, o.FramesPerSec, o.MaxPerSecond,
			o.MinGap.Milliseconds(), upf, o.BytesPerSec/1024, o.WireBytesPerSec/1024, float64(o.MaxBytesPerSecond)/1024, float64(o.MaxFrameBytes)/1024, o.Coverage*100, o.Rows)
		if o.Ended != "" {
			fmt.Fprintf(w, "       console socket ended early: %s\n", o.Ended)
		}
		fps, bps, wps = append(fps, o.FramesPerSec), append(bps, o.BytesPerSec/1024), append(wps, o.WireBytesPerSec/1024)
	}
	f, b, wb := summarize(fps), summarize(bps), summarize(wps)
	fmt.Fprintf(w, "  all: frames/s mean %.2f max %.2f; KiB/s mean %.1f max %.1f; on the wire KiB/s mean %.1f max %.1f\n", f.Mean, f.Max, b.Mean, b.Max, wb.Mean, wb.Max)
	s := r.Staleness
	d := r.Delivery
	lo, hi := serverGaps(r.Operators)
	fmt.Fprintf(w, "  time between batches by their server_time: min %v, max %v; batch made → frame read by the operator, ms: p50 %.1f, p99 %.1f, max %.1f\n",
		lo, hi, d.P50, d.P99, d.Max)
	fmt.Fprintf(w, "\nstaleness (page sent → row arrives at an operator), %d samples: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
		s.N, s.P50, s.P95, s.P99, s.Max)
}

func mib(kb int64) float64 { return float64(kb) / 1024 }

// rowsText is "5000" when every console agrees, else min–max.
func rowsText(rows []int) string {
	if len(rows) == 0 {
		return "-"
	}
	lo, hi := rows[0], rows[0]
	for _, n := range rows {
		lo, hi = min(lo, n), max(hi, n)
	}
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

// serverGaps is the shortest and longest time between batches over every
// console, by the server's own clock.
func serverGaps(ops []operatorResult) (lo, hi time.Duration) {
	for _, o := range ops {
		if o.MinServerGap > 0 && (lo == 0 || o.MinServerGap < lo) {
			lo = o.MinServerGap
		}
		hi = max(hi, o.MaxServerGap)
	}
	return lo.Round(time.Millisecond), hi.Round(time.Millisecond)
}
