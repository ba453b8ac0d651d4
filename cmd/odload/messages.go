package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync/atomic"
	"time"
)

// messagesRun is --mode messages: --active-chats chats, each assigned to an
// operator whose console watches it, exchange --msg-rate messages per
// second in total while --idle-visitors sockets sit on the site, and each
// message is timed from its write to the other side's `message` frame.
type messagesRun struct {
	*deskRun
	runID     string
	workers   []*worker
	vis       []*peer
	firstSent []atomic.Int64 // unix ns of each visitor's first message
	chatTrack *chatTracker
	msgs      *msgTracker
	chats     []trackedChatID
	vq, cq    []*sendQueue // per visitor, per console
	cleanup   atomic.Int64
}

func runMessages(ctx context.Context, o options) (*messagesReport, error) {
	d, err := newDeskRun(o)
	if err != nil {
		return nil, err
	}
	m := &messagesRun{deskRun: d, runID: fmt.Sprintf("%06x", rand.Intn(1<<24)), chatTrack: newChatTracker(), msgs: newMsgTracker()}
	rep := &messagesReport{Opts: o}
	defer m.closeAll()
	if err := m.setUp(ctx); err != nil {
		return nil, err
	}
	if err := m.openConsoles(ctx, func(i int) func(time.Time, *inFrame) {
		return func(at time.Time, f *inFrame) { m.frame(i, false, at, f) }
	}); err != nil {
		return nil, err
	}
	rep.IdleVisitors, rep.IdleFailed, err = m.startIdle(ctx)
	if err != nil {
		return nil, err
	}
	if err := m.startChats(ctx); err != nil {
		return nil, err
	}
	rep.Chats = len(m.chats)
	err = m.measure(ctx, rep)
	m.endChats()
	rep.Notes = append(rep.Notes, m.notes...)
	return rep, err
}

