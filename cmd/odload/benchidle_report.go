package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"
)

// The per-visitor figures of a run; ok is false when the run has none.

func (r *idleRun) perVisitor(grew float64) (float64, bool) {
	if r == nil || r.Err != nil || r.Connected == 0 {
		return 0, false
	}
	return grew / float64(r.Connected), true
}

func (r *idleRun) rssKiB() (float64, bool) {
	return r.perVisitor(float64(r.RSSAfterKB - r.RSSBeforeKB))
}

func (r *idleRun) heapInuseKiB() (float64, bool) {
	return r.perVisitor((r.After.HeapInuse - r.Before.HeapInuse) / 1024)
}

func (r *idleRun) liveHeapKiB() (float64, bool) {
	return r.perVisitor((r.AfterGC.HeapAlloc - r.BeforeGC.HeapAlloc) / 1024)
}

func (r *idleRun) stackKiB() (float64, bool) {
	return r.perVisitor((r.After.StackInuse - r.Before.StackInuse) / 1024)
}

func (r *idleRun) goroutines() (float64, bool) {
	return r.perVisitor(r.After.Goroutines - r.Before.Goroutines)
}

func (r *idleRun) connectMS() (float64, bool) {
	return r.perVisitor(r.ConnectCPU * 1000)
}

func (r *idleRun) pingsEach() (float64, bool) {
	return r.perVisitor(float64(r.Pings))
}

func (r *idleRun) idleCPUPct() (float64, bool) {
	if r == nil || r.Err != nil || r.HoldSecs == 0 {
		return 0, false
	}
	return r.HoldCPU / r.HoldSecs * 100, true
}

func (r *idleRun) heapGoalMiB() (float64, bool) {
	if r == nil || r.Err != nil {
		return 0, false
	}
	return r.After.NextGC / (1 << 20), true
}

// idleRows are the table's figures, in order.
var idleRows = []struct {
	label  string
	value  func(*idleRun) (float64, bool)
	format string
}{
	{"RSS per idle visitor (KiB)", (*idleRun).rssKiB, "%.1f"},
	{"Go heap in use per visitor (KiB)", (*idleRun).heapInuseKiB, "%.1f"},
	{"live heap after GC per visitor (KiB)", (*idleRun).liveHeapKiB, "%.1f"},
	{"stack per visitor (KiB)", (*idleRun).stackKiB, "%.1f"},
	{"goroutines per visitor", (*idleRun).goroutines, "%.2f"},
	{"idle CPU (% of a core)", (*idleRun).idleCPUPct, "%.2f"},
	{"CPU per connect (ms)", (*idleRun).connectMS, "%.3f"},
	{"pings per visitor during the hold", (*idleRun).pingsEach, "%.2f"},
	{"heap goal at the end of the hold (MiB)", (*idleRun).heapGoalMiB, "%.1f"},
}

// markdown is the whole report: the table of each round, the medians over
// the rounds when there are several, and the machine's context.
func (res *idleResults) markdown() string {
	var b strings.Builder
	o := res.o
	fmt.Fprintf(&b, "## Idle visitors: Output Desk beside the floor\n\n")
	fmt.Fprintf(&b, "%d idle visitors a server (ramp %d/s, settle %v, hold %v); the floor pings every %v, Output Desk every 25 s (built in). %d CPUs. The run took %s.\n\n",
		o.Visitors, o.RampRate, o.Settle, o.Hold, o.PingEvery, runtime.NumCPU(), durationText(res.took))
	if res.err != nil {
		fmt.Fprintf(&b, "FAILED: %v\n", res.err)
		return b.String()
	}
	for _, rd := range res.rounds {
		if len(res.rounds) > 1 {
			fmt.Fprintf(&b, "### Round %d\n\n", rd[0].Round)
		}
		idleTable(&b, []*idleRun{rd[1]}, []*idleRun{rd[0]})
	}
	if len(res.rounds) > 1 {
		var desk, floor []*idleRun
		for _, rd := range res.rounds {
			floor, desk = append(floor, rd[0]), append(desk, rd[1])
		}
		fmt.Fprintf(&b, "### Median of %d rounds\n\n", len(res.rounds))
		idleTable(&b, desk, floor)
	}
	fmt.Fprintf(&b, "Per visitor = (at the end of the hold − before any visitor) / visitors connected. RSS and heap in use are read without forcing a collection; the live heap is read after one (`/debug/pprof/heap?gc=1`), at both ends. CPU per connect is the server's CPU while the visitors connected, over those connected; idle CPU is over the hold.\n\n")
	for _, rd := range res.rounds {
		for _, r := range rd {
			fmt.Fprintf(&b, "- %s\n", r.context())
		}
	}
	return b.String()
}

