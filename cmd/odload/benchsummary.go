package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// summaryRow is one (store, history, mode) line of bench-store's table.
type summaryRow struct {
	Store   string
	History int
	Mode    string
	Target  float64 // chats/s or msg/s asked for
	Rate    float64 // achieved: chats assigned or messages received per second of the window
	Done    int     // chats assigned, messages received
	Of      int     // chats started, messages sent
	Left    int     // chats left waiting, messages lost
	Lat     quantiles
	Errors  int
	Cores   float64 // server CPU over the window; <0 when not measured
	RSSMiB  float64
	Note    string
	Failed  bool
}

// summary is the routing run's line.
func (r *routingReport) summary(store string, history int) summaryRow {
	row := summaryRow{Store: store, History: history, Mode: "routing", Target: r.Opts.ChatRate, Rate: r.rate(),
		Done: r.Chats.Assigned, Of: r.Started, Left: r.unassigned(), Lat: r.Chats.Latency, Errors: r.ErrorTotal}
	row.Cores, row.RSSMiB = useCells(r.Server)
	row.Note = fmt.Sprintf("%d arrivals found no free visitor; ack p50 %s ms", r.Skipped, msText(r.Chats.AckLatency.P50))
	return row
}

// summary is the messages run's line.
func (r *messagesReport) summary(store string, history int) summaryRow {
	m := r.Msgs
	row := summaryRow{Store: store, History: history, Mode: "messages", Target: r.Opts.MsgRate,
		Rate: float64(m.ReceivedInWindow) / max(r.secs(), 1e-9), Done: m.Received, Of: m.Sent, Left: m.Lost, Lat: m.Latency, Errors: r.ErrorTotal}
	row.Cores, row.RSSMiB = useCells(r.Server)
	row.Note = fmt.Sprintf("%d chats, %d idle visitors; ack p50 %s p99 %s ms; %d duplicates", r.Chats, r.IdleVisitors,
		msText(m.Ack.P50), msText(m.Ack.P99), m.Duplicates)
	return row
}

func useCells(u serverUse) (cores, rss float64) {
	if !u.Measured {
		return -1, 0
	}
	return u.Cores, mib(u.RSSEndKB)
}

// failedRow stands for a run that did not happen or broke off.
func failedRow(store string, history int, mode string, err error) summaryRow {
	return summaryRow{Store: store, History: history, Mode: mode, Failed: true, Note: "FAILED: " + oneLine(err.Error())}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

var summaryHeader = []string{"store", "history", "mode", "target/s", "achieved/s", "done/of", "waiting or lost",
	"p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "server cores", "RSS MiB", "notes"}

// cells is a row as text, in summaryHeader's order.
func (r summaryRow) cells() []string {
	c := []string{r.Store, fmt.Sprint(r.History), r.Mode}
	if r.Failed {
		for range summaryHeader[3 : len(summaryHeader)-1] {
			c = append(c, "-")
		}
		return append(c, r.Note)
	}
	cores, rss := "-", "-"
	if r.Cores >= 0 {
		cores, rss = fmt.Sprintf("%.2f", r.Cores), fmt.Sprintf("%.0f", r.RSSMiB)
	}
	lat := func(v float64) string {
		if r.Lat.N == 0 {
			return "-"
		}
		return msText(v)
	}
	return append(c, fmt.Sprintf("%.0f", r.Target), fmt.Sprintf("%.1f", r.Rate), fmt.Sprintf("%d/%d", r.Done, r.Of), fmt.Sprint(r.Left),
		lat(r.Lat.P50), lat(r.Lat.P90), lat(r.Lat.P99), lat(r.Lat.Max), fmt.Sprint(r.Errors), cores, rss, r.Note)
}

// printSummary writes the rows as an aligned text table.
func printSummary(w io.Writer, rows []summaryRow) {
	fmt.Fprintf(w, "\n== odload bench-store summary ==\n")
	fmt.Fprintf(w, "routing: done/of = chats assigned/started, waiting = still unassigned at the end, latency = first message → assignment frame at the operator\n")
	fmt.Fprintf(w, "messages: done/of = messages received/sent, lost = never received, latency = send → the other side's message frame\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(summaryHeader, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t"))
	}
	tw.Flush()
}

// markdownSummary is the same table in Markdown, for docs/performance.md.
func markdownSummary(rows []summaryRow) string {
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	line(append([]string(nil), summaryHeader...))
	sep := make([]string, len(summaryHeader))
	for i := range sep {
		sep[i] = "---"
	}
	b.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range rows {
		line(r.cells())
	}
	return b.String()
}
