package presence

import "time"

// index holds every entry this node knows, its own and its peers', keyed
// so that each query reads only what it returns. ConnIDs are unique in the
// cluster (they begin with the node's id), so one map per kind serves all
// nodes; byNode says whose each entry is.
//
// It holds every visitor of every node, so its shape is chosen for bytes:
// tabs are kept by pointer (a map slot holds 8 bytes, not a 300-byte Tab,
// and a map leaves many slots empty), and a visitor's or operator's
// connections are a short slice — almost always one — rather than a map
// of their own.
type index struct {
	consoles map[ConnID]Console
	tabs     map[ConnID]*Tab
	byOp     map[int64][]ConnID
	byVis    map[int64][]ConnID
	bySite   map[int64]map[int64]int // site → visitor → its tabs on the site
	byNode   map[string]map[ConnID]struct{}
}

func newIndex() index {
	return index{
		consoles: map[ConnID]Console{}, tabs: map[ConnID]*Tab{},
		byOp: map[int64][]ConnID{}, byVis: map[int64][]ConnID{},
		bySite: map[int64]map[int64]int{}, byNode: map[string]map[ConnID]struct{}{},
	}
}

func (x *index) putConsole(c Console) {
	x.consoles[c.Conn] = c
	x.byOp[c.OperatorID] = append(x.byOp[c.OperatorID], c.Conn)
	indexAdd(x.byNode, c.Node, c.Conn)
}

// putTab keeps t; the caller has dropped any earlier entry under its id.
func (x *index) putTab(t Tab) {
	x.tabs[t.Conn] = &t
	x.byVis[t.VisitorID] = append(x.byVis[t.VisitorID], t.Conn)
	indexAdd(x.byNode, t.Node, t.Conn)
	site := x.bySite[t.SiteID]
	if site == nil {
		site = map[int64]int{}
		x.bySite[t.SiteID] = site
	}
	site[t.VisitorID]++
}

// drop removes an entry, whoever's it is, and says whose it was.
func (x *index) drop(id ConnID) (Change, bool) {
	if c, ok := x.consoles[id]; ok {
		delete(x.consoles, id)
		listDrop(x.byOp, c.OperatorID, id)
		indexDrop(x.byNode, c.Node, id)
		return Change{OperatorID: c.OperatorID}, true
	}
	if t, ok := x.tabs[id]; ok {
		delete(x.tabs, id)
		listDrop(x.byVis, t.VisitorID, id)
		indexDrop(x.byNode, t.Node, id)
		if site := x.bySite[t.SiteID]; site[t.VisitorID] <= 1 {
			delete(site, t.VisitorID)
			if len(site) == 0 {
				delete(x.bySite, t.SiteID)
			}
		} else {
			site[t.VisitorID]--
		}
		return Change{VisitorID: t.VisitorID}, true
	}
	return Change{}, false
}

// dropOwned removes an entry only if node owns it: a node speaks for its
// own connections and no one else's.
func (x *index) dropOwned(node string, id ConnID) (Change, bool) {
	if _, ok := x.byNode[node][id]; !ok {
		return Change{}, false
	}
	return x.drop(id)
}

// apply makes one op of node's true and adds to chs whose entries it
// changed; an op that changes nothing reports nothing.
func (x *index) apply(node string, o op, chs *changeSet) {
	switch {
	case o.Console != nil:
		con := *o.Console
		con.Node = node
		if old, ok := x.consoles[con.Conn]; ok && sameConsole(old, con) {
			return
		}
		x.replace(con.Conn, chs)
		x.putConsole(con)
		chs.add(Change{OperatorID: con.OperatorID})
	case o.Tab != nil:
		t := *o.Tab
		t.Node = node
		if old, ok := x.tabs[t.Conn]; ok && sameTab(*old, t) {
			return
		}
		x.replace(t.Conn, chs)
		x.putTab(t)
		chs.add(Change{VisitorID: t.VisitorID})
	case o.Remove != "":
		if ch, ok := x.dropOwned(node, o.Remove); ok {
			chs.add(ch)
		}
	}
}

