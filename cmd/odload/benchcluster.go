package main

// bench-cluster measures several nodes of one install — one PostgreSQL
// database, one NATS subject prefix, nothing else shared — against one
// node on the same PostgreSQL and NATS, in one command. Each part runs its
// baseline and then its cluster, each on a fresh database and prefix with
// nodes bench-cluster starts itself:
//
//   - messages: --mode messages with the visitors on node A and their
//     operators' consoles on node B (benchcluster_parts.go);
//   - memory: N idle visitors on one node, then N on each of two
//     (benchcluster_memory.go);
//   - list: --mode visitors with visitors and consoles spread over
//     --list-nodes nodes (benchcluster_parts.go).
//
// Meanwhile a sampler reads every process's CPU from /proc, grouped by
// node, PostgreSQL, NATS and odload (benchcluster_sample.go); the summary
// puts each cluster beside its baseline (benchcluster_report.go, _tables.go).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// clusterOptions are bench-cluster's flags; bench carries bench-store's
// (the binary, PostgreSQL, the load flags).
type clusterOptions struct {
	bench        benchOptions
	NATSURL      string
	Parts        []string
	MemVisitors  int
	ListNodes    int
	ListConsoles int
	NodeFlags    []string // more flags for every node
	LogsDir      string   // keep every node's log here
}

func benchClusterMain(args []string) int {
	co, err := parseClusterFlags(args, os.Stderr)
	return runBench("bench-cluster", err, co.bench.MarkdownOut, func(ctx context.Context) (string, string, bool) {
		res := benchCluster(ctx, co, os.Stdout)
		var b strings.Builder
		res.print(&b)
		return b.String(), b.String(), res.failed()
	})
}

var clusterParts = []string{"messages", "memory", "list"}

func parseClusterFlags(args []string, out io.Writer) (clusterOptions, error) {
	var co clusterOptions
	bo, lo := &co.bench, &co.bench.load
	fs := flag.NewFlagSet("odload bench-cluster", flag.ContinueOnError)
	fs.SetOutput(out)
	addLoadFlags(fs, lo)
	for name, def := range map[string]string{"duration": "30s", "visitors": "15000", "idle-visitors": "0", "drain": "5s"} {
		f := fs.Lookup(name)
		f.DefValue = def
		f.Value.Set(def)
	}
	fs.Lookup("visitors").Usage = "list part: visitors moving pages, spread over --list-nodes nodes (the baseline holds them all on one)"
	fs.Lookup("operators").Usage = "messages part: operators with a console on node B, created as load-op-N@odload.test"
	fs.Lookup("idle-visitors").Usage = "messages part: idle visitor sockets on node A besides the chatting ones"
	fs.Lookup("duration").Usage = "length of the measured phase of the messages and list parts"
	defaultAdminFlags(fs, "the nodes bench-cluster starts")
	var parts, nodeFlags string
	fs.StringVar(&bo.Bin, "bin", "", "the outputdesk binary to start (required)")
	fs.StringVar(&bo.PGAdminURL, "pg-admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL URL on 127.0.0.0/8 allowed to CREATE and DROP DATABASE; each run gets a fresh odbench_<random> database")
	fs.StringVar(&bo.Psql, "psql", "psql", "the psql client used to create and drop the databases")
	fs.StringVar(&bo.MarkdownOut, "markdown-out", "", "also write the summary tables to this file")
	fs.DurationVar(&bo.StartTimeout, "start-timeout", time.Minute, "how long a node may take to answer GET /healthz 200")
	fs.StringVar(&co.NATSURL, "nats-url", "nats://127.0.0.1:4222", "the NATS server the nodes join, on 127.0.0.0/8; each run uses a subject prefix of its own")
	fs.StringVar(&nodeFlags, "node-flags", "", `more flags for every node, space separated, e.g. "--log-level info --node-ttl 10s" (they come after bench-cluster's own, so they win)`)
	fs.StringVar(&co.LogsDir, "logs-dir", "", "keep every node's log in this directory, as PART-Nnodes-NODE.log (default: logs go with the node's temporary data dir)")
	fs.StringVar(&parts, "parts", strings.Join(clusterParts, ","), "parts to run, in this order: messages, memory, list")
	fs.IntVar(&co.MemVisitors, "memory-visitors", 5000, "memory part: idle visitors per node (1 node holds N, 2 nodes hold N each)")
	fs.IntVar(&co.ListNodes, "list-nodes", 3, "list part: nodes the visitors and consoles are spread over")
	fs.IntVar(&co.ListConsoles, "list-consoles", 100, "list part: operators' consoles watching the Visitor List, spread over the nodes")
	fs.DurationVar(&lo.PageEvery, "page-every", 30*time.Second, "list part: each visitor moves to a new page this often, at a random phase")
	fs.DurationVar(&lo.Settle, "settle", 10*time.Second, "idle wait after visitors connected, before memory is read and before the list's measured phase")
	if err := parseCommand(fs, args, "Usage: odload bench-cluster --bin PATH [flags]\n\nStarts Output Desk nodes on a fresh PostgreSQL database and NATS prefix per run and measures,\neach beside one node on the same PostgreSQL and NATS: message latency across two nodes, idle\nmemory per visitor on two nodes, and Visitor List staleness over --list-nodes nodes.\n\n"); err != nil {
		return co, err
	}
	co.NodeFlags = strings.Fields(nodeFlags)
	var errs []error
	var err error
	if co.Parts, err = parseParts(parts); err != nil {
		errs = append(errs, err)
	}
	if bo.Bin == "" {
		errs = append(errs, errors.New("--bin is required: the outputdesk binary to start"))
	}
	if _, err := loopbackPG(bo.PGAdminURL); err != nil {
		errs = append(errs, err)
	}
	if err := loopbackNATS(co.NATSURL); err != nil {
		errs = append(errs, err)
	}
	if co.MemVisitors < 1 || co.ListNodes < 1 || co.ListConsoles < 1 || lo.Operators < 1 {
		errs = append(errs, errors.New("--memory-visitors, --list-nodes, --list-consoles and --operators must be at least 1"))
	}
	if lo.PageEvery <= 0 || lo.Settle < 0 {
		errs = append(errs, errors.New("--page-every must be above 0 and --settle not negative"))
	}
	lo.Mode, lo.URL, lo.Navigate = "visitors", "http://127.0.0.1:1", "page"
	errs = append(errs, lo.validate())
	return co, errors.Join(errs...)
}

