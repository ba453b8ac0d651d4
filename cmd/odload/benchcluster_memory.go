package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// memoryResult is the memory part on one set of nodes: every node's RSS
// before any visitor, and after each step, a step being --memory-visitors
// idle visitors connected to one node, then the settle.
type memoryResult struct {
	PerNode int // visitors asked of each node
	Before  []procSnap
	Steps   []memStep
}

type memStep struct {
	Node              int
	Connected, Failed int
	After             []procSnap // every node
}

// memory connects the idle visitors node by node, reading every node's
// memory after each step: node B's growth while only A's visitors come is
// what a node spends on another node's visitors. The idle CPU is that of
// the last settle, with every visitor connected.
func (r *partResult) memory(ctx context.Context, co clusterOptions, c *clusterNodes) error {
	o := co.bench.load
	base, err := loopbackBase(c.nodes[0].url)
	if err != nil {
		return err
	}
	admin, err := login(ctx, base, o.AdminEmail, o.AdminPassword)
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	siteKey, err := admin.siteKey(ctx)
	if err != nil {
		return err
	}
	n := co.MemVisitors
	srcs, err := sourceAddrs(o.SourceBase, max(1, (n*len(c.nodes)+4999)/5000))
	if err != nil {
		return err
	}
	addrs := make([]string, len(srcs))
	for i, a := range srcs {
		addrs[i] = a.IP.String()
	}
	// the nodes finish starting (pools, the first heartbeats) before "before"
	if err := sleepCtx(ctx, o.Settle); err != nil {
		return err
	}
	m := &memoryResult{PerNode: n, Before: snapshots(c)}
	r.Mem = m
	var workers []*worker
	defer func() {
		for _, w := range workers {
			w.stop()
		}
	}()
	for i, node := range c.nodes {
		step := memStep{Node: i}
		ws, err := connectIdle(ctx, o, node.url, siteKey, n, i*n, addrs, &step)
		workers = append(workers, ws...)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "node %s: %d idle visitors connected, %d failed; settling %v\n", nodeName(i), step.Connected, step.Failed, o.Settle)
		settled := time.Now()
		if err := sleepCtx(ctx, o.Settle); err != nil {
			return err
		}
		step.After = snapshots(c)
		m.Steps = append(m.Steps, step)
		r.CPU = r.sampler.window(settled, time.Now())
	}
	return nil
}

// connectIdle starts the workers that hold n idle visitors on the node at
// url, numbered from first, and waits until they have connected, counting
// them in step.
func connectIdle(ctx context.Context, o options, url, siteKey string, n, first int, addrs []string, step *memStep) ([]*worker, error) {
	nw := (n + o.PerProcess - 1) / o.PerProcess
	var ws []*worker
	for k := 0; k < nw; k++ {
		share := n/nw + btoi(k < n%nw)
		w, err := startWorker(workerJob{Index: k, URL: url, SiteKey: siteKey, Visitors: share, FirstIndex: first,
			SourceAddrs: addrs, Navigate: "page", RampRate: max(1, o.RampRate/nw), Origin: o.Origin, Seed: 1})
		if err != nil {
			return ws, fmt.Errorf("starting a worker: %w", err)
		}
		ws = append(ws, w)
		first += share
	}
	for _, w := range ws {
		msg, err := w.await(ctx, "ready", nil)
		if err != nil {
			return ws, err
		}
		step.Connected, step.Failed = step.Connected+msg.Connected, step.Failed+msg.Failed
	}
	return ws, nil
}

// snapshots reads every node's /proc numbers; a node that cannot be read
// (it died) gives an empty snapshot.
func snapshots(c *clusterNodes) []procSnap {
	out := make([]procSnap, len(c.nodes))
	for i, s := range c.nodes {
		out[i], _ = snapshot(s.pid())
	}
	return out
}

// nodeMemory is one node's growth over the whole part, per visitor it
// holds itself, and how much of that growth came in the steps that
// connected visitors to other nodes.
type nodeMemory struct {
	BeforeKB, AfterKB int64
	Own, Others       int     // visitors connected to it, and to the other nodes
	PerOwnKB          float64 // (after − before) / own
	OwnStepKB         int64   // growth during its own step
	OthersStepKB      int64   // growth during the other nodes' steps
}

func (m *memoryResult) node(i int) nodeMemory {
	nm := nodeMemory{BeforeKB: m.Before[i].RSSKB}
	prev := nm.BeforeKB
	for _, st := range m.Steps {
		grew := st.After[i].RSSKB - prev
		prev = st.After[i].RSSKB
		if st.Node == i {
			nm.Own += st.Connected
			nm.OwnStepKB += grew
		} else {
			nm.Others += st.Connected
			nm.OthersStepKB += grew
		}
	}
	nm.AfterKB = prev
	if nm.Own > 0 {
		nm.PerOwnKB = float64(nm.AfterKB-nm.BeforeKB) / float64(nm.Own)
	}
	return nm
}
