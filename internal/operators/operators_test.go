package operators_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/operators"
	"outputdesk/internal/presence"
	"outputdesk/internal/store/sqlite"
)

const grace = 60 * time.Second

// fixture is one node's operators service on a real store, memory presence
// and a fake clock; it records the hand-backs the grace asks for.
type fixture struct {
	t      *testing.T
	clk    *clock.Fake
	pres   *presence.Memory
	svc    *operators.Service
	op     desk.Operator
	hears  atomic.Bool
	mu     sync.Mutex
	backed []int64
}

func newFixture(t *testing.T) *fixture {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "od.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewFake(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	site, err := st.EnsureSite(ctx, desk.Site{Key: "pk_test", Name: "Test", CreatedAt: clk.Now()}, desk.Settings{ChatRule: desk.ChatRuleAutomatic})
	if err != nil {
		t.Fatal(err)
	}
	op, err := st.CreateOperator(ctx, desk.Operator{SiteID: site.ID, Name: "John Mathews", Email: "john@example.com", Role: desk.RoleOperator,
		Status: desk.StatusOnline, PriorityLevel: 1, ChatLimit: 2, PasswordHash: "x", CreatedAt: clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, clk: clk, pres: presence.NewMemory(), op: op}
	f.hears.Store(true)
	f.svc = operators.New(operators.Deps{Life: context.Background(), Store: st, Presence: f.pres, Clock: clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Grace: grace, SiteID: func() int64 { return site.ID }, CameOnline: func() {}, ShowHere: func(bus.Event) {},
		HandBack: func(_ context.Context, id int64) { f.mu.Lock(); f.backed = append(f.backed, id); f.mu.Unlock() },
		Hears:    f.hears.Load})
	t.Cleanup(f.svc.Stop)
	return f
}

func (f *fixture) handedBack() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.backed)
}

type sock struct{ code atomic.Int64 }

func (s *sock) CloseWith(code int, reason string) { s.code.Store(int64(code)) }

func (f *fixture) session() desk.Session {
	return desk.Session{TokenHash: "h", OperatorID: f.op.ID, ExpiresAt: f.clk.Now().Add(24 * time.Hour)}
}

// The last console gone, the operator's chats go back once the grace
// passes, not before.
func TestGraceHandsBack(t *testing.T) {
	f := newFixture(t)
	c := &sock{}
	f.svc.ConsoleConnected(f.op, f.session(), c)
	f.svc.ConsoleDisconnected(c)
	f.clk.Advance(grace - time.Second)
	if n := f.handedBack(); n != 0 {
		t.Fatalf("handed back %d times before the grace passed", n)
	}
	f.clk.Advance(time.Second)
	if n := f.handedBack(); n != 1 {
		t.Fatalf("handed back %d times after the grace, want 1", n)
	}
}

// A console of the operator on another node (presence, not this node's
// socket) keeps them connected: no hand-back. When it goes too, the grace
// runs.
func TestConsoleElsewhereKeepsTheChats(t *testing.T) {
	f := newFixture(t)
	elsewhere := presence.ConnID("other-node/1")
	f.pres.SetConsole(presence.Console{Conn: elsewhere, SiteID: f.op.SiteID, OperatorID: f.op.ID, Since: f.clk.Now()})
	c := &sock{}
	f.svc.ConsoleConnected(f.op, f.session(), c)
	f.svc.ConsoleDisconnected(c)
	f.clk.Advance(2 * grace)
	if n := f.handedBack(); n != 0 || !f.svc.Connected(f.op.ID) {
		t.Fatalf("handed back %d times, connected %v, with a console elsewhere", n, f.svc.Connected(f.op.ID))
	}
	f.pres.Remove(elsewhere)
	f.clk.Advance(grace)
	if n := f.handedBack(); n != 1 {
		t.Fatalf("handed back %d times after the last console went, want 1", n)
	}
}

// While the node does not hear the others, a grace that runs out is given
// again rather than acted on; once it hears them, the next one acts.
func TestGraceGivenAgainWhileNotHearing(t *testing.T) {
	f := newFixture(t)
	c := &sock{}
	f.svc.ConsoleConnected(f.op, f.session(), c)
	f.hears.Store(false)
	f.svc.ConsoleDisconnected(c)
	f.clk.Advance(3 * grace)
	if n := f.handedBack(); n != 0 {
		t.Fatalf("handed back %d times while not hearing the cluster", n)
	}
	f.hears.Store(true)
	f.clk.Advance(grace)
	if n := f.handedBack(); n != 1 {
		t.Fatalf("handed back %d times once hearing again, want 1", n)
	}
}

// A console's socket closes when its session expires.
func TestSessionExpiryClosesTheConsole(t *testing.T) {
	f := newFixture(t)
	c := &sock{}
	f.svc.ConsoleConnected(f.op, f.session(), c)
	f.clk.Advance(24 * time.Hour)
	if c.code.Load() != operators.CloseUnauthorized {
		t.Fatalf("close code %d, want %d", c.code.Load(), operators.CloseUnauthorized)
	}
}
