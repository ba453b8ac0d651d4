package main

import (
	"fmt"
	"strings"
)

// The three parts' summary tables: one row per figure, the baseline's
// column beside the cluster's.

func messagesTable(co clusterOptions, base, clus *clusterRun) (table, string) {
	t := table{head: []string{"messages at " + fmt.Sprintf("%.0f", co.bench.load.MsgRate) + " msg/s", "1 node (visitors and consoles on A)", "2 nodes (visitors on A, consoles on B)"}}
	add := func(label string, f func(m *messagesReport, r *partResult) string) {
		t.row(append([]string{label}, cells(base, clus, func(r *partResult) string {
			if r.Msgs == nil {
				return "-"
			}
			return f(r.Msgs, r)
		})...)...)
	}
	add("chats; idle visitors", func(m *messagesReport, _ *partResult) string {
		return fmt.Sprintf("%d chats, %d operators; %d idle", m.Chats, m.Opts.Operators, m.IdleVisitors)
	})
	add("sent / received / lost / duplicates", func(m *messagesReport, _ *partResult) string {
		return fmt.Sprintf("%d / %d / %d / %d", m.Msgs.Sent, m.Msgs.Received, m.Msgs.Lost, m.Msgs.Duplicates)
	})
	add("received in the window", func(m *messagesReport, _ *partResult) string {
		return fmt.Sprintf("%.1f msg/s", float64(m.Msgs.ReceivedInWindow)/max(m.secs(), 1e-9))
	})
	add("send → other side, p50 / p90 / p99 / max ms", func(m *messagesReport, _ *partResult) string { return quartet(m.Msgs.Latency) })
	add("the slowest was sent", func(m *messagesReport, _ *partResult) string {
		if m.Msgs.Latency.N == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f s into the window", m.Msgs.MaxSent.Sub(m.Start).Seconds())
	})
	add("visitor → operator", func(m *messagesReport, _ *partResult) string { return quartet(m.Msgs.FromVisitor) })
	add("operator → visitor", func(m *messagesReport, _ *partResult) string { return quartet(m.Msgs.FromOperator) })
	add("send → ack", func(m *messagesReport, _ *partResult) string { return quartet(m.Msgs.Ack) })
	add("errors", func(m *messagesReport, _ *partResult) string { return errorsText(m.Errors, m.ErrorTotal) })
	add("CPU cores over the window", func(_ *messagesReport, r *partResult) string { return cpuText(r.CPU) })
	add("bytes in the sockets, mean of 1 s samples", func(_ *messagesReport, r *partResult) string { return queueText(r.CPU) })
	p99 := func(r *partResult) (float64, bool) {
		if r.Msgs == nil || r.Msgs.Msgs.Latency.N == 0 {
			return 0, false
		}
		return r.Msgs.Msgs.Latency.P99, true
	}
	return t, goalText("cross-node message p99", clus, base, p99, p99, 20, "20 ms")
}

func memoryTable(co clusterOptions, base, clus *clusterRun) table {
	n := co.MemVisitors
	t := table{head: []string{"idle visitors", fmt.Sprintf("1 node, %d visitors", n), fmt.Sprintf("2 nodes, %d each", n)}}
	nodes := 1
	if clus != nil && clus.R != nil && clus.R.Mem != nil {
		nodes = len(clus.R.Mem.Before)
	}
	mem := func(f func(m *memoryResult) string) func(r *partResult) string {
		return func(r *partResult) string {
			if r.Mem == nil || len(r.Mem.Steps) == 0 {
				return "-"
			}
			return f(r.Mem)
		}
	}
	t.row(append([]string{"visitors connected (failed)"}, cells(base, clus, mem(func(m *memoryResult) string {
		var s []string
		for _, st := range m.Steps {
			s = append(s, fmt.Sprintf("%s %d (%d)", nodeName(st.Node), st.Connected, st.Failed))
		}
		return strings.Join(s, ", ")
	}))...)...)
	for i := 0; i < nodes; i++ {
		t.row(append([]string{"node " + nodeName(i) + ": RSS MiB before → after each step"}, cells(base, clus, mem(func(m *memoryResult) string {
			if i >= len(m.Before) {
				return "-"
			}
			s := fmt.Sprintf("%.1f", mib(m.Before[i].RSSKB))
			for _, st := range m.Steps {
				s += fmt.Sprintf(" → %.1f", mib(st.After[i].RSSKB))
			}
			return s
		}))...)...)
		t.row(append([]string{"node " + nodeName(i) + ": RSS KiB per visitor it holds"}, cells(base, clus, mem(func(m *memoryResult) string {
			if i >= len(m.Before) {
				return "-"
			}
			nm := m.node(i)
			s := fmt.Sprintf("**%.1f**", nm.PerOwnKB)
			if nm.Others > 0 {
				s += fmt.Sprintf(" (own step %.1f; grew %.1f per visitor connected to the other node)",
					float64(nm.OwnStepKB)/float64(max(nm.Own, 1)), float64(nm.OthersStepKB)/float64(nm.Others))
			}
			return s
		}))...)...)
	}
	t.row(append([]string{"idle CPU cores, every visitor connected"}, cells(base, clus, func(r *partResult) string { return cpuText(r.CPU) })...)...)
	return t
}

