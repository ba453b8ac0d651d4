package main

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

func TestClusterFlags(t *testing.T) {
	co, err := parseClusterFlags([]string{"--bin", "/x/outputdesk"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := co.bench.load
	if o.Duration != 30*time.Second || o.Visitors != 15000 || o.IdleVisitors != 0 || o.MsgRate != 1000 || o.PageEvery != 30*time.Second {
		t.Errorf("defaults = %+v", o)
	}
	if strings.Join(co.Parts, ",") != "messages,memory,list" || co.ListNodes != 3 || co.ListConsoles != 100 || co.MemVisitors != 5000 {
		t.Errorf("parts %v, list %d nodes %d consoles, memory %d", co.Parts, co.ListNodes, co.ListConsoles, co.MemVisitors)
	}
	for _, bad := range [][]string{
		{},
		{"--bin", "/x", "--parts", "messages,chats"},
		{"--bin", "/x", "--nats-url", "nats://10.0.0.5:4222"},
		{"--bin", "/x", "--nats-url", "nats://127.0.0.1:4222,nats://nats.example.com:4222"},
		{"--bin", "/x", "--list-nodes", "0"},
	} {
		if _, err := parseClusterFlags(bad, io.Discard); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if co, err := parseClusterFlags([]string{"--bin", "/x", "--parts", " list ", "--nats-url", "nats://localhost:4222"}, io.Discard); err != nil || len(co.Parts) != 1 {
		t.Errorf("--parts list: %v, %v", co.Parts, err)
	}
}

func TestWorkersFor(t *testing.T) {
	for _, c := range []struct{ n, per, nodes, want int }{
		{5000, 9000, 1, 1}, {19000, 9000, 1, 3}, {15000, 9000, 3, 3}, {50000, 9000, 3, 6}, {20000, 9000, 2, 4}, {0, 9000, 3, 0},
	} {
		if got := workersFor(c.n, c.per, c.nodes); got != c.want {
			t.Errorf("workersFor(%d, %d, %d) = %d, want %d", c.n, c.per, c.nodes, got, c.want)
		}
	}
}

// TestUseBetween takes the window from the first sample inside it to the
// last, whatever lies outside.
func TestUseBetween(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	samples := []cpuSample{
		{at: at(0), cpu: map[string]float64{}},
		{at: at(1), cpu: map[string]float64{"node A": 1, groupPostgres: 0.5}, busy: 10, stall: 0, q: sockQueues{ClientRx: 100}},
		{at: at(3), cpu: map[string]float64{"node A": 2, groupPostgres: 1.5}, busy: 13, stall: time.Second, q: sockQueues{ClientRx: 300, NodeTx: 8}},
		{at: at(5), cpu: map[string]float64{"node A": 5, groupPostgres: 1.5}, busy: 20, stall: time.Second},
	}
	u := useBetween(samples, at(0.5), at(3.2))
	if u.Secs != 2 || u.Cores["node A"] != 0.5 || u.Cores[groupPostgres] != 0.5 || u.Machine != 1.5 || u.Pressure != 0.5 {
		t.Errorf("use = %+v", u)
	}
	if u.QueueMean != (sockQueues{ClientRx: 200, NodeTx: 4}) || u.QueueMax != (sockQueues{ClientRx: 300, NodeTx: 8}) {
		t.Errorf("queues: mean %+v, max %+v", u.QueueMean, u.QueueMax)
	}
	if u := useBetween(samples, at(3.5), at(4)); u.Secs != 0 {
		t.Errorf("a window holding no two samples = %+v", u)
	}
}

func TestOurPostgres(t *testing.T) {
	db := "odbench_0123456789ab"
	for cmd, want := range map[string]bool{
		"postgres: 15/main: postgres odbench_0123456789ab 127.0.0.1(40312) idle":       true,
		"postgres: 15/main: postgres outputdesk_test_42 127.0.0.1(40313) INSERT":       false,
		"postgres: 15/main: postgres other [local] idle":                               false,
		"postgres: 15/main: autovacuum worker outputdesk_test_42":                      false,
		"postgres: 15/main: autovacuum worker odbench_0123456789ab":                    true,
		"postgres: 15/main: walwriter   ":                                              true,
		"/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config": true,
	} {
		if got := ourPostgres(cmd, db); got != want {
			t.Errorf("ourPostgres(%q) = %v", cmd, got)
		}
	}
}

// TestNodeMemory splits a node's growth into its own step and the other
// node's: node B grows while only A's visitors connect.
func TestNodeMemory(t *testing.T) {
	snap := func(kb ...int64) []procSnap {
		out := make([]procSnap, len(kb))
		for i, v := range kb {
			out[i].RSSKB = v
		}
		return out
	}
	m := &memoryResult{PerNode: 1000, Before: snap(10000, 12000), Steps: []memStep{
		{Node: 0, Connected: 1000, After: snap(40000, 17000)},
		{Node: 1, Connected: 800, After: snap(42000, 41000)},
	}}
	a, b := m.node(0), m.node(1)
	if a.Own != 1000 || a.Others != 800 || a.PerOwnKB != 32 || a.OwnStepKB != 30000 || a.OthersStepKB != 2000 {
		t.Errorf("node A = %+v", a)
	}
	if b.Own != 800 || b.Others != 1000 || b.PerOwnKB != 36.25 || b.OwnStepKB != 24000 || b.OthersStepKB != 5000 {
		t.Errorf("node B = %+v", b)
	}
}

// TestClusterSummary prints a failed cluster run beside a measured
// baseline: dashes, the failure said, and the goal not measured.
func TestClusterSummary(t *testing.T) {
	co, err := parseClusterFlags([]string{"--bin", "/x", "--parts", "messages"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res := &clusterResults{co: co}
	rep := &messagesReport{Opts: co.bench.load, Start: time.Unix(0, 0), End: time.Unix(30, 0), Chats: 100,
		Msgs: msgStats{Sent: 30000, Received: 30000, ReceivedInWindow: 29990, Latency: quantiles{N: 30000, P50: 1.5, P90: 3, P99: 12.3, Max: 80}}}
	res.add("messages", 1, &partResult{Nodes: 1, Msgs: rep}, nil)
	res.add("messages", 2, nil, errors.New("node B: the server exited at start"))
	var b strings.Builder
	res.print(&b)
	out := b.String()
	for _, want := range []string{
		"| send → other side, p50 / p90 / p99 / max ms | 1.50 / 3.00 / 12.3 / 80.0 | - |",
		"| received in the window | 999.7 msg/s | - |",
		"Goal cross-node message p99 ≤ 20 ms: not measured.",
		"messages on 2 node(s) FAILED: node B: the server exited at start",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	res.runs[1] = clusterRun{Part: "messages", Nodes: 2, R: &partResult{Nodes: 2, Msgs: &messagesReport{Opts: co.bench.load,
		Start: time.Unix(0, 0), End: time.Unix(30, 0), Msgs: msgStats{Latency: quantiles{N: 1, P99: 20.5}}}}}
	b.Reset()
	res.print(&b)
	if want := "Goal cross-node message p99 ≤ 20 ms: MISSED (20.5 ms; one node: 12.3 ms)."; !strings.Contains(b.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, b.String())
	}
}

func TestCPUText(t *testing.T) {
	u := cpuUse{Secs: 30, Cores: map[string]float64{"node B": 0.25, "node A": 0.5, groupPostgres: 0.4, groupOdload: 0.3}, Machine: 1.6, Pressure: 0.125}
	got := cpuText(u)
	if !strings.HasPrefix(got, "node A 0.50, node B 0.25, postgres 0.40, nats 0.00, odload 0.30; machine busy 1.60 of ") ||
		!strings.HasSuffix(got, "(others ≈ 0.15); CPU pressure 12%") {
		t.Errorf("cpuText = %q", got)
	}
	if math.Abs(max(0, u.Machine-1.45)-0.15) > 1e-9 {
		t.Fatal("arithmetic")
	}
}

func TestParseQueues(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00001000:00000003 00:00000000 00000000     0        0 640 1
   1: 0100007F:1F90 0200007F:C350 01 00000400:00000000 00:00000000 00000000     0        0 641 1
   2: 0200007F:C350 0100007F:1F90 01 00000000:00010000 00:00000000 00000000     0        0 642 1
   3: 0100007F:0050 0200007F:C351 01 00000100:00000100 00:00000000 00000000     0        0 643 1`
	q := parseQueues(table, map[int]bool{8080: true})
	if q.NodeTx != 0x400 || q.ClientRx != 0x10000 {
		t.Errorf("queues = %+v", q)
	}
}
