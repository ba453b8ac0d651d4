package presencetest

import (
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
)

// The cases below run on one node for Memory and on two for Cluster; with
// one node, "a" and "b" are the same node.

func (n *node) id() string { return n.Node.Node() }

// mustHaveReported checks the promise that a Set or Remove has been
// reported by the time it returns: no waiting.
func (e *env) mustHaveReported(n *node, ch presence.Change, what string) {
	e.t.Helper()
	if !n.rec.saw(ch) {
		e.t.Fatalf("%s returned on %s before Watch reported %+v", what, n.name, ch)
	}
}

func (e *env) resetRecorders() {
	for _, n := range e.nodes {
		n.rec.reset()
	}
}

func testOperators(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[len(ns)-1]
	const op = 7
	changed := presence.Change{OperatorID: op}
	ca := setConsole(a, presence.Console{Conn: a.NewConn(), SiteID: 1, OperatorID: op, Since: e.clk.Now()})
	e.mustHaveReported(a, changed, "SetConsole")
	e.everywhere("the operator connected", func(n *node) string {
		return firstOf(wantOperator(n, op, ca), wantNodes(n, op, a.id()))
	})

	cb := setConsole(b, presence.Console{Conn: b.NewConn(), SiteID: 1, OperatorID: op, Since: e.clk.Now().Add(time.Second)})
	e.everywhere("two consoles", func(n *node) string {
		return firstOf(wantOperator(n, op, ca, cb), wantNodes(n, op, a.id(), b.id()))
	})

	e.resetRecorders()
	a.Remove(ca.Conn)
	e.mustHaveReported(a, changed, "Remove")
	e.reported(changed, b)
	e.everywhere("one console left", func(n *node) string {
		return firstOf(wantOperator(n, op, cb), wantNodes(n, op, b.id()))
	})

	e.resetRecorders()
	b.Remove(cb.Conn)
	e.mustHaveReported(b, changed, "Remove")
	e.reported(changed, a)
	e.everywhere("the operator gone", func(n *node) string { return wantOperator(n, op) })
}

func testVisitors(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[len(ns)-1]
	const v = 42
	changed := presence.Change{VisitorID: v}
	t0 := e.clk.Now()
	t1 := setTab(a, presence.Tab{
		Conn: a.NewConn(), SiteID: 1, VisitorID: v, Name: "Visitor 42", Browser: "Firefox", OS: "Linux",
		VisitID: "visit-1", VisitStartedAt: t0, Referrer: "https://search.example/?q=shoes", PagesViewed: 1,
		PageID: "page-1", Page: desk.Page{URL: "https://shop.example/", Title: "Shop"}, PageStartedAt: t0,
		Visible: true, ShownAt: t0,
	})
	e.mustHaveReported(a, changed, "SetTab")
	// A second tab whose node knew the visit later: Visit() is still the
	// first tab's on every node; it is shown last, so it is Current().
	t2 := setTab(b, presence.Tab{
		Conn: b.NewConn(), SiteID: 1, VisitorID: v, Name: "Visitor 42",
		VisitID: "visit-2", VisitStartedAt: t0.Add(time.Second), PagesViewed: 3,
		PageID: "page-2", Page: desk.Page{URL: "https://shop.example/cart", Title: "Cart"}, PageStartedAt: t0.Add(2 * time.Second),
		Visible: true, ShownAt: t0.Add(2 * time.Second),
	})
	e.everywhere("both tabs", func(n *node) string {
		return firstOf(wantVisitor(n, v, t1, t2), visitorSays(n, v, t2.Conn, "visit-1", 3))
	})

	// The first tab is shown again, on a new page: it becomes the current
	// one everywhere.
	t1.PageID, t1.Page, t1.PagesViewed = "page-3", desk.Page{URL: "https://shop.example/shoes", Title: "Shoes"}, 4
	t1.PageStartedAt, t1.ShownAt = t0.Add(3*time.Second), t0.Add(3*time.Second)
	t1 = setTab(a, t1)
	e.everywhere("the first tab current", func(n *node) string {
		return firstOf(wantVisitor(n, v, t1, t2), visitorSays(n, v, t1.Conn, "visit-1", 4))
	})

	e.resetRecorders()
	b.Remove(t2.Conn)
	e.mustHaveReported(b, changed, "Remove")
	a.Remove(t1.Conn)
	e.mustHaveReported(a, changed, "Remove")
	e.everywhere("the visitor gone", func(n *node) string { return wantVisitor(n, v) })
	e.reported(changed, ns...)
}