func listTable(co clusterOptions, base, clus *clusterRun) (table, string) {
	nodes := co.ListNodes
	t := table{head: []string{"Visitor List", "1 node", fmt.Sprintf("%d nodes", nodes)}}
	add := func(label string, f func(rep *report, r *partResult) string) {
		t.row(append([]string{label}, cells(base, clus, func(r *partResult) string {
			if r.List == nil {
				return "-"
			}
			return f(r.List, r)
		})...)...)
	}
	add("visitors connected (failed); consoles", func(rep *report, r *partResult) string {
		return fmt.Sprintf("%d (%d); %d consoles over %d node(s)", rep.Connected, rep.Failed, rep.Opts.Operators, r.Nodes)
	})
	add("rows each console listed when idle", func(rep *report, _ *partResult) string {
		return fmt.Sprintf("%s (want %d)", rowsText(rep.IdleRows), rep.Connected)
	})
	add("page changes in the measured phase", func(rep *report, _ *partResult) string {
		secs := rep.SteadyEnd.Sub(rep.SteadyStart).Seconds()
		return fmt.Sprintf("%d (%.1f/s), %d errors", rep.Visitors.PagesSent, float64(rep.Visitors.PagesSent)/max(secs, 1e-9), rep.Visitors.PageErrors)
	})
	add("changes seen, per console", func(rep *report, _ *partResult) string { return coverageText(rep.Operators) })
	add("staleness p50 / p99 / max ms", func(rep *report, _ *partResult) string {
		s := rep.Staleness
		if s.N == 0 {
			return "no samples"
		}
		return fmt.Sprintf("**%.0f / %.0f / %.0f** (%d samples)", s.P50, s.P99, s.Max, s.N)
	})
	add("batch made → read p50 / p99 / max ms", func(rep *report, _ *partResult) string {
		d := rep.Delivery
		return fmt.Sprintf("%.1f / %.1f / %.1f", d.P50, d.P99, d.Max)
	})
	add("per console: frames/s; KiB/s decoded; KiB/s on the wire", func(rep *report, _ *partResult) string { return bandwidthText(rep.Operators) })
	add("rows removed (no visitor left: should be 0)", func(rep *report, _ *partResult) string { return removedText(rep.Operators) })
	add("consoles whose socket ended", func(rep *report, _ *partResult) string { return endedText(rep.Operators) })
	add("CPU cores over the measured phase", func(_ *report, r *partResult) string { return cpuText(r.CPU) })
	add("bytes in the sockets, mean of 1 s samples", func(_ *report, r *partResult) string { return queueText(r.CPU) })
	p99 := func(r *partResult) (float64, bool) {
		if r.List == nil || r.List.Staleness.N == 0 {
			return 0, false
		}
		return r.List.Staleness.P99, true
	}
	return t, goalText("Visitor List staleness p99", clus, base, p99, p99, 1500, "1.5 s")
}

// bandwidthText is the mean over the consoles (and the largest).
func bandwidthText(ops []operatorResult) string {
	if len(ops) == 0 {
		return "-"
	}
	var fps, bps, wps []float64
	for _, o := range ops {
		fps, bps, wps = append(fps, o.FramesPerSec), append(bps, o.BytesPerSec/1024), append(wps, o.WireBytesPerSec/1024)
	}
	f, b, wb := summarize(fps), summarize(bps), summarize(wps)
	return fmt.Sprintf("%.2f; %.1f (max %.1f); %.1f (max %.1f)", f.Mean, b.Mean, b.Max, wb.Mean, wb.Max)
}

// coverageText is the smallest and mean share of the page changes a
// console saw as a new row.
func coverageText(ops []operatorResult) string {
	if len(ops) == 0 {
		return "-"
	}
	var c []float64
	for _, o := range ops {
		c = append(c, o.Coverage*100)
	}
	q := summarize(c)
	return fmt.Sprintf("mean %.1f%%, lowest %.1f%%", q.Mean, minOf(c))
}

func minOf(v []float64) float64 {
	lo := v[0]
	for _, x := range v {
		lo = min(lo, x)
	}
	return lo
}

// removedText is the rows removed over every console, and the consoles
// that had any.
func removedText(ops []operatorResult) string {
	n, cons := 0, 0
	for _, o := range ops {
		n += o.Removes
		cons += btoi(o.Removes > 0)
	}
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%d, at %d of %d consoles", n, cons, len(ops))
}

func endedText(ops []operatorResult) string {
	n := 0
	var why string
	for _, o := range ops {
		if o.Ended != "" {
			n, why = n+1, o.Ended
		}
	}
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (last: %s)", n, oneLine(why))
}

func errorsText(errs map[string]int, total int) string {
	if total == 0 {
		return "0"
	}
	var s []string
	for _, k := range sortedKeys(errs) {
		s = append(s, fmt.Sprintf("%d × %s", errs[k], k))
	}
	return fmt.Sprintf("%d: %s", total, strings.Join(s, "; "))
}
