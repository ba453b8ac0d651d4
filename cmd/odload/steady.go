package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"sort"
	"time"
)

// steady runs the measured phase: the workers move pages from start to
// end while the consoles record and the server's CPU is sampled each second.
func (r *loadRun) steady(ctx context.Context) error {
	if r.o.Duration == 0 {
		r.rep.End = r.server()
		return nil
	}
	start := time.Now().Add(time.Second)
	end := start.Add(r.o.Duration)
	r.rep.SteadyStart, r.rep.SteadyEnd = start, end
	for _, w := range r.workers {
		if err := w.enc.Encode(workerCmd{Type: "steady", Start: start.UnixNano(), End: end.UnixNano()}); err != nil {
			return fmt.Errorf("worker %d: %w", w.pid, err)
		}
	}
	r.logf("measured phase: %v, visitors move every %v (%s)", r.o.Duration, r.o.PageEvery, r.o.Navigate)
	r.sampleCPU(ctx, start, end) // until end
	if ctx.Err() != nil {
		return ctx.Err()
	}
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for _, w := range r.workers {
		m, err := w.await(waitCtx, "done", nil)
		if err != nil {
			return err
		}
		r.rep.Visitors.merge(m.Stats)
	}
	if err := sleepCtx(ctx, r.o.Drain); err != nil {
		return err
	}
	r.rep.End = r.server()
	r.logf("measured phase over")
	return nil
}

// sampleCPU records the server's cores used in each second of the phase,
// and the load tool's own CPU (coordinator and workers) over all of it.
func (r *loadRun) sampleCPU(ctx context.Context, start, end time.Time) {
	if sleepCtx(ctx, time.Until(start)) != nil {
		return
	}
	for _, c := range r.consoles {
		c.wireStart = c.wire.Load()
	}
	tool0 := r.toolCPU()
	busy0, _ := machineBusy()
	stall0, _ := cpuPressure()
	var prev float64
	prevAt := time.Now()
	if r.o.ServerPID != 0 {
		prev, _ = procCPU(r.o.ServerPID)
	}
	r.rep.SteadyServerCPU0 = prev
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for time.Now().Before(end) {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if r.o.ServerPID == 0 {
				continue
			}
			cpu, err := procCPU(r.o.ServerPID)
			if err != nil {
				continue
			}
			r.rep.CPUSamples = append(r.rep.CPUSamples, (cpu-prev)/now.Sub(prevAt).Seconds())
			prev, prevAt = cpu, now
		}
	}
	r.rep.SteadyServerCPU1, r.rep.SteadyCPUAt = prev, prevAt
	for _, c := range r.consoles {
		c.wireEnd = c.wire.Load()
	}
	busy1, _ := machineBusy()
	secs := time.Since(start).Seconds()
	r.rep.ToolCores = (r.toolCPU() - tool0) / secs
	r.rep.MachineCores = (busy1 - busy0) / secs
	if stall1, err := cpuPressure(); err == nil {
		r.rep.CPUStall = float64(stall1-stall0) / float64(time.Since(start))
	}
}

// toolCPU is the CPU seconds of this process and its workers.
func (r *loadRun) toolCPU() float64 {
	total, _ := procCPU(os.Getpid())
	for _, w := range r.workers {
		c, _ := procCPU(w.pid)
		total += c
	}
	return total
}

// collect turns what the consoles recorded into the report's numbers.
func (r *loadRun) collect() {
	rep := r.rep
	start, end := rep.SteadyStart, rep.SteadyEnd
	var stale, delays []float64
	var csv *bufio.Writer
	if r.o.FramesOut != "" {
		f, err := os.Create(r.o.FramesOut)
		if err != nil {
			rep.note("--frames-out: %v", err)
		} else {
			defer f.Close()
			csv = bufio.NewWriter(f)
			defer csv.Flush()
			fmt.Fprintln(csv, "operator,arrival_ns,server_time_ns,bytes,visitors,reset,upserts,removes")
		}
	}
	for _, c := range r.consoles {
		frames, samples, rows, ended := c.snapshot()
		if csv != nil {
			writeFrames(csv, c.n, frames)
		}
		res := operatorResultOf(c.n, frames, samples, start, end)
		res.Rows = rows
		res.WireBytesPerSec = float64(c.wireEnd-c.wireStart) / end.Sub(start).Seconds()
		if ended != nil {
			res.Ended = ended.Error()
		}
		if rep.Visitors.PagesSent > 0 {
			res.Coverage = float64(res.Samples) / float64(rep.Visitors.PagesSent)
		}
		rep.Operators = append(rep.Operators, res)
		delays = append(delays, res.delays...)
		for _, s := range samples {
			if inWindow(time.Unix(0, s.sent), start, end) {
				stale = append(stale, float64(s.arrived-s.sent)/1e6)
			}
		}
	}
	rep.Staleness, rep.Delivery = summarize(stale), summarize(delays)
}

// operatorResultOf reduces one console's frames to the measured phase.
func operatorResultOf(n int, frames []frameRec, samples []staleRec, start, end time.Time) operatorResult {
	res := operatorResult{N: n}
	secs := end.Sub(start).Seconds()
	var vt, at []time.Time
	var sizes []int
	var prevServer time.Time
	for _, f := range frames {
		if !inWindow(f.at, start, end) {
			continue
		}
		at, sizes = append(at, f.at), append(sizes, f.size)
		res.Bytes += int64(f.size)
		if f.visitors {
			vt = append(vt, f.at)
			if !f.server.IsZero() {
				if gap := f.server.Sub(prevServer); !prevServer.IsZero() {
					res.MaxServerGap = max(res.MaxServerGap, gap)
					if res.MinServerGap == 0 || gap < res.MinServerGap {
						res.MinServerGap = gap
					}
				}
				prevServer = f.server
				res.delays = append(res.delays, float64(f.at.Sub(f.server))/1e6)
			}
			res.Frames++
			res.Upserts += f.upserts
			res.Removes += f.removes
			res.MaxFrameBytes = max(res.MaxFrameBytes, f.size)
		}
	}
	sort.Slice(vt, func(i, j int) bool { return vt[i].Before(vt[j]) })
	res.MaxPerSecond = maxInWindow(vt, nil, time.Second)
	res.MinGap = minGap(vt)
	res.MaxBytesPerSecond = maxInWindow(at, sizes, time.Second)
	if secs > 0 {
		res.FramesPerSec, res.BytesPerSec = float64(res.Frames)/secs, float64(res.Bytes)/secs
	}
	for _, s := range samples {
		if inWindow(time.Unix(0, s.sent), start, end) {
			res.Samples++
		}
	}
	return res
}

// cleanup closes the consoles and stops the workers, whatever happened.
func (r *loadRun) cleanup() {
	for _, c := range r.consoles {
		c.close()
	}
	for _, w := range r.workers {
		w.stop()
		r.rep.WorkerCPUTotal += w.cpuSeconds()
	}
}

func writeFrames(w *bufio.Writer, n int, frames []frameRec) {
	for _, f := range frames {
		var st int64
		if !f.server.IsZero() {
			st = f.server.UnixNano()
		}
		fmt.Fprintf(w, "%d,%d,%d,%d,%v,%v,%d,%d\n", n, f.at.UnixNano(), st, f.size, f.visitors, f.reset, f.upserts, f.removes)
	}
}
