package presencetest

import (
	"fmt"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
)

// The cases below need several nodes.

func (e *env) tab(n *node, visitor int64, name string) presence.Tab {
	at := e.clk.Now()
	return setTab(n, presence.Tab{Conn: n.NewConn(), SiteID: 1, VisitorID: visitor, Name: name,
		VisitID: fmt.Sprint("visit-", visitor), VisitStartedAt: at, PagesViewed: 1, PageID: "p",
		Page: desk.Page{URL: "https://site.example/"}, PageStartedAt: at, Visible: true, ShownAt: at})
}

func (e *env) console(n *node, op int64) presence.Console {
	return setConsole(n, presence.Console{Conn: n.NewConn(), SiteID: 1, OperatorID: op, Since: e.clk.Now()})
}

// A node opened after the others have entries is ready only once it has
// them all: Ready closed, it answers for every node at once.
func testLateNode(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[1]
	ca, cb := e.console(a, 11), e.console(b, 11)
	ta, tb := e.tab(a, 12, "V"), e.tab(b, 12, "V")
	tc := e.tab(b, 13, "W")

	late := e.openOne()
	e.bringUp([]*node{late})
	if msg := firstOf(wantOperator(late, 11, ca, cb), wantVisitor(late, 12, ta, tb), wantVisitor(late, 13, tc),
		wantNodes(late, 11, a.id(), b.id())); msg != "" {
		e.t.Fatalf("the late node is ready but: %s", msg)
	}
	// And the others hear the late node's entries.
	tl := e.tab(late, 12, "V")
	e.everywhere("the late node's tab", func(n *node) string { return wantVisitor(n, 12, ta, tb, tl) })
}

// A node that closes says so: the others drop its entries at once, without
// waiting for them to expire.
func testCloseLeaves(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[1]
	cb := e.console(b, 21)
	tb := e.tab(b, 22, "V")
	e.everywhere("b's entries", func(n *node) string { return firstOf(wantOperator(n, 21, cb), wantVisitor(n, 22, tb)) })

	e.resetRecorders()
	if err := b.Close(); err != nil {
		e.t.Fatal(err)
	}
	b.dead = true
	e.waitFor("a to drop b's entries", func() string { return firstOf(wantOperator(a, 21), wantVisitor(a, 22)) })
	e.reported(presence.Change{OperatorID: 21}, a)
	e.reported(presence.Change{VisitorID: 22}, a)
}

// A node that dies without a word still counts until TTL has passed, then
// the others drop its entries and report whose they were.
func testKilledNodeExpires(e *env) {
	ns := e.open(3)
	a, b, k := ns[0], ns[1], ns[2]
	ca, ck := e.console(a, 31), e.console(k, 31)
	tk := e.tab(k, 32, "V")
	e.everywhere("k's entries", func(n *node) string { return firstOf(wantOperator(n, 31, ca, ck), wantVisitor(n, 32, tk)) })
	e.settle()

	e.resetRecorders()
	k.Kill()
	k.dead = true
	e.advance(2) // 2/3 of TTL since k was last heard
	for _, n := range []*node{a, b} {
		if msg := firstOf(wantOperator(n, 31, ca, ck), wantVisitor(n, 32, tk)); msg != "" {
			e.t.Fatalf("%s dropped k before TTL: %s", n.name, msg)
		}
	}

	e.advance(2) // past TTL
	e.everywhere("k's entries gone", func(n *node) string { return firstOf(wantOperator(n, 31, ca), wantVisitor(n, 32)) })
	e.reported(presence.Change{OperatorID: 31}, a, b)
	e.reported(presence.Change{VisitorID: 32}, a, b)
}

// lost names a payload to drop: its tab's name.
func lost(what string) string { return fmt.Sprintf("lost-%s-%d", what, time.Now().UnixNano()) }

// dropOne makes b miss the delta that carries the tab a sets.
func (e *env) dropOne(a, b *node, visitor int64) presence.Tab {
	name := lost("delta")
	before := b.Net.Dropped()
	b.Net.Drop(name)
	t := e.tab(a, visitor, name)
	e.waitFor("b to drop the delta", func() string {
		if b.Net.Dropped() > before {
			return ""
		}
		return "not dropped yet"
	})
	b.Net.Heal()
	if _, ok := b.Visitor(visitor); ok {
		e.t.Fatal("b has the tab whose delta it dropped")
	}
	return t
}

// A node that missed a delta learns it from the next heartbeat, which says
// how far the sender's ops go, and asks for a snapshot.
func testMissedDeltaHeartbeat(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[1]
	t := e.dropOne(a, b, 51)
	e.clk.Advance(interval)
	e.waitFor("b to resync", func() string { return wantVisitor(b, 51, t) })
}

// Or from the next delta, whose number leaves a gap, with no clock moving.
func testMissedDeltaNextDelta(e *env) {
	ns := e.open(2)
	a, b := ns[0], ns[1]
	t := e.dropOne(a, b, 52)
	t2 := e.tab(a, 53, "V")
	e.waitFor("b to resync", func() string { return firstOf(wantVisitor(b, 52, t), wantVisitor(b, 53, t2)) })
}

// A node cut off from the bus keeps its own entries; the others expire it,
// and it expires them. Once it is heard again they resync both ways.
func testPartition(e *env) {
	ns := e.open(3)
	a, b, c := ns[0], ns[1], ns[2]
	ta, tb, tc := e.tab(a, 61, "A"), e.tab(b, 62, "B"), e.tab(c, 63, "C")
	cc := e.console(c, 64)
	all := func(n *node) string {
		return firstOf(wantVisitor(n, 61, ta), wantVisitor(n, 62, tb), wantVisitor(n, 63, tc), wantOperator(n, 64, cc))
	}
	e.everywhere("every entry", all)
	e.settle()

	e.resetRecorders()
	c.Net.Cut()
	c.dead = true
	e.advance(4)
	e.everywhere("c expired", func(n *node) string {
		return firstOf(wantVisitor(n, 61, ta), wantVisitor(n, 62, tb), wantVisitor(n, 63), wantOperator(n, 64))
	})
	e.waitFor("c to expire the others and keep its own", func() string {
		return firstOf(wantVisitor(c, 61), wantVisitor(c, 62), wantVisitor(c, 63, tc), wantOperator(c, 64, cc))
	})
	e.reported(presence.Change{VisitorID: 63}, a, b)
	e.reported(presence.Change{VisitorID: 61}, c)

	c.Net.Heal()
	c.dead = false
	e.advance(1)
	e.everywhere("every entry again", all)
}