func (x *index) replace(id ConnID, chs *changeSet) {
	if ch, ok := x.drop(id); ok {
		chs.add(ch)
	}
}

// replaceNode makes node's entries exactly ops (a snapshot), reporting only
// what differs from what was known.
func (x *index) replaceNode(node string, ops []op, chs *changeSet) {
	keep := make(map[ConnID]struct{}, len(ops))
	for _, o := range ops {
		switch {
		case o.Console != nil:
			keep[o.Console.Conn] = struct{}{}
		case o.Tab != nil:
			keep[o.Tab.Conn] = struct{}{}
		default:
			continue
		}
		x.apply(node, o, chs)
	}
	x.dropNode(node, keep, chs)
}

// dropNode removes node's entries except those in keep.
func (x *index) dropNode(node string, keep map[ConnID]struct{}, chs *changeSet) {
	var gone []ConnID
	for id := range x.byNode[node] {
		if _, ok := keep[id]; !ok {
			gone = append(gone, id)
		}
	}
	for _, id := range gone {
		if ch, ok := x.drop(id); ok {
			chs.add(ch)
		}
	}
}

// own copies node's entries, for a snapshot.
func (x *index) own(node string) ([]Console, []Tab) {
	var cs []Console
	var ts []Tab
	for id := range x.byNode[node] {
		if c, ok := x.consoles[id]; ok {
			cs = append(cs, c)
		} else if t, ok := x.tabs[id]; ok {
			ts = append(ts, *t)
		}
	}
	return cs, ts
}

// tabsOf appends the tabs of conns to dst, in ConnID order.
func (x *index) tabsOf(conns []ConnID, dst []Tab) []Tab {
	start := len(dst)
	for _, id := range conns {
		dst = append(dst, *x.tabs[id])
	}
	SortTabs(dst[start:])
	return dst
}

func indexAdd[K comparable](idx map[K]map[ConnID]struct{}, key K, id ConnID) {
	set := idx[key]
	if set == nil {
		set = map[ConnID]struct{}{}
		idx[key] = set
	}
	set[id] = struct{}{}
}

// listDrop takes id out of key's list; the list's order does not matter.
func listDrop(idx map[int64][]ConnID, key int64, id ConnID) {
	list := idx[key]
	for i, c := range list {
		if c == id {
			list[i] = list[len(list)-1]
			list = list[:len(list)-1]
			break
		}
	}
	if len(list) == 0 {
		delete(idx, key)
		return
	}
	idx[key] = list
}

func indexDrop[K comparable](idx map[K]map[ConnID]struct{}, key K, id ConnID) {
	delete(idx[key], id)
	if len(idx[key]) == 0 {
		delete(idx, key)
	}
}

// sameConsole and sameTab compare times with Equal: an entry that came
// through JSON has lost its monotonic reading and may carry another
// *Location for the same instant.
func sameConsole(a, b Console) bool {
	sa, sb := a.Since, b.Since
	a.Since, b.Since = time.Time{}, time.Time{}
	return a == b && sa.Equal(sb)
}

func sameTab(a, b Tab) bool {
	ta := [3]time.Time{a.VisitStartedAt, a.PageStartedAt, a.ShownAt}
	tb := [3]time.Time{b.VisitStartedAt, b.PageStartedAt, b.ShownAt}
	a.VisitStartedAt, a.PageStartedAt, a.ShownAt = time.Time{}, time.Time{}, time.Time{}
	b.VisitStartedAt, b.PageStartedAt, b.ShownAt = time.Time{}, time.Time{}, time.Time{}
	return a == b && ta[0].Equal(tb[0]) && ta[1].Equal(tb[1]) && ta[2].Equal(tb[2])
}

// changeSet collects the changes of one message, each once.
type changeSet struct {
	list []Change
	seen map[Change]struct{}
}

func (s *changeSet) add(ch Change) {
	if s.seen == nil {
		s.seen = map[Change]struct{}{}
	}
	if _, ok := s.seen[ch]; ok {
		return
	}
	s.seen[ch] = struct{}{}
	s.list = append(s.list, ch)
}
