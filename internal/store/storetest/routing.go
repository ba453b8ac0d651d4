package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// candidates is the desk's view of operators, everyone connected.
func candidates(ops []desk.Operator, active map[int64]int) []desk.Candidate {
	var out []desk.Candidate
	for _, o := range ops {
		out = append(out, candidate(o, active[o.ID]))
	}
	return out
}

func candidate(o desk.Operator, active int) desk.Candidate {
	return desk.Candidate{ID: o.ID, Name: o.Name, Status: o.Status, PriorityLevel: o.PriorityLevel,
		ChatLimit: o.ChatLimit, Active: active, LastAssignedAt: o.LastAssignedAt}
}

// routeAutomatic is what the application does under the Automatic chat
// rule: decide on the operators' load now, hold the operator picked, count
// again, assign — and decide again if the count says no room.
func routeAutomatic(f *fixture, ref store.ChatRef, now time.Time) (store.ChatResult, error) {
	for {
		res, err := f.s.ChangeChat(f.ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
			ops, active, err := tx.Load()
			if err != nil {
				return desk.ChatChange{}, err
			}
			d := desk.Routing{ChatRule: desk.ChatRuleAutomatic, Operators: candidates(ops, active)}.Route(tx.Chat().Page)
			if d.OperatorID == 0 {
				return desk.ChatChange{Chat: tx.Chat()}, nil
			}
			op, n, err := tx.Operator(d.OperatorID)
			if err != nil {
				return desk.ChatChange{}, err
			}
			return desk.Assign(tx.Chat(), d, candidate(op, n), now)
		})
		if !errors.Is(err, desk.ErrNoRoom) {
			return res, err
		}
	}
}

// moveQueue routes the queue's head until it stops moving.
func moveQueue(f *fixture, now time.Time) error {
	for {
		res, err := routeAutomatic(f, store.ChatRef{QueueOf: f.site.ID}, now)
		if errors.Is(err, desk.ErrNotFound) || err == nil && !res.Changed {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func testRoute(t *testing.T, f *fixture) {
	john := f.operator("John Mathews", 1, 2)
	c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
	var ops []desk.Operator
	var held desk.Operator
	var heldActive int
	d := desk.Decision{OperatorID: john.ID, OperatorName: john.Name, Kind: desk.RoutedByActionRule, Text: "Routed to John"}
	res, err := f.s.ChangeChat(f.ctx, store.ChatRef{QueueOf: f.site.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
		var err error
		if ops, _, err = tx.Load(); err != nil {
			return desk.ChatChange{}, err
		}
		if held, heldActive, err = tx.Operator(john.ID); err != nil {
			return desk.ChatChange{}, err
		}
		return desk.Assign(tx.Chat(), d, candidate(held, heldActive), t0.Add(time.Second))
	})
	f.must(err)
	if len(ops) != 1 || held.ID != john.ID || heldActive != 0 || res.Before.ID != c1.ID {
		t.Fatalf("read: ops %+v, held %+v (%d active), head %d want %d", ops, held, heldActive, res.Before.ID, c1.ID)
	}
	a := res.Chat
	if !res.Changed || a.State != desk.ChatActive || a.OperatorID != john.ID || a.OperatorName != "John Mathews" || !a.AssignedAt.Equal(t0.Add(time.Second)) ||
		len(a.Routing) != 1 || a.Routing[0].Kind != desk.RoutedByActionRule || a.Routing[0].Text != "Routed to John" {
		t.Fatalf("assigned chat = %+v", a)
	}
	if j, _ := f.s.Operator(f.ctx, john.ID); !j.LastAssignedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("last assignment not stamped: %v", j.LastAssignedAt)
	}
	counts, _ := f.s.ActiveChatCounts(f.ctx, f.site.ID)
	if counts[john.ID] != 1 {
		t.Fatalf("active counts = %v", counts)
	}
	// the head is now the second chat; a decision naming nobody records why
	wait := desk.Decision{Kind: desk.RoutedManual, Text: "Manual: waiting", PassedOver: []string{"x: Offline"}}
	res, err = f.change(store.ChatRef{QueueOf: f.site.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Assign(c, wait, desk.Candidate{}, t0) })
	f.must(err)
	if res.Before.ID != c2.ID || res.Chat.State != desk.ChatWaiting || len(res.Chat.Routing) != 1 || res.Chat.Routing[0].PassedOver[0] != "x: Offline" {
		t.Fatalf("recorded waiting chat = %+v", res)
	}
	if stored, _ := f.s.Chat(f.ctx, c2.ID); len(stored.Routing) != 1 || stored.Routing[0].Text != "Manual: waiting" {
		t.Fatalf("stored routing = %+v", stored.Routing)
	}
	// a decision for a chat no longer waiting changes nothing
	res, err = f.change(store.ChatRef{ID: c1.ID}, func(c desk.Chat) (desk.ChatChange, error) {
		return desk.Assign(c, desk.Decision{OperatorID: john.ID, Kind: desk.RoutedAutomatic}, candidate(john, 1), t0)
	})
	f.must(err)
	if res.Changed {
		t.Fatalf("re-routing an active chat changed %+v", res.Chat)
	}
	// an empty queue is not found
	f.end(c2.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0})
	if _, err := f.change(store.ChatRef{QueueOf: f.site.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.ChatChange{Chat: c}, nil }); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("empty queue: %v", err)
	}
}

