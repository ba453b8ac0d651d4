// Package presencetest is the one conformance suite every Presence must
// pass: Memory the cases of one node, Cluster all of them, several nodes
// sharing a fake clock and a bus of the test's own.
//
// Nodes hear each other asynchronously, so the suite waits for what it
// expects: it checks again each time a node reports a change (Watch) or a
// Net drops a payload, never on a timer, and gives up only a margin before
// go test's -timeout. Time moves only when a test
// advances the fake clock, and before it does, every live node has heard
// every other (settle), so a heartbeat is never late in fake time because
// the machine was slow in real time.
package presencetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/presence"
	"outputdesk/internal/testwait"
)

// TTL is what the suite's nodes are opened with; they heartbeat every TTL/3.
const TTL = 30 * time.Second

// Factory prepares one test's cluster: every node it opens uses clk and
// ttl, and hears the others of this test only (a bus, or a NATS subject
// prefix, of the test's own). It closes what it opened when the test ends.
type Factory func(t *testing.T, clk *clock.Fake, ttl time.Duration) Cluster

// Cluster opens the nodes of one test.
type Cluster struct {
	// Open starts one more node. When MultiNode is false it is called once.
	Open func() Node
	// MultiNode says the nodes are separate and reach each other over a
	// bus: the suite then runs every case, on several nodes.
	MultiNode bool
}

// Node is one opened node.
type Node struct {
	presence.Presence
	// Net stands between the node and the bus (MultiNode only): the suite
	// drops what it hears, or cuts it off, through it.
	Net *Net
	// Kill stops the node as a crash would (MultiNode only): no goodbye is
	// heard, its timers stop, its bus connection goes.
	Kill func()
}

// Run runs the cases of one node: an implementation without peers (Memory)
// passes these.
func Run(t *testing.T, f Factory) { run(t, f, false) }

// RunCluster runs every case, the one-node cases on several nodes and the
// cases of nodes joining, dying, missing messages and being cut off.
func RunCluster(t *testing.T, f Factory) { run(t, f, true) }

func run(t *testing.T, f Factory, cluster bool) {
	cases := []struct {
		name  string
		multi bool
		run   func(e *env)
	}{
		{"Operators", false, testOperators},
		{"Visitors", false, testVisitors},
		{"VisitorsBySite", false, testVisitorsBySite},
		{"SetReplaces", false, testSetReplaces},
		{"RemoveUnknown", false, testRemoveUnknown},
		{"Concurrent", false, testConcurrent},
		{"Counts", false, testCounts},
		{"LateNode", true, testLateNode},
		{"CloseLeavesAtOnce", true, testCloseLeaves},
		{"KilledNodeExpires", true, testKilledNodeExpires},
		{"MissedDeltaHeartbeat", true, testMissedDeltaHeartbeat},
		{"MissedDeltaNextDelta", true, testMissedDeltaNextDelta},
		{"Partition", true, testPartition},
	}
	for _, c := range cases {
		if c.multi && !cluster {
			continue // not part of a one-node implementation's contract
		}
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, f)
			if e.c.MultiNode != cluster {
				t.Fatalf("presencetest: the factory says MultiNode %v; use %s", e.c.MultiNode, map[bool]string{true: "RunCluster", false: "Run"}[e.c.MultiNode])
			}
			c.run(e)
		})
	}
}

// env is one test: its clock, its nodes, its deadline.
type env struct {
	t     *testing.T
	clk   *clock.Fake
	c     Cluster
	nodes []*node
	// poke wakes a wait: a node reported a change or a Net dropped a
	// payload, so what it waits for may be true now.
	poke chan struct{}
	// expired fires a margin before go test's -timeout (never without one).
	expired <-chan time.Time
}

// node is an opened node with what the suite follows of it.
type node struct {
	Node
	idx    int
	name   string
	marker presence.ConnID // the conn of its settle marker
	rec    *recorder
	dead   bool
}

var start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, f Factory) *env {
	clk := clock.NewFake(start)
	e := &env{t: t, clk: clk, c: f(t, clk, TTL), poke: make(chan struct{}, 1)}
	expired, stop := testwait.Expiry(t)
	t.Cleanup(stop)
	e.expired = expired
	return e
}

func (e *env) wake() {
	select {
	case e.poke <- struct{}{}:
	default:
	}
}

// interval is the heartbeat period of a cluster opened with TTL.
const interval = TTL / 3

