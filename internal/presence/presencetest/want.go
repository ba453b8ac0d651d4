package presencetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"outputdesk/internal/presence"
)

// The helpers below compare what a node answers with what the test set,
// field by field (through JSON, times in UTC: an entry that crossed the bus
// has lost its monotonic reading). They return "" when it matches, else
// what differs, for waitFor.

// setConsole sets c on n and returns it as every node must report it.
func setConsole(n *node, c presence.Console) presence.Console {
	n.SetConsole(c)
	c.Node = n.Node.Node()
	return c
}

func setTab(n *node, t presence.Tab) presence.Tab {
	n.SetTab(t)
	t.Node = n.Node.Node()
	return t
}

func canonConsoles(cs []presence.Console) string {
	var b strings.Builder
	for _, c := range cs {
		c.Since = c.Since.UTC()
		j, _ := json.Marshal(c)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

func canonTabs(ts []presence.Tab) string {
	var b strings.Builder
	for _, t := range ts {
		t.VisitStartedAt, t.PageStartedAt, t.ShownAt = t.VisitStartedAt.UTC(), t.PageStartedAt.UTC(), t.ShownAt.UTC()
		j, _ := json.Marshal(t)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// wantOperator checks the operator's consoles, in ConnID order.
func wantOperator(n *node, id int64, want ...presence.Console) string {
	want = slices.Clone(want)
	presence.SortConsoles(want)
	o := n.Operator(id)
	if o.ID != id {
		return fmt.Sprintf("Operator(%d).ID = %d", id, o.ID)
	}
	if o.Connected() != (len(want) > 0) {
		return fmt.Sprintf("Operator(%d).Connected() = %v", id, o.Connected())
	}
	if got, w := canonConsoles(o.Consoles), canonConsoles(want); got != w {
		return fmt.Sprintf("Operator(%d) consoles:\n%s want:\n%s", id, got, w)
	}
	return ""
}

// wantNodes checks Operator.Nodes.
func wantNodes(n *node, id int64, want ...string) string {
	want = slices.Compact(slices.Sorted(slices.Values(want)))
	if got := n.Operator(id).Nodes(); !slices.Equal(got, want) {
		return fmt.Sprintf("Operator(%d).Nodes() = %v, want %v", id, got, want)
	}
	return ""
}

// wantVisitor checks the visitor's tabs, in ConnID order; no tabs means
// the visitor is not found.
func wantVisitor(n *node, id int64, want ...presence.Tab) string {
	want = slices.Clone(want)
	presence.SortTabs(want)
	v, ok := n.Visitor(id)
	if ok != (len(want) > 0) {
		return fmt.Sprintf("Visitor(%d) found = %v, tabs %v", id, ok, len(v.Tabs))
	}
	if ok && v.ID != id {
		return fmt.Sprintf("Visitor(%d).ID = %d", id, v.ID)
	}
	if got, w := canonTabs(v.Tabs), canonTabs(want); got != w {
		return fmt.Sprintf("Visitor(%d) tabs:\n%s want:\n%s", id, got, w)
	}
	return ""
}

// wantVisitors checks Visitors(site): the visitors, whatever their order,
// each with all its tabs.
func wantVisitors(n *node, site int64, want ...presence.Visitor) string {
	got := n.Visitors(site)
	if got, w := canonVisitors(got), canonVisitors(want); got != w {
		return fmt.Sprintf("Visitors(%d):\n%s want:\n%s", site, got, w)
	}
	return ""
}

func canonVisitors(vs []presence.Visitor) string {
	vs = slices.Clone(vs)
	slices.SortFunc(vs, func(a, b presence.Visitor) int { return int(a.ID - b.ID) })
	var b strings.Builder
	for _, v := range vs {
		tabs := slices.Clone(v.Tabs)
		presence.SortTabs(tabs)
		fmt.Fprintf(&b, "visitor %d:\n%s", v.ID, canonTabs(tabs))
	}
	return b.String()
}

// firstOf returns the first complaint of several checks.
func firstOf(msgs ...string) string {
	for _, m := range msgs {
		if m != "" {
			return m
		}
	}
	return ""
}
