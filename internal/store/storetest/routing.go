package storetest

import (
	"errors"
	"fmt"
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

// moveQueue moves the queue as the application does: desk decides the move
// on every operator held and counted under the hold.
func moveQueue(f *fixture, now time.Time) error {
	for {
		res, err := f.s.MoveQueue(f.ctx, f.site.ID, 16, func(tx store.QueueTx) ([]desk.ChatChange, error) {
			ops, _, err := tx.Load()
			if err != nil {
				return nil, err
			}
			r := desk.Routing{ChatRule: desk.ChatRuleAutomatic}
			ids := make([]int64, len(ops))
			for i, o := range ops {
				ids[i] = o.ID
			}
			held, counts, err := tx.Operators(ids)
			if err != nil {
				return nil, err
			}
			for _, o := range ops {
				r.Operators = append(r.Operators, candidate(held[o.ID], counts[o.ID]))
			}
			return r.MoveQueue(tx.Waiting(), now, nil), nil
		})
		if err != nil || len(res) == 0 || res[len(res)-1].Chat.State != desk.ChatActive {
			return err
		}
		for _, r := range res {
			if stored, err := f.s.Chat(f.ctx, r.Chat.ID); err != nil || r.Chat.Version != r.Before.Version+1 || stored.Version != r.Chat.Version {
				return fmt.Errorf("moved chat %d: version %d after %d, stored %d (%v)", r.Chat.ID, r.Chat.Version, r.Before.Version, stored.Version, err)
			}
		}
	}
}

func testRoute(t *testing.T, f *fixture) {
	john := f.operator("John Mathews", 1, 2)
	c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
	var ops []desk.Operator
	var held desk.Operator
	var heldActive int
	var seen []desk.Chat
	d := desk.Decision{OperatorID: john.ID, OperatorName: john.Name, Kind: desk.RoutedByActionRule, Text: "Routed to John"}
	wait := desk.Decision{Kind: desk.RoutedManual, Text: "Manual: waiting", PassedOver: []string{"x: Offline"}}
	res, err := f.s.MoveQueue(f.ctx, f.site.ID, 10, func(tx store.QueueTx) ([]desk.ChatChange, error) {
		var err error
		if ops, _, err = tx.Load(); err != nil {
			return nil, err
		}
		ops, counts, err := tx.Operators([]int64{john.ID})
		if err != nil {
			return nil, err
		}
		held, heldActive = ops[john.ID], counts[john.ID]
		seen = tx.Waiting()
		a, err := desk.Assign(seen[0], d, candidate(held, heldActive), t0.Add(time.Second))
		if err != nil {
			return nil, err
		}
		w, err := desk.Assign(seen[1], wait, desk.Candidate{}, t0)
		return []desk.ChatChange{a, w}, err
	})
	f.must(err)
	if len(ops) != 1 || held.ID != john.ID || heldActive != 0 || len(seen) != 2 || seen[0].ID != c1.ID || seen[1].ID != c2.ID {
		t.Fatalf("read: ops %+v, held %+v (%d active), waiting %+v", ops, held, heldActive, seen)
	}
	if len(res) != 2 {
		t.Fatalf("%d results, want 2", len(res))
	}
	a := res[0].Chat
	if !res[0].Changed || a.State != desk.ChatActive || a.OperatorID != john.ID || a.OperatorName != "John Mathews" || !a.AssignedAt.Equal(t0.Add(time.Second)) ||
		len(a.Routing) != 1 || a.Routing[0].Kind != desk.RoutedByActionRule || a.Routing[0].Text != "Routed to John" || res[0].Before.State != desk.ChatWaiting {
		t.Fatalf("assigned chat = %+v", res[0])
	}
	if j, _ := f.s.Operator(f.ctx, john.ID); !j.LastAssignedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("last assignment not stamped: %v", j.LastAssignedAt)
	}
	counts, _ := f.s.ActiveChatCounts(f.ctx, f.site.ID)
	if counts[john.ID] != 1 {
		t.Fatalf("active counts = %v", counts)
	}
	if w := res[1].Chat; w.ID != c2.ID || w.State != desk.ChatWaiting || len(w.Routing) != 1 || w.Routing[0].PassedOver[0] != "x: Offline" {
		t.Fatalf("recorded waiting chat = %+v", res[1])
	}
	if stored, _ := f.s.Chat(f.ctx, c2.ID); len(stored.Routing) != 1 || stored.Routing[0].Text != "Manual: waiting" {
		t.Fatalf("stored routing = %+v", stored.Routing)
	}
	// a move holds only waiting chats; a change for another is refused
	_, err = f.s.MoveQueue(f.ctx, f.site.ID, 10, func(tx store.QueueTx) ([]desk.ChatChange, error) {
		if w := tx.Waiting(); len(w) != 1 || w[0].ID != c2.ID {
			t.Errorf("waiting = %+v, want only chat %d", w, c2.ID)
		}
		return []desk.ChatChange{{Chat: c1, Changed: true}}, nil
	})
	if err == nil {
		t.Fatal("a change for a chat the move does not hold was applied")
	}
	if c, _ := f.s.Chat(f.ctx, c1.ID); c.State != desk.ChatActive || c.OperatorID != john.ID {
		t.Fatalf("the refused move changed chat 1: %+v", c)
	}
	// an empty queue: no decision, no result
	f.end(c2.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0})
	called := false
	res, err = f.s.MoveQueue(f.ctx, f.site.ID, 10, func(store.QueueTx) ([]desk.ChatChange, error) { called = true; return nil, nil })
	if err != nil || len(res) != 0 || called {
		t.Fatalf("empty queue: %+v %v, decide called %v", res, err, called)
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

// testQueueOrder: the queue is served in the order chats were written, by
// the time stamped as each row is written (then id): a chat stamped earlier
// goes first even if its id is higher.
func testQueueOrder(t *testing.T, f *fixture) {
	f.operator("John Mathews", 1, 1)
	later := f.waitingChat(t0.Add(time.Second))
	earlier := f.waitingChat(t0)
	f.must(moveQueue(f, t0.Add(time.Minute)))
	if c, _ := f.s.Chat(f.ctx, earlier.ID); c.State != desk.ChatActive {
		t.Fatalf("the chat written first (stamped %v, id %d) is %s, want active", c.CreatedAt, c.ID, c.State)
	}
	if c, _ := f.s.Chat(f.ctx, later.ID); c.State != desk.ChatWaiting {
		t.Fatalf("the chat written later (id %d) is %s, want waiting", c.ID, c.State)
	}
}
