package main

import (
	"sync"
	"time"
)

// msgTracker follows every message of a messages run by its client id:
// when it was written, acknowledged, and received by the other side.
type msgTracker struct {
	mu sync.Mutex
	m  map[string]*msgTrack
}

type msgTrack struct {
	fromVisitor bool
	sent        time.Time // written to the socket (zero: not written)
	acked       time.Time
	recv        time.Time // first receipt by the other side
	recvs       int
	failed      bool // the write failed, or the queue was full
}

func newMsgTracker() *msgTracker { return &msgTracker{m: map[string]*msgTrack{}} }

// msgBody is the body message id carries: its id is the marker a receipt
// is checked against.
func msgBody(id string) string { return "odload message " + id }

// plan registers a message before it is queued.
func (t *msgTracker) plan(id string, fromVisitor bool) {
	t.mu.Lock()
	t.m[id] = &msgTrack{fromVisitor: fromVisitor}
	t.mu.Unlock()
}

// sent stamps the moment the message is handed to its socket.
func (t *msgTracker) sent(id string, at time.Time) {
	t.mu.Lock()
	if m := t.m[id]; m != nil {
		m.sent = at
	}
	t.mu.Unlock()
}

func (t *msgTracker) failed(id string) {
	t.mu.Lock()
	if m := t.m[id]; m != nil {
		m.failed, m.sent = true, time.Time{}
	}
	t.mu.Unlock()
}

func (t *msgTracker) acked(id string, at time.Time) {
	t.mu.Lock()
	if m := t.m[id]; m != nil && m.acked.IsZero() {
		m.acked = at
	}
	t.mu.Unlock()
}

// received records a `message` frame that reached a visitor socket
// (byVisitor) or a console. A side's own messages come back to it too;
// only the other side's copy is a receipt. It reports false for a frame
// that names a message of this run but does not carry its marker.
func (t *msgTracker) received(id, body string, byVisitor bool, at time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.m[id]
	if m == nil || m.fromVisitor == byVisitor {
		return true
	}
	if body != msgBody(id) {
		return false
	}
	if m.recvs == 0 {
		m.recv = at
	}
	m.recvs++
	return true
}

// pending counts messages written and not yet received.
func (t *msgTracker) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, m := range t.m {
		if !m.sent.IsZero() && m.recvs == 0 {
			n++
		}
	}
	return n
}

// msgStats is the messages of a run, with receipts counted inside the
// measured window [start, end) for the achieved rate.
type msgStats struct {
	Sent, NotSent    int
	Received         int // sent messages the other side got
	ReceivedInWindow int
	Lost             int // sent, never received
	Duplicates       int // receipts beyond the first
	Latency          quantiles
	FromVisitor      quantiles
	FromOperator     quantiles
	Ack              quantiles
	MaxSent          time.Time // when the slowest message was written
}

func (t *msgTracker) stats(start, end time.Time) msgStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	var s msgStats
	var all, fromV, fromO, ack []float64
	var slowest float64
	for _, m := range t.m {
		if m.sent.IsZero() {
			s.NotSent++
			continue
		}
		s.Sent++
		if !m.acked.IsZero() {
			ack = append(ack, ms(m.acked.Sub(m.sent)))
		}
		if m.recvs == 0 {
			s.Lost++
			continue
		}
		s.Received++
		s.Duplicates += m.recvs - 1
		if inWindow(m.recv, start, end) {
			s.ReceivedInWindow++
		}
		d := ms(m.recv.Sub(m.sent))
		if len(all) == 0 || d > slowest {
			slowest, s.MaxSent = d, m.sent
		}
		all = append(all, d)
		if m.fromVisitor {
			fromV = append(fromV, d)
		} else {
			fromO = append(fromO, d)
		}
	}
	s.Latency, s.FromVisitor, s.FromOperator, s.Ack = summarize(all), summarize(fromV), summarize(fromO), summarize(ack)
	return s
}

// sendQueue is one socket's writer: the schedule hands it messages without
// waiting, and it stamps each one as it goes out.
type sendQueue struct {
	q chan outMsg
}

type outMsg struct {
	id    string
	frame map[string]any
}

func newSendQueue(p *peer, t *msgTracker, errs *tally) *sendQueue {
	s := &sendQueue{q: make(chan outMsg, 4096)}
	go func() {
		for m := range s.q {
			t.sent(m.id, time.Now())
			if err := p.send(m.frame); err != nil {
				t.failed(m.id)
				errs.add("write: " + lastClause(err.Error()))
			}
		}
	}()
	return s
}

// push queues m; false when the queue is full (the socket is stuck).
func (s *sendQueue) push(m outMsg) bool {
	select {
	case s.q <- m:
		return true
	default:
		return false
	}
}
