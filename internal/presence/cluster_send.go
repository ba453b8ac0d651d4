package presence

import (
	"bytes"
	"context"
	"encoding/json"
)

// sender is the outbound goroutine's state: it turns queued items into
// messages, in queue order, and publishes them. It is the only publisher of
// this node, so its order is the order receivers see.
type sender struct {
	c        *Cluster
	ops      bytes.Buffer // the ops of the message being built, comma separated
	enc      *json.Encoder
	n        int    // ops in ops
	first    uint64 // the seq of the first of them
	lastSent uint64 // the last op published in a delta
	scratch  op
	failing  bool
}

func (c *Cluster) run() {
	defer close(c.sent)
	s := &sender{c: c}
	s.enc = json.NewEncoder(&s.ops)
	for {
		items, ok := c.out.take()
		if !ok {
			return
		}
		s.send(items)
	}
}

func (s *sender) send(items []outItem) {
	snapped := false
	for i := range items {
		it := &items[i]
		if it.kind == kindDelta {
			s.addOp(it)
			continue
		}
		s.flushDelta()
		switch it.kind {
		case kindSnap:
			// One snapshot answers every request queued with it: it is
			// taken now, after all of them, and any node still missing
			// this node's entries takes it, whoever asked.
			if !snapped {
				snapped = true
				s.snapshot(it.to)
			}
		case kindAsk:
			s.publish(header{Kind: kindAsk, Seq: s.lastSent, To: it.to}, nil)
		default: // hello, heartbeat, bye
			s.publish(header{Kind: it.kind, Seq: s.lastSent}, nil)
		}
	}
	s.flushDelta()
}

// addOp appends a delta op to the message being built, sending that one
// first when the op would not fit.
func (s *sender) addOp(it *outItem) {
	s.scratch = op{}
	switch it.what {
	case opConsole:
		s.scratch.Console = &it.console
	case opTab:
		s.scratch.Tab = &it.tab
	case opRemove:
		s.scratch.Remove = it.remove
	}
	mark := s.ops.Len()
	s.encodeOp()
	if s.n > 0 && s.ops.Len() > opsBudget {
		tail := bytes.Clone(s.ops.Bytes()[mark:])
		s.ops.Truncate(mark)
		s.flushDelta()
		s.ops.Write(tail[1:]) // without the comma that joined it to the last
	}
	if s.n == 0 {
		s.first = it.seq
	}
	s.n++
}

// encodeOp appends scratch to ops, after a comma unless it is the first.
func (s *sender) encodeOp() {
	if s.ops.Len() > 0 {
		s.ops.WriteByte(',')
	}
	if err := s.enc.Encode(&s.scratch); err != nil {
		// Only unencodable values fail, and entries have none.
		s.c.log.Error("presence: encode", "err", err)
	}
}

func (s *sender) flushDelta() {
	if s.n == 0 {
		return
	}
	last := s.first + uint64(s.n) - 1
	s.publish(header{Kind: kindDelta, First: s.first, Seq: last}, s.ops.Bytes())
	s.lastSent = last
	s.ops.Reset()
	s.n = 0
}

// snapshot sends this node's entries as they are now, in parts. The copy
// and its seq are taken under one read lock, and every Set assigns its seq
// and queues its op under the write lock, so the copy holds exactly ops
// 1..seq.
func (s *sender) snapshot(to string) {
	c := s.c
	c.mu.RLock()
	seq := c.seq
	cons, tabs := c.idx.own(c.node)
	c.mu.RUnlock()
	h := header{Kind: kindSnap, Seq: seq, To: to}
	for i := range cons {
		s.scratch = op{Console: &cons[i]}
		h = s.addSnapOp(h)
	}
	for i := range tabs {
		s.scratch = op{Tab: &tabs[i]}
		h = s.addSnapOp(h)
	}
	h.Last = true
	s.publish(h, s.ops.Bytes())
	s.ops.Reset()
}

// addSnapOp appends scratch to the snapshot part being built, sending the
// part first when it would not fit; it returns the next part's header.
func (s *sender) addSnapOp(h header) header {
	mark := s.ops.Len()
	s.encodeOp()
	if mark > 0 && s.ops.Len() > opsBudget {
		tail := bytes.Clone(s.ops.Bytes()[mark+1:])
		s.ops.Truncate(mark)
		s.publish(h, s.ops.Bytes())
		s.ops.Reset()
		s.ops.Write(tail)
		h.Part++
	}
	return h
}

// publish frames ops (already-encoded, comma separated) under h and
// publishes the message. The payload is a fresh slice: the bus may keep it.
func (s *sender) publish(h header, ops []byte) {
	c := s.c
	h.Node, h.Epoch = c.node, c.epoch
	head, err := json.Marshal(&h)
	if err != nil {
		c.log.Error("presence: encode", "err", err)
		return
	}
	data := head
	if len(ops) > 0 {
		data = make([]byte, 0, len(head)+len(ops)+8)
		data = append(data, head[:len(head)-1]...)
		data = append(data, `,"o":[`...)
		data = append(data, ops...)
		data = append(data, "]}"...)
	}
	err = c.b.Publish(context.Background(), Subject, data)
	// One line per outage, not one per message: a node cut off from the bus
	// keeps trying every heartbeat.
	switch {
	case err != nil && !s.failing:
		s.failing = true
		c.log.Warn("presence: publish failed; the other nodes will expire this one until it is heard again", "err", err)
	case err == nil && s.failing:
		s.failing = false
		c.log.Info("presence: publishing again")
	}
}
