package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// clusterNodes is the nodes of one bench-cluster run: the first made the
// fresh database and drops it at the end; the others share it. Every node
// joins NATS with the run's own subject prefix, a lone baseline node too,
// so one node and several pay for the same PostgreSQL and NATS.
type clusterNodes struct {
	nodes []*benchServer
}

// startCluster starts n nodes; what it returns (even with an error) must
// be stopped.
func startCluster(ctx context.Context, co clusterOptions, n int) (*clusterNodes, error) {
	c := &clusterNodes{}
	bo := co.bench
	for _, flag := range []string{"database-url", "nats-url", "nats-prefix"} {
		if !acceptsFlag(bo.Bin, flag) {
			return c, fmt.Errorf("%s does not accept --%s (its --help does not list it): it cannot run as several nodes", bo.Bin, flag)
		}
	}
	prefix := "odbench-" + randomHex(6) + "."
	bo.ServerArgs = append(append(bo.ServerArgs, "--nats-url", co.NATSURL, "--nats-prefix", prefix), co.NodeFlags...)
	first, err := prepareAndStart(ctx, bo, "postgres", 0)
	if first != nil {
		c.nodes = append(c.nodes, first)
	}
	if err != nil {
		return c, err
	}
	for len(c.nodes) < n {
		dir, err := os.MkdirTemp("", "odbench-node-")
		if err != nil {
			return c, err
		}
		s := &benchServer{bo: bo, dir: dir, dbURL: first.dbURL}
		c.nodes = append(c.nodes, s)
		if err := s.start(ctx); err != nil {
			return c, fmt.Errorf("node %s: %w", nodeName(len(c.nodes)-1), err)
		}
	}
	fmt.Fprintf(os.Stderr, "%d node(s) up on database %s, NATS prefix %s\n", n, first.dbName, prefix)
	return c, nil
}

// stop takes the nodes down, the first last: it drops the database. With
// a logs dir, each node's log is kept there first.
func (c *clusterNodes) stop(logsDir, part string) {
	for i := len(c.nodes) - 1; i >= 0; i-- {
		if logsDir != "" {
			c.nodes[i].keepLog = filepath.Join(logsDir, fmt.Sprintf("%s-%dnodes-%s.log", part, len(c.nodes), nodeName(i)))
		}
		c.nodes[i].cleanup()
	}
}

func (c *clusterNodes) urls() []string {
	out := make([]string, len(c.nodes))
	for i, s := range c.nodes {
		out[i] = s.url
	}
	return out
}

// pids names each node's process for the CPU sampler.
func (c *clusterNodes) pids() map[int]string {
	out := map[int]string{}
	for i, s := range c.nodes {
		out[s.pid()] = "node " + nodeName(i)
	}
	return out
}

// ports are the nodes' listening ports.
func (c *clusterNodes) ports() map[int]bool {
	out := map[int]bool{}
	for _, s := range c.nodes {
		if u, err := url.Parse(s.url); err == nil {
			p, _ := strconv.Atoi(u.Port())
			out[p] = true
		}
	}
	return out
}

// exitedEarly names the nodes that died during the run.
func (c *clusterNodes) exitedEarly() string {
	var dead []string
	for i, s := range c.nodes {
		if e := s.exitedEarly(); e != "" {
			dead = append(dead, "node "+nodeName(i)+": "+e)
		}
	}
	return strings.Join(dead, "; ")
}

// nodeName is A, B, C…
func nodeName(i int) string { return string(rune('A' + i)) }