// visitorSays checks what Visitor reconciles across tabs.
func visitorSays(n *node, id int64, current presence.ConnID, visitID string, pages int) string {
	v, ok := n.Visitor(id)
	switch {
	case !ok:
		return "visitor not found"
	case v.Current().Conn != current:
		return "Current() is " + string(v.Current().Conn) + ", want " + string(current)
	case v.Visit().VisitID != visitID:
		return "Visit() is " + v.Visit().VisitID + ", want " + visitID
	case v.PagesViewed() != pages:
		return "PagesViewed() differs"
	}
	return ""
}

func testVisitorsBySite(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[len(ns)-1]
	at := e.clk.Now()
	tab := func(n *node, site, visitor int64, page string) presence.Tab {
		return setTab(n, presence.Tab{Conn: n.NewConn(), SiteID: site, VisitorID: visitor, Name: "V",
			VisitID: "visit", VisitStartedAt: at, PagesViewed: 1, PageID: page,
			Page: desk.Page{URL: "https://site.example/" + page}, PageStartedAt: at, Visible: true, ShownAt: at})
	}
	t1 := tab(a, 1, 101, "a")
	t2 := tab(b, 1, 102, "b")
	t3a := tab(a, 2, 103, "c")
	t3b := tab(b, 2, 103, "d")
	v1 := presence.Visitor{ID: 101, Tabs: []presence.Tab{t1}}
	v2 := presence.Visitor{ID: 102, Tabs: []presence.Tab{t2}}
	v3 := presence.Visitor{ID: 103, Tabs: []presence.Tab{t3a, t3b}}
	e.everywhere("each site's visitors", func(n *node) string {
		return firstOf(wantVisitors(n, 1, v1, v2), wantVisitors(n, 2, v3), wantVisitors(n, 3))
	})

	a.Remove(t1.Conn)
	b.Remove(t3b.Conn)
	v3.Tabs = []presence.Tab{t3a}
	e.everywhere("what is left", func(n *node) string {
		return firstOf(wantVisitors(n, 1, v2), wantVisitors(n, 2, v3))
	})
}

func testSetReplaces(e *env) {
	ns := e.open(2)
	a := ns[0]
	at := e.clk.Now()
	t := setTab(a, presence.Tab{Conn: a.NewConn(), SiteID: 1, VisitorID: 301, Name: "V", VisitID: "visit",
		VisitStartedAt: at, PagesViewed: 1, PageID: "one", Page: desk.Page{URL: "https://site.example/one"},
		PageStartedAt: at, Visible: true, ShownAt: at})
	e.everywhere("the first page", func(n *node) string { return wantVisitor(n, 301, t) })

	t.PageID, t.Page, t.PagesViewed = "two", desk.Page{URL: "https://site.example/two", Title: "Two"}, 2
	t.PageStartedAt, t.ShownAt = at.Add(time.Minute), at.Add(time.Minute)
	t = setTab(a, t)
	e.everywhere("the second page, in place of the first", func(n *node) string { return wantVisitor(n, 301, t) })

	// A console set again under another operator leaves the first one.
	c := setConsole(a, presence.Console{Conn: a.NewConn(), SiteID: 1, OperatorID: 302, Since: at})
	e.everywhere("the console", func(n *node) string { return wantOperator(n, 302, c) })
	c.OperatorID = 303
	c = setConsole(a, c)
	e.everywhere("the console moved", func(n *node) string {
		return firstOf(wantOperator(n, 302), wantOperator(n, 303, c))
	})
}

func testRemoveUnknown(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[len(ns)-1]
	at := e.clk.Now()
	t := setTab(a, presence.Tab{Conn: a.NewConn(), SiteID: 1, VisitorID: 401, Name: "V", VisitID: "visit",
		VisitStartedAt: at, PageID: "p", PageStartedAt: at, Visible: true, ShownAt: at})
	c := setConsole(a, presence.Console{Conn: a.NewConn(), SiteID: 1, OperatorID: 402, Since: at})
	e.everywhere("the entries", func(n *node) string { return firstOf(wantVisitor(n, 401, t), wantOperator(n, 402, c)) })
	// A node's index shows an entry just before its watchers hear of it:
	// wait for the reports too, so none of them lands after the reset.
	e.reported(presence.Change{VisitorID: 401}, ns...)
	e.reported(presence.Change{OperatorID: 402}, ns...)

	e.resetRecorders()
	a.Remove("no-such-conn")
	a.Remove(a.NewConn()) // named, never set
	if len(ns) > 1 {
		// Another node's connections are not b's to remove.
		b.Remove(t.Conn)
		b.Remove(c.Conn)
	}
	e.settle()
	e.everywhere("the entries untouched", func(n *node) string { return firstOf(wantVisitor(n, 401, t), wantOperator(n, 402, c)) })
	for _, n := range ns {
		if got := n.rec.String(); got != "" {
			e.t.Errorf("%s reported %s for removes of unknown ids", n.name, got)
		}
	}
}