// testRouteLimit: the count read under the operator's hold includes every
// assignment made before; a decision made on a stale count is refused.
func testRouteLimit(t *testing.T, f *fixture) {
	john := f.operator("John Mathews", 1, 1)
	c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
	stale := candidate(john, 0) // what a decision read before c1 was assigned
	d := desk.Decision{OperatorID: john.ID, OperatorName: john.Name, Kind: desk.RoutedAutomatic}
	assign := func(id int64) (store.ChatResult, error) {
		return f.s.ChangeChat(f.ctx, store.ChatRef{ID: id}, func(tx store.ChatTx) (desk.ChatChange, error) {
			op, n, err := tx.Operator(john.ID)
			if err != nil {
				return desk.ChatChange{}, err
			}
			if n != stale.Active {
				stale.Active = n
			}
			return desk.Assign(tx.Chat(), d, candidate(op, n), t0)
		})
	}
	if res, err := assign(c1.ID); err != nil || !res.Changed {
		t.Fatalf("first assignment: %+v %v", res, err)
	}
	res, err := assign(c2.ID)
	if !errors.Is(err, desk.ErrNoRoom) || res.Changed || stale.Active != 1 {
		t.Fatalf("second assignment past the limit: %+v %v (count %d)", res, err, stale.Active)
	}
	if c, _ := f.s.Chat(f.ctx, c2.ID); c.State != desk.ChatWaiting {
		t.Fatalf("second chat is %s, want waiting", c.State)
	}
}

// testRouteConcurrent: 300 chats started at once against limits 2/3/3, each
// moving the queue as it is created → exactly 8 assigned, none past its
// limit, and the first 8 created are the ones assigned (FIFO).
func testRouteConcurrent(t *testing.T, f *fixture) {
	ops := []desk.Operator{f.operator("John Mathews", 1, 2), f.operator("Anna Berg", 2, 3), f.operator("Maria Lopez", 3, 3)}
	visitors := make([]desk.Visitor, 300)
	for i := range visitors {
		visitors[i] = f.visitor()
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(visitors))
	for _, v := range visitors {
		wg.Add(1)
		go func(v desk.Visitor) {
			defer wg.Done()
			_, _, err := f.s.CreateChat(f.ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
				return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "hi"}, Timeouts: timeouts}, t0)
			}})
			if err == nil {
				err = moveQueue(f, t0)
			}
			errs <- err
		}(v)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		f.must(err)
	}
	counts, err := f.s.ActiveChatCounts(f.ctx, f.site.ID)
	f.must(err)
	total := 0
	for _, o := range ops {
		if counts[o.ID] > o.ChatLimit {
			t.Errorf("%s has %d chats, limit %d", o.Name, counts[o.ID], o.ChatLimit)
		}
		total += counts[o.ID]
	}
	if total != 8 {
		t.Fatalf("%d chats assigned, want 8", total)
	}
	waiting, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, States: []desk.ChatState{desk.ChatWaiting}})
	f.must(err)
	if len(waiting) != 292 {
		t.Fatalf("%d waiting, want 292", len(waiting))
	}
	active, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, States: []desk.ChatState{desk.ChatActive}})
	f.must(err)
	for _, a := range active {
		for _, w := range waiting {
			if w.ID < a.ID {
				t.Fatalf("chat %d waits while the later chat %d was assigned: not FIFO", w.ID, a.ID)
			}
		}
	}
}
