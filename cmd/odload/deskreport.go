package main

import (
	"fmt"
	"io"
	"time"
)

// routingReport is what one --mode routing run measured.
type routingReport struct {
	Opts       options
	Visitors   int // in the pool
	Start, End time.Time
	Scheduled  int           // arrivals the schedule held
	Started    int           // first messages written
	Skipped    int           // arrivals that found every visitor with a chat open
	MaxLag     time.Duration // how late odload's scheduler fired, at worst
	Chats      chatStats
	Errors     map[string]int
	ErrorTotal int
	Server     serverUse
	Notes      []string
}

// messagesReport is what one --mode messages run measured.
type messagesReport struct {
	Opts         options
	IdleVisitors int // connected
	IdleFailed   int
	Chats        int // chats chatting
	Start, End   time.Time
	MaxLag       time.Duration
	Msgs         msgStats
	Errors       map[string]int
	ErrorTotal   int
	Server       serverUse
	Notes        []string
}

func (r *routingReport) secs() float64 { return r.End.Sub(r.Start).Seconds() }

// rate is assignments seen per second of the measured window.
func (r *routingReport) rate() float64 {
	return float64(r.Chats.AssignedInWindow) / max(r.secs(), 1e-9)
}

// unassigned counts chats started and not seen assigned: waiting, or not
// even acknowledged by the end of the drain.
func (r *routingReport) unassigned() int { return r.Started - r.Chats.Assigned }

func (r *routingReport) print(w io.Writer) {
	o := r.Opts
	fmt.Fprintf(w, "\n== odload report: routing ==\n")
	fmt.Fprintf(w, "target %s; %d operators (chat limit %d, priority 1, chat rule Automatic); %d visitors in the pool; %.0f chats/s for %v, open loop\n",
		o.URL, o.Operators, o.ChatLimit, r.Visitors, o.ChatRate, o.Duration)
	fmt.Fprintf(w, "\nchats: %d scheduled, %d started (%.1f/s), %d not started because every visitor had a chat open\n",
		r.Scheduled, r.Started, float64(r.Started)/max(r.secs(), 1e-9), r.Skipped)
	c := r.Chats
	fmt.Fprintf(w, "  created (the visitor got its chat frame or ack) %d; assigned %d, of them %d inside the window = %.1f chats/s achieved\n",
		c.Created, c.Assigned, c.AssignedInWindow, r.rate())
	fmt.Fprintf(w, "  not seen assigned by the end (+%v drain): %d, of them %d created (waiting) and %d never seen created\n",
		o.Drain, r.unassigned(), c.Waiting, r.Started-c.Created)
	fmt.Fprintf(w, "  first message → assignment frame at the operator: %s\n", latText(c.Latency))
	fmt.Fprintf(w, "  first message → its ack to the visitor: %s; %d acks still missing\n", latText(c.AckLatency), c.Created-c.Acked)
	if lo, hi, ok := spread(c.PerOperator); ok {
		fmt.Fprintf(w, "  assignments per operator: %d–%d\n", lo, hi)
	}
	fmt.Fprintf(w, "  odload's scheduler fired at most %v late\n", r.MaxLag.Round(time.Millisecond))
	if r.Skipped > 0 {
		// a chat holds its visitor from the first message until its end is
		// acknowledged; with every visitor holding one, arrivals are lost
		fmt.Fprintf(w, "  the pool was the limit: a chat (start → assigned → ended) held its visitor longer than %d visitors / %.0f chats/s = %.2f s, so %.0f%% of the arrivals found no free visitor\n",
			r.Visitors, o.ChatRate, float64(r.Visitors)/o.ChatRate, 100*float64(r.Skipped)/float64(max(r.Scheduled, 1)))
	}
	printErrors(w, r.Errors, r.ErrorTotal)
	printServerUse(w, o.ServerPID, r.Server)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func (r *messagesReport) secs() float64 { return r.End.Sub(r.Start).Seconds() }

func (r *messagesReport) print(w io.Writer) {
	o := r.Opts
	fmt.Fprintf(w, "\n== odload report: messages ==\n")
	fmt.Fprintf(w, "target %s; %d operators (chat limit %d); %d idle visitors connected (%d failed); %d chats chatting; %.0f msg/s for %v, open loop, alternating visitor→operator and operator→visitor\n",
		o.URL, o.Operators, o.ChatLimit, r.IdleVisitors, r.IdleFailed, r.Chats, o.MsgRate, o.Duration)
	m := r.Msgs
	secs := max(r.secs(), 1e-9)
	fmt.Fprintf(w, "\nmessages: %d sent (%.1f/s), %d received by the other side (%.1f/s inside the window), %d lost (not received within the %v drain), %d duplicates, %d not sent (write failed or queue full)\n",
		m.Sent, float64(m.Sent)/secs, m.Received, float64(m.ReceivedInWindow)/secs, m.Lost, o.Drain, m.Duplicates, m.NotSent)
	fmt.Fprintf(w, "  send → receipt on the other side: %s\n", latText(m.Latency))
	fmt.Fprintf(w, "    visitor → operator: %s\n", latText(m.FromVisitor))
	fmt.Fprintf(w, "    operator → visitor: %s\n", latText(m.FromOperator))
	fmt.Fprintf(w, "  send → ack: p50 %.1f ms, p99 %.1f ms (%d acks)\n", m.Ack.P50, m.Ack.P99, m.Ack.N)
	fmt.Fprintf(w, "  odload's scheduler fired at most %v late\n", r.MaxLag.Round(time.Millisecond))
	printErrors(w, r.Errors, r.ErrorTotal)
	printServerUse(w, o.ServerPID, r.Server)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// latText is a latency line: p50/p90/p99/max in ms and the sample count.
func latText(q quantiles) string {
	if q.N == 0 {
		return "no samples"
	}
	return fmt.Sprintf("p50 %s, p90 %s, p99 %s, max %s ms (%d samples)", msText(q.P50), msText(q.P90), msText(q.P99), msText(q.Max), q.N)
}

// msText keeps three significant digits or so without a tail of zeros.
func msText(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func printErrors(w io.Writer, errs map[string]int, total int) {
	fmt.Fprintf(w, "  errors: %d\n", total)
	for _, k := range sortedKeys(errs) {
		fmt.Fprintf(w, "    %d × %s\n", errs[k], k)
	}
}

func printServerUse(w io.Writer, pid int, u serverUse) {
	if !u.Measured {
		fmt.Fprintf(w, "\nserver: not measured (no --server-pid); odload's own CPU %.2f cores\n", u.ToolCores)
		return
	}
	fmt.Fprintf(w, "\nserver process %d over the measured window (%.1f s): CPU %.3f cores (1 s samples: p50 %.3f, max %.3f); RSS %.1f → %.1f MiB (highest so far %.1f); odload's own CPU %.2f cores\n",
		pid, u.Secs, u.Cores, u.Samples.P50, u.Samples.Max, mib(u.RSSStartKB), mib(u.RSSEndKB), mib(u.HWMKB), u.ToolCores)
}

// spread is the smallest and largest count.
func spread(n []int) (lo, hi int, ok bool) {
	for i, v := range n {
		if i == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	return lo, hi, len(n) > 0
}
