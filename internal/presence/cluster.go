package presence

import (
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/ids"
)

// Subject carries every node's presence messages. It is one subject on
// purpose: the bus keeps one publisher's payloads in order on one subject,
// so a node's deltas and snapshots are never reordered against each other.
const Subject = "od.presence"

// DefaultTTL is how long a silent node keeps counting when ClusterOptions
// leaves TTL at zero.
const DefaultTTL = 15 * time.Second

// ClusterOptions tunes a Cluster.
type ClusterOptions struct {
	// TTL is how long a node not heard from still counts; each node sends a
	// heartbeat every TTL/3, so two lost heartbeats are not yet a death.
	// Zero means DefaultTTL.
	TTL time.Duration
	// Node is this node's id; empty means a random one. A node restarted
	// under the same id is told apart by its epoch (see cluster_wire.go).
	Node string
}

// Cluster is the presence of one node among several, replicated over the
// bus like Phoenix Presence: each node owns the entries of its own
// connections and sends them to the others as deltas, heartbeats and, on
// request, snapshots; nobody owns the whole, nothing is stored, and a node
// that stops being heard is dropped with its entries after TTL.
//
// Locking: mu guards the index and the peers. Nothing is published while
// it is held: outbound messages go through the outbox to one goroutine,
// because bus.Memory runs the receivers' handlers inside Publish and a lock
// held across it would deadlock two nodes.
type Cluster struct {
	b        bus.Bus
	clk      clock.Clock
	log      *slog.Logger
	ttl      time.Duration
	interval time.Duration
	node     string
	epoch    uint32
	self     []byte // how this node's own payloads begin, to skip them unread
	next     atomic.Uint64
	sub      bus.Subscription
	out      outbox
	sent     chan struct{} // closed when the outbound goroutine has stopped

	mu       sync.RWMutex
	idx      index
	seq      uint64 // this node's last delta op; assigned in outbox order
	peers    map[string]*peer
	ticks    int // heartbeat ticks so far
	timer    clock.Timer
	closed   bool
	ready    chan struct{}
	isReady  bool
	watchers []func(Change)

	closeOnce sync.Once
	closeErr  error
}

var _ Presence = (*Cluster)(nil)

// NewCluster joins the cluster on b: it says hello, which every live node
// answers with a snapshot of its entries, and starts heart-beating on clk.
func NewCluster(b bus.Bus, clk clock.Clock, log *slog.Logger, opts ClusterOptions) (*Cluster, error) {
	if opts.TTL < 0 {
		return nil, fmt.Errorf("presence: negative TTL %v", opts.TTL)
	}
	if opts.TTL == 0 {
		opts.TTL = DefaultTTL
	}
	if opts.Node == "" {
		opts.Node = ids.Hex(8)
	}
	if len(opts.Node) > maxNodeID {
		return nil, fmt.Errorf("presence: node id longer than %d bytes", maxNodeID)
	}
	if log == nil {
		log = slog.Default()
	}
	c := &Cluster{
		b: b, clk: clk, log: log.With("node", opts.Node), ttl: opts.TTL, interval: opts.TTL / 3,
		node: opts.Node, epoch: mrand.Uint32(), sent: make(chan struct{}),
		idx: newIndex(), peers: map[string]*peer{}, ready: make(chan struct{}),
	}
	c.self = selfPrefix(c.node, c.epoch)
	c.out.init()
	// The hello is queued before subscribing, so it is this node's first
	// message, and answers to it cannot be missed: the subscription exists
	// before the outbound goroutine publishes anything.
	c.out.put(outItem{kind: kindHello})
	sub, err := b.Subscribe(Subject, c.receive)
	if err != nil {
		return nil, fmt.Errorf("presence: subscribe to %s: %w", Subject, err)
	}
	c.sub = sub
	go c.run()
	c.mu.Lock()
	c.timer = clk.AfterFunc(c.interval, c.tick)
	c.mu.Unlock()
	return c, nil
}

const maxNodeID = 200 // keeps every message header far under the chunk budget

func (c *Cluster) Node() string    { return c.node }
func (c *Cluster) NewConn() ConnID { return connID(c.node, c.next.Add(1)) }

// Ready is closed once the start-up hello has been answered: one heartbeat
// interval (TTL/3 on the injected clock) has passed since NewCluster, and
// every node heard from so far has delivered its full snapshot (a node that
// expires or says goodbye meanwhile no longer counts). A node heard only
// after Ready closed does not reopen it.
func (c *Cluster) Ready() <-chan struct{} { return c.ready }

