package main

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// routingRun is --mode routing: a pool of visitors starts chats at
// --chat-rate on an open-loop schedule, and each chat is timed from the
// visitor's first message to the assigned operator's console showing it
// active. The visitor then ends the chat and goes back to the pool.
//
// The visitor ends it with its socket's `chat.end` (the widget's
// "Cancel"): protocol.md documents it as one frame on a socket that is
// open anyway, where the operator's way is a REST call with a session and
// a CSRF token per chat. Both free the operator's slot the same way.
type routingRun struct {
	*deskRun
	runID   string
	vis     []*rvisitor
	free    chan *rvisitor // visitors without an open chat
	track   *chatTracker
	started atomic.Int64
	cleanup atomic.Int64 // cleanup chat.end frames not answered yet
}

// rvisitor is one chatting visitor: at most one open chat at a time.
type rvisitor struct {
	n      int
	p      *peer
	mu     sync.Mutex
	k      int       // chats started
	sent   time.Time // when the current chat's first message went out
	chatID int64     // the current chat, once known
	prevID int64     // the chat before it: a late frame of it is not the new one
}

func runRouting(ctx context.Context, o options) (*routingReport, error) {
	d, err := newDeskRun(o)
	if err != nil {
		return nil, err
	}
	r := &routingRun{deskRun: d, runID: fmt.Sprintf("%06x", rand.Intn(1<<24)), track: newChatTracker(),
		free: make(chan *rvisitor, o.Visitors)}
	rep := &routingReport{Opts: o}
	defer r.closeAll()
	if err := r.setUp(ctx); err != nil {
		return nil, err
	}
	if err := r.openConsoles(ctx, r.consoleHandler); err != nil {
		return nil, err
	}
	if err := r.connect(ctx); err != nil {
		return nil, err
	}
	rep.Visitors = len(r.free)
	err = r.measure(ctx, rep)
	r.endOpenChats()
	rep.Notes = append(rep.Notes, r.notes...)
	return rep, err
}

