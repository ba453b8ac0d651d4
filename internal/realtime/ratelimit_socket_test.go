package realtime

import (
	"testing"
	"time"
)

// A flooding client is slowed, then closed: the burst is answered at once;
// each frame over it waits for its budget on the socket clock (nothing is
// answered until the clock moves); past the strikes the socket is closed
// with CloseTooManyFrames. Another visitor meanwhile is answered at once.
func TestFloodingSocketIsSlowedThenClosed(t *testing.T) {
	s := newTestServer(t)
	s.hub.SetFrameLimits(FrameLimit{Rate: 10, Burst: 5, Strikes: 3}, ConsoleFrameLimit)
	flood, c, _ := s.visitor(true)
	calm, _, _ := s.visitor(true)
	for i := int64(1); i <= 12; i++ {
		flood.send(map[string]any{"type": "no.such.type", "ref": "f" + itoa(i)})
	}
	answered := func(i int64) {
		t.Helper()
		if f := flood.nextType("error"); f.str("ref") != "f"+itoa(i) {
			t.Fatalf("answer %v, want the one to f%d", f, i)
		}
	}
	for i := int64(1); i <= 5; i++ {
		answered(i) // the burst
	}
	for i := int64(6); i <= 8; i++ {
		waitFor(t, "the reader to hold frame f"+itoa(i), func() bool { return c.pauses.Load() == i-5 })
		if len(flood.frames) != 0 {
			t.Fatalf("f%d was answered before its budget", i)
		}
		// The flood holds up no one else.
		if got := calm.roundTrip(); len(got) != 0 {
			t.Fatalf("the calm visitor got %v", got)
		}
		s.clock.Advance(100 * time.Millisecond)
		if i < 8 {
			answered(i)
		}
		// f8's answer races the close that f9 brings: the close frame
		// goes out before anything queued.
	}
	if code := flood.awaitClosed(); code != CloseTooManyFrames {
		t.Fatalf("the flooding socket closed with %d, want %d", code, CloseTooManyFrames)
	}
	if got := calm.roundTrip(); len(got) != 0 {
		t.Fatalf("the calm visitor got %v", got)
	}
}
