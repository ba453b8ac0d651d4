package app_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/config"
)

// serverGoroutines lists the goroutines running the server's own code
// (not this test's clients).
func serverGoroutines() []string {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "outputdesk/internal/") && !strings.Contains(g, "_test.") && !strings.Contains(g, "testing.tRunner") {
			out = append(out, g)
		}
	}
	return out
}

// Close stops every background loop and timer, waits for what they
// started, and only then closes the store: nothing of the server runs
// afterwards, and nothing ran into a closed database.
func TestShutdownLeavesNothingRunning(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.OperatorGrace = time.Minute; c.PresenceGrace = 10 * time.Second })
	admin := s.firstAdmin()
	anna := admin.addOperator("Anna Berg", 1, 2)
	con := admin.console(nil, true)
	anna.console(nil, false)
	for i := 0; i < 5; i++ {
		w := s.visitor("/demo/")
		w.say("hello")
		if i%2 == 0 {
			w.close() // its presence grace is running at the close
		}
	}
	con.sync()
	anna.setStatus("Offline") // hands chats back, moves the queue
	s.advance(500 * time.Millisecond)
	select {
	case <-s.app.LifeDone():
		t.Fatal("the services' context is cancelled while the server runs")
	default:
	}
	if len(serverGoroutines()) == 0 {
		t.Fatal("no server goroutine seen while it runs: the filter sees nothing")
	}
	if err := s.app.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.app.LifeDone():
	default:
		t.Error("Close left the services' context live: late work would reach the closed store")
	}
	s.advance(time.Hour) // a timer that outlived Close would fire now
	waitFor(t, "the server's goroutines to end", func() bool { return len(serverGoroutines()) == 0 })
	for _, bad := range []string{"database is closed", "level=ERROR"} {
		if s.logs.Has(bad) {
			t.Errorf("the log has %q after a shutdown:\n%s", bad, s.logs)
		}
	}
}