// connect opens the visitor pool; a visitor that cannot connect is left
// out of it and counted.
func (r *routingRun) connect(ctx context.Context) error {
	vd, err := r.visitorDial()
	if err != nil {
		return err
	}
	r.vis = make([]*rvisitor, r.o.Visitors)
	for i := range r.vis {
		r.vis[i] = &rvisitor{n: i}
	}
	peers, err := vd.dialAll(ctx, r.o.Visitors, r.o.RampRate, func(i int) (func(time.Time, *inFrame), func(error)) {
		v := r.vis[i]
		return func(at time.Time, f *inFrame) { r.visitorFrame(v, at, f) },
			func(err error) { r.errs.add("visitor socket ended: " + dropKey(err)) }
	})
	for i, p := range peers {
		if p != nil {
			r.vis[i].p = p
			r.free <- r.vis[i]
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if n := len(r.free); n < r.o.Visitors {
		r.note("%d of %d visitors could not connect: %v", r.o.Visitors-n, r.o.Visitors, err)
	}
	r.logf("%d visitors connected", len(r.free))
	return nil
}

// measure runs the schedule for --duration, then waits up to --drain for
// chats still unassigned.
func (r *routingRun) measure(ctx context.Context, rep *routingReport) error {
	start := time.Now().Add(200 * time.Millisecond)
	sched := schedule{start: start, dur: r.o.Duration, rate: r.o.ChatRate}
	rep.Start, rep.End, rep.Scheduled = start, start.Add(r.o.Duration), sched.total()
	r.logf("measured phase: %v at %.0f chats/s (%d chats) from %d visitors", r.o.Duration, r.o.ChatRate, sched.total(), len(r.free))
	if err := sleepCtx(ctx, time.Until(start)); err != nil {
		return err
	}
	watch := watchServer(r.o.ServerPID, selfCPU(nil))
	rep.MaxLag = sched.run(ctx, func(int) {
		select {
		case v := <-r.free:
			go r.start(v)
		default:
			rep.Skipped++ // every visitor has a chat open: the arrival is lost, and counted
		}
	})
	sleepCtx(ctx, time.Until(rep.End))
	rep.Server = watch.finish()
	// wait for both halves of every chat started: until its visitor has
	// seen the chat created, an assignment frame cannot be told to be ours
	deadline := time.Now().Add(r.o.Drain)
	for time.Now().Before(deadline) && r.track.completed() < int(r.started.Load()) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	rep.Started = int(r.started.Load())
	rep.Chats = r.track.stats(rep.Start, rep.End, len(r.cons))
	rep.Errors, rep.ErrorTotal = r.errs.snapshot()
	r.logf("measured phase over: %d chats started, %d assigned, %d not", rep.Started, rep.Chats.Assigned, rep.unassigned())
	return ctx.Err()
}

// start sends visitor v's first message, which starts a chat.
func (r *routingRun) start(v *rvisitor) {
	v.mu.Lock()
	v.k++
	k := v.k
	v.prevID, v.chatID = max(v.prevID, v.chatID), 0
	v.sent = time.Now()
	v.mu.Unlock()
	err := v.p.send(map[string]any{"type": "message.send", "ref": fmt.Sprintf("s%d", k),
		"client_id": fmt.Sprintf("odl-%s-%d-%d", r.runID, v.n, k), "body": fmt.Sprintf("odload routing chat %d of visitor %d", k, v.n)})
	if err != nil {
		r.errs.add("visitor write: " + lastClause(err.Error()))
		return // the socket is broken: the visitor leaves the pool
	}
	r.started.Add(1)
}

// end cancels v's chat; its ack returns v to the pool.
func (r *routingRun) end(v *rvisitor) {
	v.mu.Lock()
	k := v.k
	v.mu.Unlock()
	if err := v.p.send(map[string]any{"type": "chat.end", "ref": fmt.Sprintf("e%d", k)}); err != nil {
		r.errs.add("visitor write: " + lastClause(err.Error()))
	}
}

func (r *routingRun) visitorFrame(v *rvisitor, at time.Time, f *inFrame) {
	switch {
	case f.Type == "ack" && strings.HasPrefix(f.Ref, "s"):
		r.identify(v, f.ChatID)
		r.track.acked(f.ChatID, at)
	case f.Type == "chat" && f.Chat != nil && f.Chat.State != "ended":
		// on a busy server the chat's creation reaches the widget long
		// before the ack, and it names the chat just as well
		r.identify(v, f.Chat.ID)
	case f.Type == "ack" && strings.HasPrefix(f.Ref, "e"):
		r.release(v)
	case f.Ref == "c":
		r.cleanup.Add(-1)
	case f.Type == "error":
		r.errs.add(fmt.Sprintf("visitor error %s: %s", f.Code, f.errorText()))
		if f.Ref != "" {
			r.release(v) // neither a chat start nor its end happened: try again later
		}
	}
}

// identify makes chat id visitor v's current chat, unless v knows its
// chat already or id is an earlier chat's; a chat whose assignment was seen
// already is complete and ends.
func (r *routingRun) identify(v *rvisitor, id int64) {
	v.mu.Lock()
	if v.chatID != 0 || id <= v.prevID {
		v.mu.Unlock()
		return
	}
	v.chatID = id
	sent := v.sent
	v.mu.Unlock()
	if r.track.owned(id, v.n, sent) {
		go r.end(v)
	}
}

// release puts v back in the pool. Each start or end gets exactly one
// reply, so v is never in the pool twice; the channel has room for all.
func (r *routingRun) release(v *rvisitor) {
	select {
	case r.free <- v:
	default:
	}
}

// consoleHandler is console i's reader: a `chat` frame showing a chat
// active and assigned to this console's operator is that chat's
// assignment.
func (r *routingRun) consoleHandler(i int) func(time.Time, *inFrame) {
	return func(at time.Time, f *inFrame) {
		switch f.Type {
		case "chat":
			c := f.Chat
			if c == nil || c.State != "active" || c.Operator == nil || c.Operator.ID != r.ops[i].id {
				return
			}
			if owner, ok := r.track.assigned(c.ID, i, at); ok && owner >= 0 && owner < len(r.vis) {
				go r.end(r.vis[owner])
			}
		case "error":
			r.errs.add(fmt.Sprintf("console error %s: %s", f.Code, f.errorText()))
		}
	}
}

// endOpenChats cancels whatever chat each visitor still has open, waiting
// or active, so the run leaves no backlog behind for the next one (a
// visitor without a chat answers not_found, which is fine).
func (r *routingRun) endOpenChats() {
	n := 0
	for _, v := range r.vis {
		if v.p == nil {
			continue
		}
		r.cleanup.Add(1)
		if v.p.send(map[string]any{"type": "chat.end", "ref": "c"}) != nil {
			r.cleanup.Add(-1)
		}
		n++
	}
	deadline := time.Now().Add(15 * time.Second)
	for r.cleanup.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := r.cleanup.Load(); left > 0 {
		r.note("%d of %d visitors had no answer to their final chat.end within 15 s", left, n)
	}
}

func (r *routingRun) closeAll() {
	for _, v := range r.vis {
		if v.p != nil {
			v.p.close()
		}
	}
	r.closeConsoles()
}
