package main

import (
	"context"
	"io"
)

// partResult is one part run on one set of nodes: the mode's own report,
// and the cores each process group used over its measured window.
type partResult struct {
	Nodes int
	Msgs  *messagesReport
	List  *report
	Mem   *memoryResult
	CPU   cpuUse
	Notes []string

	sampler *cpuSampler
}

// messages is --mode messages with the chatting visitors (and any idle
// ones) on the first node and the operators' consoles on the last: one
// node for the baseline, so both sides share it, and B for a cluster, so
// every message crosses from one node to the other through NATS.
func (r *partResult) messages(ctx context.Context, co clusterOptions, c *clusterNodes, out io.Writer) error {
	o := co.bench.load
	o.Mode = "messages"
	o.URL, o.ConsoleURL = c.nodes[0].url, c.nodes[len(c.nodes)-1].url
	o.ServerPID = c.nodes[0].pid()
	rep, err := runMessages(ctx, o)
	if rep != nil {
		rep.print(out)
		r.Msgs = rep
		r.CPU = r.sampler.window(rep.Start, rep.End)
	}
	return err
}

// list is --mode visitors with the visitors' workers and the consoles
// spread over every node, so most rows a console gets are of visitors on
// another node.
func (r *partResult) list(ctx context.Context, co clusterOptions, c *clusterNodes, out io.Writer) error {
	o := co.bench.load
	o.Mode, o.Navigate = "visitors", "page"
	o.URL, o.NodeURLs = c.nodes[0].url, c.urls()
	o.Operators = co.ListConsoles
	o.GCWait = 0
	o.ServerPID = c.nodes[0].pid()
	rep, err := run(ctx, o)
	if rep != nil {
		rep.print(out)
		r.List = rep
		if !rep.SteadyStart.IsZero() {
			r.CPU = r.sampler.window(rep.SteadyStart, rep.SteadyEnd)
		}
	}
	return err
}
