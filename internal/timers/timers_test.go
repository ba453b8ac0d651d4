package timers_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/timers"
)

const inactivity = 20 * time.Minute

// node is one node's timers on a store shared with the others, counting
// the chats it ended.
type node struct {
	svc   *timers.Service
	mu    sync.Mutex
	ended []int64
}

func (n *node) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.ended)
}

func newNode(t *testing.T, st store.Store, clk clock.Clock, sweep time.Duration) *node {
	n := &node{}
	n.svc = timers.New(timers.Deps{Life: context.Background(), Store: st, Clock: clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Sweep: sweep,
		Ended: func(_ context.Context, res store.ChatResult, err error) (desk.Chat, error) {
			if err == nil && res.Changed {
				n.mu.Lock()
				n.ended = append(n.ended, res.Chat.ID)
				n.mu.Unlock()
			}
			return res.Chat, err
		}})
	t.Cleanup(n.svc.Stop)
	return n
}

// startChats creates n waiting chats at the clock's now.
func startChats(t *testing.T, st store.Store, clk clock.Clock, n int) []desk.Chat {
	ctx := context.Background()
	site, err := st.EnsureSite(ctx, desk.Site{Key: "pk_test", Name: "Test", CreatedAt: clk.Now()}, desk.Settings{ChatRule: desk.ChatRuleManual})
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Chat
	for i := range n {
		v, err := st.CreateVisitor(ctx, desk.Visitor{SiteID: site.ID, TokenHash: "t" + string(rune('a'+i)), Name: "Visitor", CreatedAt: clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		start := desk.ChatStart{Visitor: v, Page: desk.Page{URL: "http://x/"}, Timeouts: desk.Timeouts{Inactivity: inactivity, Left: inactivity},
			First: desk.Message{Author: desk.AuthorVisitor, Body: "Hello", ClientID: "c", CreatedAt: clk.Now()}}
		c, _, err := st.CreateChat(ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) { return desk.StartChat(start, clk.Now()) }})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func openStore(t *testing.T) store.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "od.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Two nodes woken for the same deadlines: every chat ends once, at its
// deadline, not before.
func TestTwoNodesEndEachChatOnce(t *testing.T) {
	st := openStore(t)
	clk := clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	a, b := newNode(t, st, clk, time.Hour), newNode(t, st, clk, time.Hour)
	chats := startChats(t, st, clk, 5)
	a.svc.Start()
	b.svc.Start()
	for _, c := range chats {
		a.svc.Wake(c.Deadline)
		b.svc.Wake(c.Deadline)
	}
	clk.Advance(inactivity - time.Second)
	if a.count()+b.count() != 0 {
		t.Fatalf("%d chats ended before their deadline", a.count()+b.count())
	}
	clk.Advance(time.Second)
	if got := a.count() + b.count(); got != len(chats) {
		t.Fatalf("%d ends for %d chats (A %d, B %d), want each once", got, len(chats), a.count(), b.count())
	}
	for _, c := range chats {
		if got, _ := st.Chat(context.Background(), c.ID); got.State != desk.ChatEnded {
			t.Errorf("chat %d is %s", c.ID, got.State)
		}
	}
}

// A node that never heard of a chat's deadline (its wake-up lost) still
// ends it within one sweep of the deadline.
func TestSweepCatchesALostWakeUp(t *testing.T) {
	st := openStore(t)
	clk := clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	n := newNode(t, st, clk, time.Second)
	n.svc.Start() // no chat yet: it arms for nothing, then only sweeps
	chats := startChats(t, st, clk, 1)
	clk.Advance(inactivity - time.Second/2)
	if n.count() != 0 {
		t.Fatalf("ended before its deadline")
	}
	clk.Advance(time.Second)
	if n.count() != 1 || n.ended[0] != chats[0].ID {
		t.Fatalf("ended %v within a sweep of the deadline, want chat %d", n.ended, chats[0].ID)
	}
}