func (c *Cluster) Watch(fn func(Change)) {
	c.mu.Lock()
	c.watchers = append(c.watchers, fn)
	c.mu.Unlock()
}

func (c *Cluster) SetConsole(con Console) {
	con.Node = c.node
	c.mu.Lock()
	old, moved := c.idx.drop(con.Conn)
	c.idx.putConsole(con)
	c.seq++
	c.out.put(outItem{kind: kindDelta, seq: c.seq, what: opConsole, console: con})
	c.mu.Unlock()
	c.notifyLocal(Change{OperatorID: con.OperatorID}, old, moved)
}

func (c *Cluster) SetTab(t Tab) {
	t.Node = c.node
	c.mu.Lock()
	old, moved := c.idx.drop(t.Conn)
	c.idx.putTab(t)
	c.seq++
	c.out.put(outItem{kind: kindDelta, seq: c.seq, what: opTab, tab: t})
	c.mu.Unlock()
	c.notifyLocal(Change{VisitorID: t.VisitorID}, old, moved)
}

// Remove drops one of this node's entries; ids of other nodes' entries are
// as unknown to it as ids never set.
func (c *Cluster) Remove(id ConnID) {
	c.mu.Lock()
	ch, ok := c.idx.dropOwned(c.node, id)
	if ok {
		c.seq++
		c.out.put(outItem{kind: kindDelta, seq: c.seq, what: opRemove, remove: id})
	}
	c.mu.Unlock()
	if ok {
		c.notify([]Change{ch})
	}
}

// notifyLocal reports a Set: the entry's owner, and its former owner when
// the connection changed hands (another operator or visitor).
func (c *Cluster) notifyLocal(ch, old Change, replaced bool) {
	if replaced && old != ch {
		c.notify([]Change{ch, old})
		return
	}
	c.notify([]Change{ch})
}

func (c *Cluster) notify(chs []Change) {
	if len(chs) == 0 {
		return
	}
	c.mu.RLock()
	ws := c.watchers
	c.mu.RUnlock()
	for _, ch := range chs {
		for _, fn := range ws {
			fn(ch)
		}
	}
}

func (c *Cluster) Operator(id int64) Operator {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o := Operator{ID: id}
	conns := c.idx.byOp[id]
	if len(conns) == 0 {
		return o
	}
	o.Consoles = make([]Console, 0, len(conns))
	for _, conn := range conns {
		o.Consoles = append(o.Consoles, c.idx.consoles[conn])
	}
	SortConsoles(o.Consoles)
	return o
}

func (c *Cluster) Visitor(id int64) (Visitor, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	conns := c.idx.byVis[id]
	if len(conns) == 0 {
		return Visitor{}, false
	}
	return Visitor{ID: id, Tabs: c.idx.tabsOf(conns, nil)}, true
}

// Visitors lists a site's visitors in id order. It is the Visitor List's
// read of up to tens of thousands of visitors: one pass over the site's
// tabs, all of them in one allocation.
func (c *Cluster) Visitors(siteID int64) []Visitor {
	c.mu.RLock()
	defer c.mu.RUnlock()
	site := c.idx.bySite[siteID]
	if len(site) == 0 {
		return nil
	}
	n := 0
	for id := range site {
		n += len(c.idx.byVis[id])
	}
	all := make([]Tab, 0, n)
	out := make([]Visitor, 0, len(site))
	for id := range site {
		start := len(all)
		all = c.idx.tabsOf(c.idx.byVis[id], all)
		// The full slice expression keeps a caller's append from writing
		// into the next visitor's tabs.
		out = append(out, Visitor{ID: id, Tabs: all[start:len(all):len(all)]})
	}
	slices.SortFunc(out, func(a, b Visitor) int { return cmpInt(a.ID, b.ID) })
	return out
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Close leaves the cluster: the heartbeat stops, the others hear a goodbye
// and drop this node's entries at once (a node that dies without one simply
// expires), and the subscription ends. Safe to call more than once.
func (c *Cluster) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		if c.timer != nil {
			c.timer.Stop()
		}
		c.mu.Unlock()
		if err := c.sub.Unsubscribe(); err != nil && !errors.Is(err, bus.ErrClosed) {
			c.closeErr = fmt.Errorf("presence: unsubscribe: %w", err)
		}
		c.out.put(outItem{kind: kindBye})
		c.out.close()
		<-c.sent
	})
	return c.closeErr
}
