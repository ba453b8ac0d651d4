package presence

import (
	"sync"
	"sync/atomic"
)

// Memory is the presence of one node on its own: every connection is this
// node's, nothing expires, and it is ready at once.
type Memory struct {
	node string
	next atomic.Uint64

	mu       sync.RWMutex
	consoles map[ConnID]Console
	tabs     map[ConnID]*Tab // by pointer: a map of 300-byte values keeps room for more
	// byOp and byVis index the entries by operator and by visitor: a
	// short list each (a visitor has a tab or two), not a map.
	byOp     map[int64][]ConnID
	byVis    map[int64][]ConnID
	watchers []func(Change)
}

var _ Presence = (*Memory)(nil)

// NewMemory returns the presence of a single node.
func NewMemory() *Memory {
	return &Memory{node: "local", consoles: map[ConnID]Console{}, tabs: map[ConnID]*Tab{},
		byOp: map[int64][]ConnID{}, byVis: map[int64][]ConnID{}}
}

var readyClosed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (m *Memory) Node() string           { return m.node }
func (m *Memory) NewConn() ConnID        { return connID(m.node, m.next.Add(1)) }
func (m *Memory) Ready() <-chan struct{} { return readyClosed }
func (m *Memory) Close() error           { return nil }
func (m *Memory) Watch(fn func(Change)) {
	m.mu.Lock()
	m.watchers = append(m.watchers, fn)
	m.mu.Unlock()
}
func (m *Memory) Operator(id int64) Operator {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.operatorLocked(id)
}

func (m *Memory) SetConsole(c Console) {
	c.Node = m.node
	m.mu.Lock()
	m.dropLocked(c.Conn)
	m.consoles[c.Conn] = c
	m.byOp[c.OperatorID] = append(m.byOp[c.OperatorID], c.Conn) // dropLocked took out an older entry
	m.mu.Unlock()
	m.notify(Change{OperatorID: c.OperatorID})
}

func (m *Memory) SetTab(t Tab) {
	t.Node = m.node
	m.mu.Lock()
	m.dropLocked(t.Conn)
	m.tabs[t.Conn] = &t
	m.byVis[t.VisitorID] = append(m.byVis[t.VisitorID], t.Conn) // dropLocked took out an older entry
	m.mu.Unlock()
	m.notify(Change{VisitorID: t.VisitorID})
}

func (m *Memory) Remove(id ConnID) {
	m.mu.Lock()
	ch, ok := m.dropLocked(id)
	m.mu.Unlock()
	if ok {
		m.notify(ch)
	}
}

// dropLocked removes an entry and says whose it was.
func (m *Memory) dropLocked(id ConnID) (Change, bool) {
	if c, ok := m.consoles[id]; ok {
		delete(m.consoles, id)
		listDrop(m.byOp, c.OperatorID, id)
		return Change{OperatorID: c.OperatorID}, true
	}
	if t, ok := m.tabs[id]; ok {
		delete(m.tabs, id)
		listDrop(m.byVis, t.VisitorID, id)
		return Change{VisitorID: t.VisitorID}, true
	}
	return Change{}, false
}

func (m *Memory) notify(ch Change) {
	m.mu.RLock()
	ws := m.watchers
	m.mu.RUnlock()
	for _, fn := range ws {
		fn(ch)
	}
}

func (m *Memory) operatorLocked(id int64) Operator {
	o := Operator{ID: id}
	for _, c := range m.byOp[id] {
		o.Consoles = append(o.Consoles, m.consoles[c])
	}
	SortConsoles(o.Consoles)
	return o
}

func (m *Memory) Visitor(id int64) (Visitor, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.visitorLocked(id)
}

func (m *Memory) visitorLocked(id int64) (Visitor, bool) {
	conns := m.byVis[id]
	if len(conns) == 0 {
		return Visitor{}, false
	}
	v := Visitor{ID: id, Tabs: make([]Tab, 0, len(conns))}
	for _, c := range conns {
		v.Tabs = append(v.Tabs, *m.tabs[c])
	}
	SortTabs(v.Tabs)
	return v, true
}

func (m *Memory) Visitors(siteID int64) []Visitor {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Visitor
	for id := range m.byVis {
		if v, ok := m.visitorLocked(id); ok && v.Tabs[0].SiteID == siteID {
			out = append(out, v)
		}
	}
	return out
}
