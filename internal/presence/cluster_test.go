package presence_test

import (
	"crypto/rand"
	"log/slog"
	"os"
	"testing"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/bus/bustest"
	"outputdesk/internal/clock"
	"outputdesk/internal/presence"
	"outputdesk/internal/presence/presencetest"
)

func testLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// Cluster runs the whole suite over NATS, each node its own connection,
// each test under a subject prefix of its own.
func TestClusterConformanceNATS(t *testing.T) {
	presencetest.RunCluster(t, func(t *testing.T, clk *clock.Fake, ttl time.Duration) presencetest.Cluster {
		prefix := "test-" + rand.Text() + "."
		return presencetest.Cluster{MultiNode: true, Open: func() presencetest.Node {
			conn, err := bus.Dial(bustest.NATSURL(), testLog(), bus.WithPrefix(prefix))
			if err != nil {
				t.Fatalf("%v (these tests need NATS: start nats-server as .ci/run does, or set OUTPUTDESK_TEST_NATS_URL)", err)
			}
			return openNode(t, conn, clk, ttl, func() { conn.Close() })
		}}
	})
}

// And over one bus.Memory shared by its nodes, where a node's Publish runs
// the others' handlers in its goroutine: a lock held across it would
// deadlock here.
func TestClusterConformanceMemoryBus(t *testing.T) {
	presencetest.RunCluster(t, func(t *testing.T, clk *clock.Fake, ttl time.Duration) presencetest.Cluster {
		b := bus.NewMemory()
		t.Cleanup(func() { b.Close() })
		return presencetest.Cluster{MultiNode: true, Open: func() presencetest.Node {
			return openNode(t, b, clk, ttl, func() {})
		}}
	})
}

// openNode opens a Cluster node on b, behind a Net. Killing it cuts it off
// first, so that its goodbye is never heard, then stops it.
func openNode(t *testing.T, b bus.Bus, clk clock.Clock, ttl time.Duration, closeBus func()) presencetest.Node {
	t.Helper()
	net := presencetest.NewNet(b)
	c, err := presence.NewCluster(net, clk, testLog(), presence.ClusterOptions{TTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
		closeBus()
	})
	return presencetest.Node{Presence: c, Net: net, Kill: func() {
		net.Cut()
		c.Close()
		closeBus()
	}}
}
