package presence

import (
	"bytes"
	"encoding/json"
	"time"
)

// peer is what this node knows of another node.
type peer struct {
	epoch   uint32
	heard   time.Time // when anything of it last arrived, on this node's clock
	applied uint64    // its last op applied here
	// needSync: ops of it were missed (or it is new), so its entries here
	// may be wrong until one of its snapshots has been applied.
	needSync bool
	synced   bool // a snapshot of it has been applied once
	askedAt  int  // the tick at which a snapshot was last asked for; -1 never
	snap     *snapshotParts
}

// snapshotParts gathers a snapshot's parts as they arrive, back to back.
type snapshotParts struct {
	seq  uint64
	next int
	ops  []op
}

// receive is the bus handler: it applies a peer's message and reports what
// changed, from the bus's goroutine, after letting go of the lock.
func (c *Cluster) receive(data []byte) {
	if bytes.HasPrefix(data, c.self) {
		return
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil || m.Node == "" {
		c.log.Warn("presence: unreadable message", "err", err, "bytes", len(data))
		return
	}
	if m.Node == c.node {
		// Another process under this node's id (or this one before a
		// restart): its entries would be taken for this node's own.
		if m.Kind == kindHello {
			c.log.Error("presence: another node uses this node's id", "epoch", m.Epoch)
		}
		return
	}
	var chs changeSet
	c.mu.Lock()
	if !c.closed {
		c.applyLocked(&m, &chs)
		c.checkReadyLocked()
	}
	c.mu.Unlock()
	c.notify(chs.list)
}

func (c *Cluster) applyLocked(m *message, chs *changeSet) {
	p := c.peers[m.Node]
	if p != nil && p.epoch != m.Epoch {
		c.log.Info("presence: node restarted", "peer", m.Node)
		c.forgetLocked(m.Node, chs)
		p = nil
	}
	if m.Kind == kindBye {
		if p != nil {
			c.log.Info("presence: node left", "peer", m.Node)
			c.forgetLocked(m.Node, chs)
		}
		return
	}
	if p == nil {
		p = c.meetLocked(m)
	}
	p.heard = c.clk.Now()
	switch m.Kind {
	case kindHello:
		c.out.put(outItem{kind: kindSnap, to: m.Node})
	case kindDelta:
		c.applyDeltaLocked(m.Node, p, m, chs)
	case kindSnap:
		c.applySnapLocked(m.Node, p, m, chs)
	case kindBeat, kindAsk:
		if m.Seq > p.applied {
			c.needSyncLocked(m.Node, p)
		}
		if m.Kind == kindAsk && m.To == c.node {
			c.out.put(outItem{kind: kindSnap, to: m.Node})
		}
	}
}

// meetLocked starts following a node heard for the first time. A node met
// by its hello has no entries yet (the hello is its first message); any
// other has entries this node has not seen.
func (c *Cluster) meetLocked(m *message) *peer {
	p := &peer{epoch: m.Epoch, askedAt: -1}
	c.peers[m.Node] = p
	c.log.Info("presence: node joined", "peer", m.Node, "hello", m.Kind == kindHello)
	if m.Kind == kindHello {
		p.synced = true
	} else {
		c.needSyncLocked(m.Node, p)
	}
	return p
}

// needSyncLocked notes that node's entries here may be wrong and asks it for
// a snapshot, at most once per heartbeat interval (the tick asks again if
// the answer was lost). Before the first tick, a node not yet synced is
// left to answer the hello instead.
func (c *Cluster) needSyncLocked(node string, p *peer) {
	if !p.needSync {
		p.needSync = true
		p.snap = nil
	}
	if (c.ticks > 0 || p.synced) && p.askedAt != c.ticks {
		c.askLocked(node, p)
	}
}

func (c *Cluster) askLocked(node string, p *peer) {
	p.askedAt = c.ticks
	c.out.put(outItem{kind: kindAsk, to: node})
}

// applyDeltaLocked applies a delta's ops that are newer than what this node
// has. A gap before them is asked to be filled by a snapshot, but the ops
// are news all the same and are applied meanwhile.
func (c *Cluster) applyDeltaLocked(node string, p *peer, m *message, chs *changeSet) {
	if m.First == 0 || m.Seq != m.First+uint64(len(m.Ops))-1 {
		c.log.Warn("presence: malformed delta", "peer", node, "first", m.First, "last", m.Seq, "ops", len(m.Ops))
		return
	}
	if m.First > p.applied+1 {
		c.needSyncLocked(node, p)
	}
	for i, o := range m.Ops {
		if m.First+uint64(i) > p.applied {
			c.idx.apply(node, o, chs)
		}
	}
	p.applied = max(p.applied, m.Seq)
}

// applySnapLocked gathers a snapshot's parts, if this node needs one of
// node, and on the last part makes node's entries exactly the snapshot's.
// A part out of turn (the first ones were missed) spoils the snapshot; the
// next tick asks again.
func (c *Cluster) applySnapLocked(node string, p *peer, m *message, chs *changeSet) {
	if !p.needSync {
		return
	}
	if m.Part == 0 {
		p.snap = &snapshotParts{seq: m.Seq}
	}
	if p.snap == nil || m.Part != p.snap.next || m.Seq != p.snap.seq {
		p.snap = nil
		return
	}
	p.snap.ops = append(p.snap.ops, m.Ops...)
	p.snap.next++
	if !m.Last {
		return
	}
	c.idx.replaceNode(node, p.snap.ops, chs)
	p.applied = p.snap.seq
	p.needSync, p.synced, p.snap = false, true, nil
}

// forgetLocked drops a node and its entries.
func (c *Cluster) forgetLocked(node string, chs *changeSet) {
	delete(c.peers, node)
	c.idx.dropNode(node, nil, chs)
}

// tick is the heartbeat, every TTL/3: it says this node is alive (and how
// far its ops go, so that a peer that missed one notices), drops the peers
// not heard from for TTL, and asks again for snapshots still missing.
func (c *Cluster) tick() {
	var chs changeSet
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.ticks++
	now := c.clk.Now()
	for node, p := range c.peers {
		if now.Sub(p.heard) >= c.ttl {
			c.log.Info("presence: node expired", "peer", node, "silent", now.Sub(p.heard))
			c.forgetLocked(node, &chs)
		}
	}
	c.out.put(outItem{kind: kindBeat})
	for node, p := range c.peers {
		if p.needSync && p.askedAt != c.ticks {
			c.askLocked(node, p)
		}
	}
	c.checkReadyLocked()
	c.timer = c.clk.AfterFunc(c.interval, c.tick)
	c.mu.Unlock()
	c.notify(chs.list)
}

// checkReadyLocked closes Ready once the first interval has passed and no
// node heard so far still owes its snapshot.
func (c *Cluster) checkReadyLocked() {
	if c.isReady || c.ticks == 0 {
		return
	}
	for _, p := range c.peers {
		if p.needSync {
			return
		}
	}
	c.isReady = true
	close(c.ready)
}
