package presencetest

import (
	"fmt"

	"outputdesk/internal/presence"
)

// testCounts: each node counts its own consoles and tabs, and every node
// the visitors with a tab anywhere, once each however many tabs they hold.
func testCounts(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[len(ns)-1]
	at := e.clk.Now()
	own := map[*node]*presence.Counts{}
	for _, n := range ns {
		own[n] = &presence.Counts{}
	}
	tab := func(n *node, site, visitor int64) presence.Tab {
		own[n].Tabs++
		return setTab(n, presence.Tab{Conn: n.NewConn(), SiteID: site, VisitorID: visitor, Name: "V", VisitID: "visit",
			VisitStartedAt: at, PageID: n.name, PageStartedAt: at, Visible: true, ShownAt: at})
	}
	console := func(n *node, op int64) presence.Console {
		own[n].Consoles++
		return setConsole(n, presence.Console{Conn: n.NewConn(), SiteID: 1, OperatorID: op, Since: at})
	}
	check := func(visitors int) func(n *node) string {
		return func(n *node) string {
			want := *own[n]
			want.Visitors = visitors
			if got := n.Counts(); got != want {
				return fmt.Sprintf("Counts() = %+v, want %+v", got, want)
			}
			return ""
		}
	}

	t1 := tab(a, 1, 501)
	tab(a, 1, 501)
	tab(b, 1, 501)
	tab(a, 2, 502)
	c1 := console(a, 1)
	console(b, 2)
	e.everywhere("the counts", check(2))

	a.Remove(t1.Conn)
	own[a].Tabs--
	a.Remove(c1.Conn)
	own[a].Consoles--
	t3 := tab(b, 1, 503)
	e.everywhere("the counts after removes", check(3))

	b.Remove(t3.Conn)
	own[b].Tabs--
	e.everywhere("a visitor gone", check(2))
}
