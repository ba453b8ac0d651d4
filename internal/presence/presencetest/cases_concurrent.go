package presencetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
)

// Many goroutines on every node set and remove entries of shared operators
// and visitors, while watchers read the state back as Watch asks them to.
// Afterwards every node answers exactly what the writers left, the same on
// every node. Run it under -race.
func testConcurrent(e *env) {
	ns := e.open(3)
	const goroutines, rounds, connsEach = 4, 150, 3
	ops := []int64{501, 502, 503, 504}
	visitors := []int64{601, 602, 603, 604, 605, 606, 607, 608}
	siteOf := func(v int64) int64 { return 1 + v%2 }
	for _, n := range ns {
		n.Watch(func(ch presence.Change) {
			if ch.OperatorID != 0 {
				n.Operator(ch.OperatorID)
			} else {
				n.Visitor(ch.VisitorID)
			}
		})
	}

	var mu sync.Mutex
	var consoles []presence.Console
	var tabs []presence.Tab
	var wg sync.WaitGroup
	for ni, n := range ns {
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(ni), uint64(g)))
				last := map[presence.ConnID]any{}
				var conns []presence.ConnID
				for range connsEach {
					conns = append(conns, n.NewConn())
				}
				for i := range rounds {
					conn := conns[r.IntN(len(conns))]
					at := start.Add(time.Duration(i) * time.Second)
					switch r.IntN(3) {
					case 0:
						last[conn] = setConsole(n, presence.Console{Conn: conn, SiteID: 1, OperatorID: ops[r.IntN(len(ops))], Since: at})
					case 1:
						v := visitors[r.IntN(len(visitors))]
						last[conn] = setTab(n, presence.Tab{Conn: conn, SiteID: siteOf(v), VisitorID: v, Name: "V",
							VisitID: "visit", VisitStartedAt: start, PagesViewed: i, PageID: fmt.Sprint("p", i),
							Page: desk.Page{URL: fmt.Sprintf("https://site.example/%d", i)}, PageStartedAt: at,
							Visible: i%2 == 0, ShownAt: at})
					default:
						n.Remove(conn)
						delete(last, conn)
					}
				}
				mu.Lock()
				defer mu.Unlock()
				for _, x := range last {
					switch x := x.(type) {
					case presence.Console:
						consoles = append(consoles, x)
					case presence.Tab:
						tabs = append(tabs, x)
					}
				}
			}()
		}
	}
	wg.Wait()

	want := expectedView(consoles, tabs, ops, visitors)
	e.everywhere("every node to hold what the writers left", func(n *node) string {
		return diffLines(view(n, ops, visitors), want)
	})
}

// view is everything a node answers about the given ids, as text.
func view(n *node, ops, visitors []int64) string {
	var b strings.Builder
	for _, id := range ops {
		fmt.Fprintf(&b, "operator %d:\n%s", id, canonConsoles(n.Operator(id).Consoles))
	}
	for _, id := range visitors {
		v, _ := n.Visitor(id)
		fmt.Fprintf(&b, "visitor %d:\n%s", id, canonTabs(v.Tabs))
	}
	for site := int64(1); site <= 2; site++ {
		fmt.Fprintf(&b, "site %d:\n%s", site, canonVisitors(n.Visitors(site)))
	}
	return b.String()
}

// expectedView is view as it must be once every node holds the entries.
func expectedView(consoles []presence.Console, tabs []presence.Tab, ops, visitors []int64) string {
	var b strings.Builder
	for _, id := range ops {
		var cs []presence.Console
		for _, c := range consoles {
			if c.OperatorID == id {
				cs = append(cs, c)
			}
		}
		presence.SortConsoles(cs)
		fmt.Fprintf(&b, "operator %d:\n%s", id, canonConsoles(cs))
	}
	bySite := map[int64][]presence.Visitor{}
	for _, id := range visitors {
		var ts []presence.Tab
		for _, t := range tabs {
			if t.VisitorID == id {
				ts = append(ts, t)
			}
		}
		presence.SortTabs(ts)
		fmt.Fprintf(&b, "visitor %d:\n%s", id, canonTabs(ts))
		if len(ts) > 0 {
			bySite[ts[0].SiteID] = append(bySite[ts[0].SiteID], presence.Visitor{ID: id, Tabs: ts})
		}
	}
	for site := int64(1); site <= 2; site++ {
		fmt.Fprintf(&b, "site %d:\n%s", site, canonVisitors(bySite[site]))
	}
	return b.String()
}

// diffLines names the first line where got and want differ.
func diffLines(got, want string) string {
	if got == want {
		return ""
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return "differs"
}