// open starts n nodes (one when the implementation has only one) and waits
// until they are all ready.
func (e *env) open(n int) []*node {
	if !e.c.MultiNode {
		n = 1
	}
	var out []*node
	for range n {
		out = append(out, e.openOne())
	}
	e.bringUp(out)
	return out
}

func (e *env) openOne() *node {
	if len(e.nodes) > 0 && !e.c.MultiNode {
		e.t.Fatal("presencetest: a single-node implementation opened twice")
	}
	i := len(e.nodes)
	n := &node{Node: e.c.Open(), idx: i, name: fmt.Sprintf("node %d", i), rec: &recorder{}}
	n.marker = n.NewConn()
	n.Watch(func(ch presence.Change) {
		n.rec.record(ch)
		e.wake()
	})
	if n.Net != nil {
		n.Net.setOnDrop(e.wake)
	}
	e.nodes = append(e.nodes, n)
	return n
}

// bringUp waits until ns are ready. Ready waits one heartbeat interval for
// answers to the hello, in fake time: the nodes first hear every live node
// (settle), then the clock moves.
func (e *env) bringUp(ns []*node) {
	e.settle()
	e.advance(1)
	for _, n := range ns {
		select {
		case <-n.Ready():
		case <-e.expired:
			e.t.Fatalf("gave up waiting for %s to be ready", n.name)
		}
	}
}

// live lists the nodes neither killed nor cut off.
func (e *env) live() []*node {
	var out []*node
	for _, n := range e.nodes {
		if !n.dead {
			out = append(out, n)
		}
	}
	return out
}

// advance moves the clock by k heartbeat intervals, one at a time, letting
// the live nodes hear each other's heartbeats after each.
func (e *env) advance(k int) {
	for range k {
		e.clk.Advance(interval)
		e.settle()
	}
}

// settle returns once every live node has heard everything every live node
// had published: each sets a marker tab, and a node seeing a marker has
// heard all its node sent before it (one publisher's order holds on the
// bus). The markers are then removed, and seen to be gone.
func (e *env) settle() {
	live := e.live()
	for _, n := range live {
		n.SetTab(presence.Tab{Conn: n.marker, SiteID: markerSite, VisitorID: markerVisitor(n), Name: "marker"})
	}
	e.waitFor("every node to hear every marker", func() string { return e.markers(live, true) })
	for _, n := range live {
		n.Remove(n.marker)
	}
	e.waitFor("the markers to go", func() string { return e.markers(live, false) })
}

// Markers have ids no test uses: recorders ignore them.
const markerSite = -1

func markerVisitor(n *node) int64 { return -1 - int64(n.idx) }

func (e *env) markers(live []*node, want bool) string {
	for _, a := range live {
		for _, b := range live {
			v, ok := a.Visitor(markerVisitor(b))
			if ok = ok && len(v.Tabs) == 1 && v.Tabs[0].Conn == b.marker; ok != want {
				return fmt.Sprintf("%s sees %s's marker: %v", a.name, b.name, ok)
			}
		}
	}
	return ""
}

// waitFor checks cond until it returns "", again after each change a node
// reports, failing the test before go test's -timeout with cond's last
// complaint.
func (e *env) waitFor(what string, cond func() string) {
	e.t.Helper()
	for {
		msg := cond()
		if msg == "" {
			return
		}
		select {
		case <-e.poke:
		case <-e.expired:
			e.t.Fatalf("gave up waiting for %s: %s", what, msg)
		}
	}
}

// everywhere waits until check passes on every live node.
func (e *env) everywhere(what string, check func(n *node) string) {
	e.t.Helper()
	e.waitFor(what, func() string {
		for _, n := range e.live() {
			if msg := check(n); msg != "" {
				return n.name + ": " + msg
			}
		}
		return ""
	})
}

// recorder keeps what Watch reported, markers aside.
type recorder struct {
	mu  sync.Mutex
	got map[presence.Change]int
}

func (r *recorder) record(ch presence.Change) {
	if ch.VisitorID < 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[presence.Change]int{}
	}
	r.got[ch]++
}

func (r *recorder) saw(ch presence.Change) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got[ch] > 0
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = nil
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for ch, k := range r.got {
		fmt.Fprintf(&b, "%+v×%d ", ch, k)
	}
	return b.String()
}

// reported waits until every one of ns has reported ch.
func (e *env) reported(ch presence.Change, ns ...*node) {
	e.t.Helper()
	for _, n := range ns {
		e.waitFor(fmt.Sprintf("%s to report %+v", n.name, ch), func() string {
			if n.rec.saw(ch) {
				return ""
			}
			return "reported: " + n.rec.String()
		})
	}
}