// idleTable prints one table: each figure is the median of its runs.
func idleTable(b *strings.Builder, desk, floor []*idleRun) {
	fmt.Fprintf(b, "| idle visitors | Output Desk | floor | Output Desk / floor |\n| --- | --- | --- | --- |\n")
	for _, row := range idleRows {
		d, dok := medianOf(desk, row.value)
		f, fok := medianOf(floor, row.value)
		cell := func(v float64, ok bool) string {
			if !ok {
				return "-"
			}
			return fmt.Sprintf(row.format, v)
		}
		ratio := "-"
		if dok && fok && f > 0 {
			ratio = fmt.Sprintf("%.2f×", d/f)
		}
		// no Output Desk figure without its floor
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", row.label, cell(d, dok && fok), cell(f, fok), ratio)
	}
	fmt.Fprintf(b, "| visitors connected / failed | %s | %s | |\n\n", countsText(desk), countsText(floor))
}

// medianOf is the median of the runs that have the figure.
func medianOf(runs []*idleRun, value func(*idleRun) (float64, bool)) (float64, bool) {
	var vs []float64
	for _, r := range runs {
		if v, ok := value(r); ok {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2, true
	}
	return vs[len(vs)/2], true
}

func countsText(runs []*idleRun) string {
	var parts []string
	for _, r := range runs {
		if r.Err != nil && r.Connected == 0 {
			parts = append(parts, "-")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s / %d", thousands(r.Connected), r.Failed))
	}
	return strings.Join(parts, ", ")
}

// context is a run's line under the tables: what the machine did during
// its hold, its raw readings, and what went wrong.
func (r *idleRun) context() string {
	head := fmt.Sprintf("%s, round %d: ", r.Server, r.Round)
	if r.Err != nil {
		return head + "FAILED: " + r.Err.Error() + notesText(r.Notes)
	}
	u := r.Machine
	// /proc/stat is tick-sampled: "others" is rough, and never below 0
	others := u.Machine - u.Cores[groupServer] - u.Cores[groupOdload]
	s := fmt.Sprintf("hold %.1f s: server %.3f cores, odload and its workers %.3f, machine busy %.2f of %d (others ≈ %.2f), CPU pressure %.1f%%; RSS %.1f → %.1f MiB; heap in use %.1f → %.1f MiB, live after GC %.1f → %.1f MiB; %d goroutines → %d; connect phase %.1f s, %.2f server CPU s",
		r.HoldSecs, r.HoldCPU/r.HoldSecs, u.Cores[groupOdload], u.Machine, runtime.NumCPU(), max(0, others), u.Pressure*100,
		float64(r.RSSBeforeKB)/1024, float64(r.RSSAfterKB)/1024, r.Before.HeapInuse/(1<<20), r.After.HeapInuse/(1<<20),
		r.BeforeGC.HeapAlloc/(1<<20), r.AfterGC.HeapAlloc/(1<<20), int(r.Before.Goroutines), int(r.After.Goroutines), r.ConnectSecs, r.ConnectCPU)
	if len(r.Drops) > 0 {
		s += fmt.Sprintf("; sockets the server closed: %v", r.Drops)
	}
	return head + s + notesText(r.Notes)
}

func notesText(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	return "; " + strings.Join(notes, "; ")
}

// durationText is a run's length as "4 min 05 s".
func durationText(d time.Duration) string {
	s := int(d.Seconds() + 0.5)
	if s < 60 {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d min %02d s", s/60, s%60)
}

// thousands writes n with comma separators: 15,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
