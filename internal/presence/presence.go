// Package presence knows who is here, across every node: which operators
// have a console connected, and which visitors have a tab open, on which
// page. It is soft state, never written to the database: each node owns the
// entries of its own connections, and the cluster implementation replicates
// them to every node with heartbeats, so a node that dies simply stops being
// counted once its entries expire (the model is Phoenix Presence).
//
// Memory is the single-node default. Cluster carries the same state between
// nodes over the bus (NATS). Both pass the presencetest suite.
package presence

import (
	"sort"
	"time"

	"outputdesk/internal/desk"
)

// Presence is this node's connections, and the cluster as this node knows
// it. Set and Remove are for this node's own connections; the queries answer
// for every node.
type Presence interface {
	// Node is this node's id, unique in the cluster for this process's life.
	Node() string
	// NewConn names a new connection of this node, unique in the cluster.
	NewConn() ConnID

	// SetConsole adds or replaces a console of this node.
	SetConsole(Console)
	// SetTab adds or replaces a tab of this node (a new page, a change of
	// visibility).
	SetTab(Tab)
	// Remove drops a console or tab of this node. Unknown ids are ignored.
	Remove(ConnID)

	// Operator is an operator's consoles on every node.
	Operator(id int64) Operator
	// Visitor is a visitor's tabs on every node; false when it has none.
	Visitor(id int64) (Visitor, bool)
	// Visitors lists the visitors of a site that have a tab open anywhere.
	Visitors(siteID int64) []Visitor
	// Counts is this node's consoles and tabs, and the visitors with a tab
	// open on any node, counted without copying entries (the metrics).
	Counts() Counts

	// Watch calls fn after the consoles of an operator or the tabs of a
	// visitor changed, on any node, or expired with their node. fn reads
	// the state again (Operator, Visitor): calls may come from several
	// goroutines at once and a change may be reported more than once. A
	// change made by this node's Set or Remove has been reported before it
	// returns.
	Watch(fn func(Change))

	// Ready is closed once this node has heard every live node's entries, so
	// that a decision on "nobody is here" (the start-up graces) is not made
	// before the others have been heard.
	Ready() <-chan struct{}
	// Close stops taking part: this node's entries leave the cluster.
	Close() error
}

// ConnID names one console or tab, unique in the cluster: the node's id and
// a counter.
type ConnID string

// Console is one operator console socket.
type Console struct {
	Conn       ConnID    `json:"conn"`
	Node       string    `json:"node"` // filled in by Set
	SiteID     int64     `json:"site_id"`
	OperatorID int64     `json:"operator_id"`
	Since      time.Time `json:"since"`
}

// Tab is one visitor tab socket and the page it shows. The visit fields are
// what the tab's node knew of the visit when it set the tab; Visitor
// reconciles them across tabs.
type Tab struct {
	Conn      ConnID `json:"conn"`
	Node      string `json:"node"` // filled in by Set
	SiteID    int64  `json:"site_id"`
	VisitorID int64  `json:"visitor_id"`
	Name      string `json:"name"`
	Browser   string `json:"browser,omitempty"`
	OS        string `json:"os,omitempty"`

	VisitID        string    `json:"visit_id"`
	VisitStartedAt time.Time `json:"visit_started_at"`
	Referrer       string    `json:"referrer,omitempty"` // of the visit's first page
	PagesViewed    int       `json:"pages_viewed"`       // this visit's pages, this one included

	PageID        string    `json:"page_id"`
	Page          desk.Page `json:"page"`
	PageStartedAt time.Time `json:"page_started_at"`
	Visible       bool      `json:"visible"`
	ShownAt       time.Time `json:"shown_at"` // when it loaded or last became visible
}

// Change names what changed: an operator's consoles or a visitor's tabs.
type Change struct {
	OperatorID int64
	VisitorID  int64
}

// Operator is an operator's consoles, on every node, in ConnID order.
type Operator struct {
	ID       int64
	Consoles []Console
}

// Connected reports whether a console of the operator is open anywhere.
func (o Operator) Connected() bool { return len(o.Consoles) > 0 }

// Nodes lists the nodes the operator has a console on.
func (o Operator) Nodes() []string {
	var nodes []string
	seen := map[string]bool{}
	for _, c := range o.Consoles {
		if !seen[c.Node] {
			seen[c.Node] = true
			nodes = append(nodes, c.Node)
		}
	}
	sort.Strings(nodes)
	return nodes
}

// Visitor is a visitor's tabs, on every node, in ConnID order, and the visit
// they make up.
type Visitor struct {
	ID   int64
	Tabs []Tab
}

// Current is the tab shown last: its page is the visitor's page (SPEC 1).
func (v Visitor) Current() Tab {
	var best Tab
	for i, t := range v.Tabs {
		if i == 0 || t.ShownAt.After(best.ShownAt) || t.ShownAt.Equal(best.ShownAt) && t.Conn > best.Conn {
			best = t
		}
	}
	return best
}

// Visit is the visit's first tab as the tabs tell it: the earliest start,
// then the smallest id, so that every node picks the same one.
func (v Visitor) Visit() Tab {
	var first Tab
	for i, t := range v.Tabs {
		if i == 0 || t.VisitStartedAt.Before(first.VisitStartedAt) ||
			t.VisitStartedAt.Equal(first.VisitStartedAt) && t.VisitID < first.VisitID {
			first = t
		}
	}
	return first
}

// PagesViewed is the most pages any tab has counted this visit.
func (v Visitor) PagesViewed() int {
	n := 0
	for _, t := range v.Tabs {
		n = max(n, t.PagesViewed)
	}
	return n
}

// SortConsoles and SortTabs put entries in ConnID order, as the queries
// return them.
func SortConsoles(cs []Console) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Conn < cs[j].Conn })
}

func SortTabs(ts []Tab) { sort.Slice(ts, func(i, j int) bool { return ts[i].Conn < ts[j].Conn }) }
