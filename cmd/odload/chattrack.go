package main

import (
	"sync"
	"time"
)

// chatTracker pairs the two halves of a chat start: the visitor learning
// its chat's id (from the ack of its first message, or from the `chat`
// frame its own socket gets when the chat is created, whichever comes
// first) and the assigned operator's `chat` frame showing it active. Either
// half may come first (the server routes the chat before it acknowledges
// the message, so the operator's frame often wins), and the chat is
// complete when both have come.
type chatTracker struct {
	mu    sync.Mutex
	chats map[int64]*trackedChat
}

// trackedChat is one chat as odload saw it.
type trackedChat struct {
	owner    int       // the visitor that started it
	sent     time.Time // its first message.send was written (zero: not ours)
	acked    time.Time // the first message's ack came
	assigned time.Time // the assigned operator's console got it active
	op       int       // that operator's console
}

func newChatTracker() *chatTracker { return &chatTracker{chats: map[int64]*trackedChat{}} }

func (t *chatTracker) get(id int64) *trackedChat {
	c := t.chats[id]
	if c == nil {
		c = &trackedChat{owner: -1, op: -1}
		t.chats[id] = c
	}
	return c
}

// owned records that chat id is visitor owner's, whose first message went
// out at sent; complete is true when the assignment had been seen already.
func (t *chatTracker) owned(id int64, owner int, sent time.Time) (complete bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.get(id)
	if !c.sent.IsZero() {
		return false // known already
	}
	c.owner, c.sent = owner, sent
	return !c.assigned.IsZero()
}

// acked records when the ack of chat id's first message came.
func (t *chatTracker) acked(id int64, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.get(id); c.acked.IsZero() {
		c.acked = at
	}
}

// assigned records console op seeing chat id active and assigned to its
// operator; when the chat's owner is known already it returns the owner
// and complete. Only the first assignment counts.
func (t *chatTracker) assigned(id int64, op int, at time.Time) (owner int, complete bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.get(id)
	if !c.assigned.IsZero() {
		return -1, false
	}
	c.assigned, c.op = at, op
	if c.sent.IsZero() {
		return -1, false
	}
	return c.owner, true
}

// completed counts our chats whose ack and assignment have both come.
func (t *chatTracker) completed() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, c := range t.chats {
		if !c.sent.IsZero() && !c.assigned.IsZero() {
			n++
		}
	}
	return n
}

// chatStats is what the tracker says about the chats started in a window.
type chatStats struct {
	Created          int       // chats the visitors saw created (ack or chat frame)
	Acked            int       // of those, whose first message's ack came
	Assigned         int       // of those created, seen assigned by the end
	AssignedInWindow int       // assignments seen inside the window
	Waiting          int       // created, not seen assigned by the end (see routingReport.unassigned)
	Latency          quantiles // ms, first message sent → assignment frame
	AckLatency       quantiles // ms, first message sent → ack
	PerOperator      []int     // assignments per console
}

// stats reduces the chats whose first message went out in [start, end).
func (t *chatTracker) stats(start, end time.Time, consoles int) chatStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := chatStats{PerOperator: make([]int, consoles)}
	var lat, ack []float64
	for _, c := range t.chats {
		if c.sent.IsZero() || !inWindow(c.sent, start, end) {
			continue
		}
		s.Created++
		if !c.acked.IsZero() {
			s.Acked++
			ack = append(ack, ms(c.acked.Sub(c.sent)))
		}
		if c.assigned.IsZero() {
			s.Waiting++
			continue
		}
		s.Assigned++
		if inWindow(c.assigned, start, end) {
			s.AssignedInWindow++
		}
		if c.op >= 0 && c.op < consoles {
			s.PerOperator[c.op]++
		}
		lat = append(lat, ms(c.assigned.Sub(c.sent)))
	}
	s.Latency, s.AckLatency = summarize(lat), summarize(ack)
	return s
}

// assignedChats lists our chats that were assigned: id, owner, console.
func (t *chatTracker) assignedChats() (out []trackedChatID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, c := range t.chats {
		if !c.sent.IsZero() && !c.assigned.IsZero() {
			out = append(out, trackedChatID{ID: id, Owner: c.owner, Op: c.op})
		}
	}
	return out
}

type trackedChatID struct {
	ID        int64
	Owner, Op int
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
