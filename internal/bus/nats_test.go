package bus_test

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"outputdesk/internal/bus"
	"outputdesk/internal/bus/bustest"
	"outputdesk/internal/testwait"
)

// testPrefix keeps a test's subjects apart from every other test's, and from
// other runs sharing the server.
func testPrefix() string { return "test-" + rand.Text() + "." }

func dialNATS(tb testing.TB, url string, log *slog.Logger, opts ...bus.NATSOption) *bus.NATS {
	tb.Helper()
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	n, err := bus.Dial(url, log, opts...)
	if err != nil {
		tb.Fatalf("%v (these tests need NATS: start nats-server as .ci/run does, or set OUTPUTDESK_TEST_NATS_URL)", err)
	}
	tb.Cleanup(func() { n.Close() })
	return n
}

func TestNATSConformance(t *testing.T) {
	bustest.Run(t, func(t *testing.T) func() bus.Bus {
		prefix := testPrefix()
		return func() bus.Bus { return dialNATS(t, bustest.NATSURL(), nil, bus.WithPrefix(prefix)) }
	})
}

func TestNATSPrefixIsOnTheWire(t *testing.T) {
	prefix := testPrefix()
	n := dialNATS(t, bustest.NATSURL(), nil, bus.WithPrefix(prefix))
	raw, err := nats.Connect(bustest.NATSURL())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	out, err := raw.SubscribeSync(prefix + bus.ChatSubject(1))
	if err != nil || raw.Flush() != nil {
		t.Fatal(err)
	}
	if err := n.Publish(t.Context(), bus.ChatSubject(1), []byte("out")); err != nil {
		t.Fatal(err)
	}
	if m, err := out.NextMsgWithContext(t.Context()); err != nil || string(m.Data) != "out" {
		t.Fatalf("raw subscriber on %s got %v, %v", prefix+bus.ChatSubject(1), m, err)
	}

	in := make(chan string, 1)
	if _, err := n.Subscribe(bus.ChatSubject(2), func(b []byte) { in <- string(b) }); err != nil {
		t.Fatal(err)
	}
	if err := raw.Publish(prefix+bus.ChatSubject(2), []byte("in")); err != nil {
		t.Fatal(err)
	}
	if got := <-in; got != "in" {
		t.Fatalf("bus subscriber got %q", got)
	}
}

func TestNATSBadPrefixIsRefused(t *testing.T) {
	for _, p := range []string{"no-dot", ".lead.", "a..b.", "*.", "a.>.", "sp ace."} {
		if n, err := bus.Dial(bustest.NATSURL(), slog.New(slog.NewTextHandler(io.Discard, nil)), bus.WithPrefix(p)); err == nil {
			n.Close()
			t.Errorf("prefix %q accepted", p)
		}
	}
}

// The first connection must succeed: a wrong URL stops the start instead of
// retrying for ever, and the error does not show the password.
func TestNATSDialFailsFastWithoutServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = bus.Dial("nats://od:secret@"+addr, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil {
		t.Fatal("Dial to a closed port succeeded")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password: %v", err)
	}
}

// A node cut off from NATS says so, keeps what it publishes meanwhile, and on
// reconnection gets its subscriptions back.
func TestNATSReconnects(t *testing.T) {
	p := bustest.NewLink(t, bustest.NATSURL())
	var logs testwait.Log
	n := dialNATS(t, p.URL, slog.New(slog.NewTextHandler(&logs, nil)), bus.WithPrefix(testPrefix()))
	got := make(chan string, 16)
	if _, err := n.Subscribe(bus.ChatSubject(1), func(b []byte) { got <- string(b) }); err != nil {
		t.Fatal(err)
	}
	if err := n.Healthy(); err != nil {
		t.Fatalf("healthy after Dial: %v", err)
	}

	p.Cut()
	logs.Await(t, "nats: disconnected")
	if n.Healthy() == nil {
		t.Fatal("healthy after the disconnection was logged")
	}
	if err := n.Publish(t.Context(), bus.ChatSubject(1), []byte("while-cut")); err != nil {
		t.Fatalf("publish while reconnecting: %v", err)
	}
	p.Heal()
	logs.Await(t, "nats: reconnected")
	if err := n.Healthy(); err != nil {
		t.Fatalf("not healthy after the reconnection was logged: %v", err)
	}
	if s := <-got; s != "while-cut" {
		t.Fatalf("got %q, want the payload kept while cut off", s)
	}
	if err := n.Publish(t.Context(), bus.ChatSubject(1), []byte("after")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "after" {
		t.Fatalf("got %q after reconnection", s)
	}

	n.Close()
	if n.Healthy() == nil {
		t.Error("healthy after Close")
	}
}
