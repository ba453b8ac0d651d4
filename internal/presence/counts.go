package presence

// Counts is what presence holds, as numbers: what the metrics show.
type Counts struct {
	// Consoles and Tabs are this node's own connections: its sockets that
	// said who they are.
	Consoles, Tabs int
	// Visitors have at least one tab open, on any node and any site.
	Visitors int
}

func (m *Memory) Counts() Counts {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return Counts{Consoles: len(m.consoles), Tabs: len(m.tabs), Visitors: len(m.byVis)}
}

func (c *Cluster) Counts() Counts {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := Counts{Visitors: len(c.idx.byVis)}
	for id := range c.idx.byNode[c.node] {
		if _, ok := c.idx.consoles[id]; ok {
			n.Consoles++
		} else {
			n.Tabs++
		}
	}
	return n
}
