package app_test

// Several nodes as real processes: the outputdesk binary, built once per
// test run, started N times on a PostgreSQL database of the test's own and
// a NATS subject prefix of its own, each on a random port. The clients are
// the harness's own (harness_test.go), pointed at one node or another; a
// client that moves to another node is what a load balancer does for it.
// Time is real here (these are other processes), so every period a test
// depends on is a flag set to seconds, and every wait is for an event.

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"outputdesk/internal/bus/bustest"
	"outputdesk/internal/store/postgres/pgtest"
	"outputdesk/internal/testwait"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// outputdeskBinary builds cmd/outputdesk once for the whole test binary.
func outputdeskBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "outputdesk-nodes-")
		if binErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "outputdesk"), "outputdesk/cmd/outputdesk").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build ./cmd/outputdesk: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "outputdesk")
}

// cluster is the nodes of one test.
type cluster struct {
	t      *testing.T
	db     string
	prefix string
	flags  []string
	key    string
	nodes  []*node
}

// node is one outputdesk process. Its server has no app: clients reach it
// over HTTP and WebSocket only.
type node struct {
	*server
	name   string
	cmd    *exec.Cmd
	exited chan struct{}
}

// startCluster starts n nodes; flags are given to every one of them.
func startCluster(t *testing.T, n int, flags ...string) *cluster {
	t.Helper()
	// A small pool per node: the tests of other packages share the
	// server's 100 connections meanwhile.
	db, _ := url.Parse(pgtest.Database(t))
	q := db.Query()
	q.Set("pool_max_conns", "6")
	db.RawQuery = q.Encode()
	c := &cluster{t: t, db: db.String(), prefix: "test-" + strings.ToLower(rand.Text()[:12]) + ".", flags: flags}
	for range n {
		c.start()
	}
	return c
}

// start starts one more node and waits until it serves.
func (c *cluster) start() *node {
	c.t.Helper()
	return c.startVia(bustest.NATSURL())
}

// startVia starts a node that reaches NATS at natsURL.
func (c *cluster) startVia(natsURL string) *node {
	t := c.t
	t.Helper()
	name := string(rune('A' + len(c.nodes)))
	args := append([]string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--database-url", c.db,
		"--nats-url", natsURL, "--nats-prefix", c.prefix, "--log-level", "debug"}, c.flags...)
	cmd := exec.Command(outputdeskBinary(t), args...)
	logs := &testwait.Log{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{name: name, cmd: cmd, exited: make(chan struct{}),
		server: &server{t: t, ctx: waitContext(t), logs: logs, key: c.key}}
	bases := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Console: "); ok {
				bases <- strings.TrimSuffix(url, "/console/")
			}
		}
	}()
	go func() {
		cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() {
		n.stop()
		if t.Failed() {
			t.Logf("node %s log:\n%s", name, logs)
		}
	})
	expired, stop := testwait.Expiry(t)
	defer stop()
	select {
	case n.base = <-bases:
	case <-n.exited:
		t.Fatalf("node %s exited at start: %s\n%s", name, cmd.ProcessState, logs)
	case <-expired:
		t.Fatal(gaveUp(t, "node "+name+" to start"))
	}
	c.nodes = append(c.nodes, n)
	return n
}

// stop ends the node as an operator would (SIGTERM) and waits for it. A
// node that does not stop by the test's deadline is made to print its
// goroutines into its log (SIGQUIT).
func (n *node) stop() {
	n.cmd.Process.Signal(syscall.SIGTERM)
	expired, stop := testwait.Expiry(n.t)
	defer stop()
	select {
	case <-n.exited:
	case <-expired:
		n.t.Errorf("node %s did not stop on SIGTERM; its goroutines follow in its log", n.name)
		n.cmd.Process.Signal(syscall.SIGQUIT)
		<-n.exited
	}
}

// kill ends the node as a crash would: no goodbye, nothing flushed.
func (n *node) kill() {
	n.t.Helper()
	n.cmd.Process.Signal(syscall.SIGKILL)
	await(n.t, "node "+n.name+" to die", n.exited)
}

// setup creates the first admin on the first node and gives every node
// the site key that widgets connect with.
func (c *cluster) setup() *operator {
	c.t.Helper()
	admin := c.nodes[0].firstAdmin()
	var install struct {
		SiteKey string `json:"site_key"`
	}
	admin.mustDo("GET", "/api/install", nil, 200, &install)
	c.key = install.SiteKey
	for _, n := range c.nodes {
		n.key = c.key
	}
	return admin
}

// on is the same logged-in operator talking to another node (the session
// cookie is the host's, whatever the port).
func (o *operator) on(n *node) *operator {
	moved := *o
	moved.s = n.server
	return &moved
}

// moveTo reconnects the widget tab to another node, resuming, as its
// reconnect through a load balancer would.
func (w *widget) moveTo(n *node) {
	w.srv.t.Helper()
	w.close()
	w.srv = n.server
	w.connect(w.page, "pv-"+w.page)
}

// statusOn is an operator's status as a node's API reports it.
func (o *operator) statusOn(n *node, operatorID int64) string {
	o.s.t.Helper()
	var l struct {
		Operators []struct {
			ID     int64
			Status string
		}
	}
	o.on(n).mustDo("GET", "/api/operators", nil, 200, &l)
	for _, op := range l.Operators {
		if op.ID == operatorID {
			return op.Status
		}
	}
	return ""
}

// messagesUntil takes the message frames that arrive, in order, up to and
// including the one whose body is last, and returns their bodies.
func (s *socket) messagesUntil(last string) []string {
	s.t.Helper()
	var got []string
	for {
		f := s.next("message "+last, func(f frame) bool { return f.str("type") == "message" })
		got = append(got, f.obj("message").str("body"))
		if got[len(got)-1] == last {
			return got
		}
	}
}