// startIdle starts the worker processes that hold the idle visitors, as
// the visitors mode does, and waits until they are connected.
func (m *messagesRun) startIdle(ctx context.Context) (connected, failed int, err error) {
	n := m.o.IdleVisitors
	if n == 0 {
		return 0, 0, nil
	}
	nw := (n + m.o.PerProcess - 1) / m.o.PerProcess
	na := m.o.SourceAddrs
	if na == 0 {
		na = max(1, (n+4999)/5000)
	}
	srcs, err := sourceAddrs(m.o.SourceBase, na)
	if err != nil {
		return 0, 0, err
	}
	addrs := make([]string, len(srcs))
	for i, a := range srcs {
		addrs[i] = a.IP.String()
	}
	for i, first := 0, 0; i < nw; i++ {
		share := n/nw + btoi(i < n%nw)
		w, err := startWorker(workerJob{Index: i, URL: m.base.String(), SiteKey: m.siteKey, Visitors: share, FirstIndex: first,
			SourceAddrs: addrs, Navigate: "page", RampRate: max(1, m.o.RampRate/nw), Origin: m.o.Origin, Seed: 1})
		if err != nil {
			return connected, failed, fmt.Errorf("starting worker %d: %w", i, err)
		}
		m.workers = append(m.workers, w)
		first += share
	}
	m.logf("%d workers connecting %d idle visitors at %d/s", nw, n, m.o.RampRate)
	for _, w := range m.workers {
		msg, err := w.await(ctx, "ready", nil)
		if err != nil {
			return connected, failed, err
		}
		connected, failed = connected+msg.Connected, failed+msg.Failed
	}
	m.logf("%d idle visitors connected, %d failed", connected, failed)
	return connected, failed, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// startChats connects the chatting visitors; each sends a first message and
// waits for its chat to be assigned. The assigned operator's console then
// watches the chat without asking: protocol.md has the server watch every
// chat assigned to the operator on their consoles. Chats that are not assigned within a
// minute are left out of the measurement, and said so.
func (m *messagesRun) startChats(ctx context.Context) error {
	vd, err := m.visitorDial()
	if err != nil {
		return err
	}
	n := m.o.ActiveChats
	m.firstSent = make([]atomic.Int64, n)
	m.vis, err = vd.dialAll(ctx, n, m.o.RampRate, func(i int) (func(time.Time, *inFrame), func(error)) {
		return func(at time.Time, f *inFrame) { m.frame(i, true, at, f) },
			func(err error) { m.errs.add("visitor socket ended: " + dropKey(err)) }
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for i, p := range m.vis {
		if p == nil {
			continue
		}
		m.firstSent[i].Store(time.Now().UnixNano())
		if err := p.send(map[string]any{"type": "message.send", "ref": "s", "client_id": fmt.Sprintf("odl-%s-first-%d", m.runID, i),
			"body": "odload messages: hello"}); err != nil {
			m.errs.add("visitor write: " + lastClause(err.Error()))
		}
	}
	deadline := time.Now().Add(time.Minute)
	for len(m.chatTrack.assignedChats()) < n && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	m.chats = m.chatTrack.assignedChats()
	if len(m.chats) < n {
		m.note("only %d of %d chats were assigned within a minute; the messages go to those", len(m.chats), n)
	}
	if len(m.chats) == 0 {
		return errors.New("no chat was assigned: nothing to measure")
	}
	m.vq = make([]*sendQueue, len(m.vis))
	for i, p := range m.vis {
		if p != nil {
			m.vq[i] = newSendQueue(p, m.msgs, m.errs)
		}
	}
	for _, p := range m.cons {
		m.cq = append(m.cq, newSendQueue(p, m.msgs, m.errs))
	}
	m.logf("%d chats assigned", len(m.chats))
	return ctx.Err()
}

// frame reads one frame of visitor or console i.
func (m *messagesRun) frame(i int, visitor bool, at time.Time, f *inFrame) {
	switch f.Type {
	case "message":
		msg, ok := f.message()
		if ok && msg.ClientID != nil && !m.msgs.received(*msg.ClientID, msg.Body, visitor, at) {
			m.errs.add("a message arrived without its marker")
		}
	case "ack":
		if visitor && f.Ref == "s" {
			m.chatTrack.owned(f.ChatID, i, time.Unix(0, m.firstSent[i].Load()))
			m.chatTrack.acked(f.ChatID, at)
		} else if f.Ref == "c" {
			m.cleanup.Add(-1)
		} else {
			m.msgs.acked(f.Ref, at)
		}
	case "chat":
		if c := f.Chat; !visitor && c != nil && c.State == "active" && c.Operator != nil && c.Operator.ID == m.ops[i].id {
			m.chatTrack.assigned(c.ID, i, at)
		}
	case "error":
		if f.Ref == "c" {
			m.cleanup.Add(-1)
			return
		}
		side := "console"
		if visitor {
			side = "visitor"
		}
		m.errs.add(fmt.Sprintf("%s error %s: %s", side, f.Code, f.errorText()))
	}
}

// measure runs the message schedule for --duration and drains.
func (m *messagesRun) measure(ctx context.Context, rep *messagesReport) error {
	start := time.Now().Add(200 * time.Millisecond)
	sched := schedule{start: start, dur: m.o.Duration, rate: m.o.MsgRate}
	rep.Start, rep.End = start, start.Add(m.o.Duration)
	m.logf("measured phase: %v at %.0f msg/s over %d chats", m.o.Duration, m.o.MsgRate, len(m.chats))
	if err := sleepCtx(ctx, time.Until(start)); err != nil {
		return err
	}
	watch := watchServer(m.o.ServerPID, selfCPU(m.workers))
	rep.MaxLag = sched.run(ctx, func(k int) {
		ci, fromVisitor := msgPlan(k, len(m.chats))
		c := m.chats[ci]
		id := fmt.Sprintf("m%s-%d", m.runID, k)
		m.msgs.plan(id, fromVisitor)
		var ok bool
		if fromVisitor {
			ok = m.vq[c.Owner].push(outMsg{id, map[string]any{"type": "message.send", "ref": id, "client_id": id, "body": msgBody(id)}})
		} else {
			ok = m.cq[c.Op].push(outMsg{id, map[string]any{"type": "message.send", "ref": id, "chat_id": c.ID, "client_id": id, "body": msgBody(id)}})
		}
		if !ok {
			m.msgs.failed(id)
			m.errs.add("send queue full (a socket is not keeping up)")
		}
	})
	sleepCtx(ctx, time.Until(rep.End))
	rep.Server = watch.finish()
	deadline := time.Now().Add(m.o.Drain)
	for time.Now().Before(deadline) && m.msgs.pending() > 0 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	rep.Msgs = m.msgs.stats(rep.Start, rep.End)
	rep.Errors, rep.ErrorTotal = m.errs.snapshot()
	m.logf("measured phase over: %d sent, %d received", rep.Msgs.Sent, rep.Msgs.Received)
	return ctx.Err()
}

// endChats cancels the chats, so the operators' room is free for the next
// run.
func (m *messagesRun) endChats() {
	for _, p := range m.vis {
		if p == nil {
			continue
		}
		m.cleanup.Add(1)
		if p.send(map[string]any{"type": "chat.end", "ref": "c"}) != nil {
			m.cleanup.Add(-1)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for m.cleanup.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}

func (m *messagesRun) closeAll() {
	for _, q := range append(append([]*sendQueue(nil), m.vq...), m.cq...) {
		if q != nil {
			close(q.q)
		}
	}
	for _, p := range m.vis {
		if p != nil {
			p.close()
		}
	}
	m.closeConsoles()
	for _, w := range m.workers {
		w.stop()
	}
}