func parseParts(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		switch f {
		case "messages", "memory", "list":
			out = append(out, f)
		case "":
		default:
			return nil, fmt.Errorf(`--parts: unknown part %q (want messages, memory and/or list)`, f)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("--parts is empty")
	}
	return out, nil
}

// loopbackNATS checks that every server of a NATS URL (a comma-separated
// list, as the nodes take it) is on 127.0.0.0/8.
func loopbackNATS(raw string) error {
	for _, one := range strings.Split(raw, ",") {
		u, err := url.Parse(strings.TrimSpace(one))
		if err != nil || u.Scheme != "nats" {
			return fmt.Errorf("--nats-url must be nats://host:port, got %q", one)
		}
		host := u.Hostname()
		if host == "localhost" {
			host = "127.0.0.1"
		}
		if ip := net.ParseIP(host); ip == nil || ip.To4() == nil || !loopback.Contains(ip) {
			return fmt.Errorf("--nats-url host %q is not in 127.0.0.0/8: odload only uses local servers", u.Hostname())
		}
	}
	return nil
}

// benchCluster runs the parts asked for, baseline first, and gathers
// their results.
func benchCluster(ctx context.Context, co clusterOptions, out io.Writer) *clusterResults {
	res := &clusterResults{co: co}
	for _, part := range co.Parts {
		for _, nodes := range partNodes(co, part) {
			if ctx.Err() != nil {
				res.add(part, nodes, nil, ctx.Err())
				continue
			}
			fmt.Fprintf(os.Stderr, "\n=== bench-cluster: %s, %d node(s) ===\n", part, nodes)
			r, err := runPart(ctx, co, part, nodes, out)
			res.add(part, nodes, r, err)
		}
	}
	return res
}

// partNodes is the node counts a part runs on: its baseline, then its
// cluster.
func partNodes(co clusterOptions, part string) []int {
	switch part {
	case "list":
		if co.ListNodes == 1 {
			return []int{1}
		}
		return []int{1, co.ListNodes}
	default:
		return []int{1, 2}
	}
}

// runPart starts the nodes on a fresh database and prefix, runs one part
// on them with the CPU sampler going, and takes them down.
func runPart(ctx context.Context, co clusterOptions, part string, nodes int, out io.Writer) (*partResult, error) {
	if part == "list" && nodes == 1 {
		if limit := int(nofile()) - 256; co.bench.load.Visitors+co.ListConsoles > limit {
			return &partResult{Nodes: 1, Notes: []string{fmt.Sprintf("not run: one node holds at most %d sockets (its open-file limit %d less 256), not %d visitors and %d consoles",
				limit, nofile(), co.bench.load.Visitors, co.ListConsoles)}}, nil
		}
	}
	c, err := startCluster(ctx, co, nodes)
	defer c.stop(co.LogsDir, part)
	if err != nil {
		return nil, err
	}
	s := startSampler(c.pids(), c.ports(), c.nodes[0].dbName)
	defer s.stop()
	r := &partResult{Nodes: nodes, sampler: s}
	switch part {
	case "messages":
		err = r.messages(ctx, co, c, out)
	case "memory":
		err = r.memory(ctx, co, c)
	case "list":
		err = r.list(ctx, co, c, out)
	}
	if exited := c.exitedEarly(); exited != "" {
		r.Notes = append(r.Notes, exited)
	}
	return r, err
}
