package main

import (
	"testing"
	"time"
)

// TestChatTracker pairs acks and assignment frames in either order, counts
// only the first assignment, and leaves chats that are not ours out.
func TestChatTracker(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tr := newChatTracker()

	// owner known first, then the frame: the frame completes the chat
	if tr.owned(1, 7, at(0)) {
		t.Error("chat 1 complete on its ack alone")
	}
	tr.acked(1, at(5))
	if owner, ok := tr.assigned(1, 2, at(9)); !ok || owner != 7 {
		t.Errorf("assigned(1) = %d, %v; want owner 7, complete", owner, ok)
	}
	// frame first (the usual order), then the ack completes it
	if _, ok := tr.assigned(2, 3, at(4)); ok {
		t.Error("chat 2 complete on its frame alone")
	}
	if !tr.owned(2, 8, at(1)) {
		t.Error("chat 2's owner after its frame did not complete it")
	}
	if tr.owned(2, 8, at(1)) {
		t.Error("chat 2 completed twice")
	}
	tr.acked(2, at(6))
	// a second active frame (another change) is not a new assignment
	if _, ok := tr.assigned(2, 3, at(50)); ok {
		t.Error("a repeated frame completed chat 2 again")
	}
	// created, never assigned, no ack yet: waiting
	tr.owned(3, 9, at(2))
	// someone else's chat: a frame with no ack
	tr.assigned(99, 0, at(7))
	// started after the window
	tr.owned(4, 1, at(2000))
	tr.assigned(4, 0, at(2002))

	if n := tr.completed(); n != 3 {
		t.Errorf("completed = %d, want 3", n)
	}
	s := tr.stats(t0, at(1000), 4)
	if s.Created != 3 || s.Acked != 2 || s.Assigned != 2 || s.Waiting != 1 || s.AssignedInWindow != 2 {
		t.Errorf("stats = %+v", s)
	}
	if s.AckLatency.N != 2 || s.AckLatency.Max != 5 {
		t.Errorf("ack latency = %+v; want samples 5 ms and 5 ms", s.AckLatency)
	}
	if s.Latency.N != 2 || s.Latency.P50 != 3 || s.Latency.Max != 9 {
		t.Errorf("latency = %+v; want samples 9 ms and 3 ms", s.Latency)
	}
	if s.PerOperator[2] != 1 || s.PerOperator[3] != 1 || s.PerOperator[0] != 0 {
		t.Errorf("per operator = %v", s.PerOperator)
	}
	if got := len(tr.assignedChats()); got != 3 {
		t.Errorf("assignedChats = %d, want 3", got)
	}
}

// TestMsgTracker counts a receipt only on the other side, checks the
// marker, and tells lost, duplicated and unsent messages apart.
func TestMsgTracker(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tr := newMsgTracker()
	for _, m := range []struct {
		id          string
		fromVisitor bool
	}{{"a", true}, {"b", false}, {"c", true}, {"d", false}} {
		tr.plan(m.id, m.fromVisitor)
	}
	tr.sent("a", at(0))
	tr.sent("b", at(0))
	tr.sent("c", at(0))
	tr.failed("d") // queue full: never written

	tr.received("a", msgBody("a"), true, at(1)) // the echo on the visitor's own socket is no receipt
	tr.acked("a", at(1))
	if tr.pending() != 3 {
		t.Errorf("pending = %d, want 3", tr.pending())
	}
	tr.received("a", msgBody("a"), false, at(2)) // the console's copy is
	tr.received("a", msgBody("a"), false, at(3)) // and a second one a duplicate
	tr.received("b", msgBody("b"), true, at(4))
	if tr.received("c", "something else", false, at(5)) {
		t.Error("a receipt without the marker was accepted")
	}
	tr.received("zzz", "not ours", false, at(1))

	s := tr.stats(t0, at(3))
	if s.Sent != 3 || s.NotSent != 1 || s.Received != 2 || s.Lost != 1 || s.Duplicates != 1 || s.ReceivedInWindow != 1 {
		t.Errorf("stats = %+v", s)
	}
	if s.FromVisitor.N != 1 || s.FromVisitor.Max != 2 || s.FromOperator.Max != 4 || s.Latency.N != 2 {
		t.Errorf("latency: all %+v, from visitor %+v, from operator %+v", s.Latency, s.FromVisitor, s.FromOperator)
	}
	if s.Ack.N != 1 || s.Ack.P50 != 1 {
		t.Errorf("ack = %+v", s.Ack)
	}
}

func TestSkipFrame(t *testing.T) {
	if !skipFrame([]byte(`{"operator":{"id":1},"type":"operator"}`)) {
		t.Error("an operator frame was not skipped")
	}
	for _, f := range []string{`{"chat":{"id":1},"type":"chat"}`, `{"message":{"body":"{\"operator\":"},"type":"message"}`, `{"type":"ack"}`} {
		if skipFrame([]byte(f)) {
			t.Errorf("skipped %s", f)
		}
	}
}
