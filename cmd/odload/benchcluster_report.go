package main

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
)

// clusterResults is every run of a bench-cluster: per part, its baseline
// and its cluster.
type clusterResults struct {
	co   clusterOptions
	runs []clusterRun
}

type clusterRun struct {
	Part  string
	Nodes int
	R     *partResult // nil when the run failed before measuring
	Err   error
}

func (res *clusterResults) add(part string, nodes int, r *partResult, err error) {
	res.runs = append(res.runs, clusterRun{Part: part, Nodes: nodes, R: r, Err: err})
}

func (res *clusterResults) failed() bool {
	for _, r := range res.runs {
		if r.Err != nil {
			return true
		}
	}
	return false
}

// pair is a part's baseline and cluster runs (nil when not run).
func (res *clusterResults) pair(part string) (base, clus *clusterRun) {
	for i := range res.runs {
		r := &res.runs[i]
		if r.Part != part {
			continue
		}
		if r.Nodes == 1 && base == nil {
			base = r
		} else {
			clus = r
		}
	}
	return base, clus
}

// print writes one Markdown table per part, each cluster beside its
// baseline, with the goal the issue set.
func (res *clusterResults) print(w io.Writer) {
	fmt.Fprintf(w, "\n== odload bench-cluster summary ==\n")
	for _, part := range res.co.Parts {
		base, clus := res.pair(part)
		var t table
		var goal string
		switch part {
		case "messages":
			t, goal = messagesTable(res.co, base, clus)
		case "memory":
			t = memoryTable(res.co, base, clus)
		case "list":
			t, goal = listTable(res.co, base, clus)
		}
		fmt.Fprintln(w)
		t.markdown(w)
		if goal != "" {
			fmt.Fprintf(w, "\n%s\n", goal)
		}
		for _, r := range []*clusterRun{base, clus} {
			if r == nil {
				continue
			}
			if r.Err != nil {
				fmt.Fprintf(w, "\n%s on %d node(s) FAILED: %s\n", part, r.Nodes, oneLine(r.Err.Error()))
			}
			if r.R != nil {
				for _, n := range r.R.Notes {
					fmt.Fprintf(w, "note (%s, %d node(s)): %s\n", part, r.Nodes, n)
				}
			}
		}
	}
}

// table is a Markdown table: a header and rows of cells.
type table struct {
	head []string
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t table) markdown(w io.Writer) {
	line := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
	}
	line(t.head)
	fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(t.head)))
	for _, r := range t.rows {
		line(r)
	}
}

// cells applies f to the baseline and the cluster run: "-" for a run not
// made, and f sees only runs that measured something.
func cells(base, clus *clusterRun, f func(r *partResult) string) []string {
	out := make([]string, 2)
	for i, r := range []*clusterRun{base, clus} {
		switch {
		case r == nil || r.R == nil:
			out[i] = "-"
		default:
			out[i] = f(r.R)
		}
	}
	return out
}

// cpuText is the cores each process group used: the nodes, PostgreSQL,
// NATS and odload, then the whole machine and the CPU pressure.
func cpuText(u cpuUse) string {
	if u.Secs == 0 {
		return "-"
	}
	var nodes []string
	for g := range u.Cores {
		if strings.HasPrefix(g, "node ") {
			nodes = append(nodes, g)
		}
	}
	sort.Strings(nodes)
	var parts []string
	ours := 0.0
	for _, g := range append(nodes, groupPostgres, groupNATS, groupOdload) {
		parts = append(parts, fmt.Sprintf("%s %.2f", g, u.Cores[g]))
		ours += u.Cores[g]
	}
	// /proc/stat is tick-sampled: "others" is rough, and never below 0
	return fmt.Sprintf("%s; machine busy %.2f of %d (others ≈ %.2f); CPU pressure %.0f%%",
		strings.Join(parts, ", "), u.Machine, runtime.NumCPU(), max(0, u.Machine-ours), u.Pressure*100)
}

// goalText says whether v (ms) met a goal of at most limit, beside the
// baseline's value.
func goalText(what string, clus, base *clusterRun, v, bv func(*partResult) (float64, bool), limit float64, unit string) string {
	if clus == nil || clus.R == nil {
		return fmt.Sprintf("Goal %s ≤ %s: not measured.", what, unit)
	}
	got, ok := v(clus.R)
	if !ok {
		return fmt.Sprintf("Goal %s ≤ %s: not measured.", what, unit)
	}
	verdict := "met"
	if got > limit {
		verdict = "MISSED"
	}
	s := fmt.Sprintf("Goal %s ≤ %s: %s (%s ms", what, unit, verdict, msText(got))
	if base != nil && base.R != nil {
		if b, ok := bv(base.R); ok {
			s += fmt.Sprintf("; one node: %s ms", msText(b))
		}
	}
	return s + ")."
}

// queueText is the bytes waiting in the sockets between nodes and clients.
func queueText(u cpuUse) string {
	if u.Secs == 0 {
		return "-"
	}
	kib := func(b int64) float64 { return float64(b) / 1024 }
	return fmt.Sprintf("read late by the clients %.0f KiB (max %.0f); written by the nodes, not taken %.0f KiB (max %.0f)",
		kib(u.QueueMean.ClientRx), kib(u.QueueMax.ClientRx), kib(u.QueueMean.NodeTx), kib(u.QueueMax.NodeTx))
}

func quartet(q quantiles) string {
	if q.N == 0 {
		return "no samples"
	}
	return fmt.Sprintf("%s / %s / %s / %s", msText(q.P50), msText(q.P90), msText(q.P99), msText(q.Max))
}
