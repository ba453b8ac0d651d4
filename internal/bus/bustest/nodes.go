package bustest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"outputdesk/internal/bus"
)

// What several nodes need: a node hears what any node publishes, its own
// included, from the moment its Subscribe returns; each publisher's order
// holds; and Unsubscribe stops delivery whoever publishes.
func runNodes(t *testing.T, open Factory) {
	t.Run("ReachesEveryNode", func(t *testing.T) { testReach(t, open) })
	t.Run("OrderPerPublisherAcrossNodes", func(t *testing.T) { testOrderAcross(t, open) })
	t.Run("UnsubscribeAcrossNodes", func(t *testing.T) { testUnsubscribeAcross(t, open) })
}

func testReach(t *testing.T, open Factory) {
	node := open(t)
	a, b := node(), node()
	onA, onB := newRecorder(), newRecorder()
	subscribe(t, a, "od.test.reach", onA)
	subscribe(t, b, "od.test.reach", onB)
	// Published right after b's Subscribe returned: it must not be lost to
	// a subscription the server has not heard of yet.
	publish(t, a, "od.test.reach", "from-a")
	publish(t, b, "od.test.reach", "from-b")
	for name, r := range map[string]*recorder{"node a": onA, "node b": onB} {
		got := r.waitFor(t, 2)
		slices.Sort(got)
		if strings.Join(got, ",") != "from-a,from-b" {
			t.Errorf("%s got %s, want both nodes' payloads", name, got)
		}
	}
}

func testOrderAcross(t *testing.T, open Factory) {
	node := open(t)
	a, b, c := node(), node(), node()
	subject := "od.test.order-across"
	onA, onC := newRecorder(), newRecorder()
	subscribe(t, a, subject, onA)
	subscribe(t, c, subject, onC)
	const n = 300
	var wg sync.WaitGroup
	for _, pub := range []struct {
		name string
		b    bus.Bus
	}{{"a", a}, {"b", b}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if err := pub.b.Publish(t.Context(), subject, []byte(fmt.Sprintf("%s-%d", pub.name, i))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for name, r := range map[string]*recorder{"node a": onA, "node c": onC} {
		next := map[string]int{}
		for _, s := range r.waitFor(t, 2*n) {
			var from string
			var i int
			if _, err := fmt.Sscanf(strings.Replace(s, "-", " ", 1), "%s %d", &from, &i); err != nil {
				t.Fatalf("%s got %q", name, s)
			}
			if i != next[from] {
				t.Fatalf("%s got %s after %s-%d: node %s's order is lost", name, s, from, next[from]-1, from)
			}
			next[from]++
		}
	}
}

func testUnsubscribeAcross(t *testing.T, open Factory) {
	node := open(t)
	pub, sub := node(), node()
	subject := "od.test.unsub-across"
	gone, stays := newRecorder(), newRecorder()
	s := subscribe(t, sub, subject, gone)
	subscribe(t, sub, subject, stays)
	publish(t, pub, subject, "1")
	gone.waitFor(t, 1)
	stays.waitFor(t, 1)
	if err := s.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	publish(t, pub, subject, "2")
	publish(t, pub, subject, "marker")
	stays.waitFor(t, 3) // one publisher: "2" came before the marker
	gone.mu.Lock()
	defer gone.mu.Unlock()
	if len(gone.got) != 1 {
		t.Fatalf("unsubscribed handler got %v", gone.got)
	}
}
