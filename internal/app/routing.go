package app

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// candidate is an operator as routing sees them now: their load from the
// store, Online only while a console of theirs is connected.
func (a *App) candidate(o desk.Operator, active int) desk.Candidate {
	return desk.Candidate{ID: o.ID, Name: o.Name, Status: o.EffectiveStatus(a.operators.connected(o.ID)),
		PriorityLevel: o.PriorityLevel, ChatLimit: o.ChatLimit, Active: active, LastAssignedAt: o.LastAssignedAt}
}

func (a *App) routingOf(ops []desk.Operator, active map[int64]int) desk.Routing {
	_, settings, rules := a.routingSettings()
	r := desk.Routing{ChatRule: settings.ChatRule, Rules: rules}
	for _, o := range ops {
		r.Operators = append(r.Operators, a.candidate(o, active[o.ID]))
	}
	return r
}

// maxRoutingAttempts bounds how often one chat is decided again because the
// operator picked lost their last slot to another chat meanwhile.
const maxRoutingAttempts = 5

// routeHow says what routing may do with a chat: assign it when the rules
// name an operator with room, and keep on it a decision that leaves it
// waiting, to show why (record).
type routeHow struct {
	assign bool
	record func(desk.Chat) bool
	// upTo, if set, leaves chats newer than it alone: they route themselves.
	upTo int64
}

var (
	// assignOnly moves the queue: it writes nothing on chats that wait.
	assignOnly = routeHow{assign: true, record: func(desk.Chat) bool { return false }}
	// assignOrRecord routes a chat that just became waiting.
	assignOrRecord = routeHow{assign: true, record: func(desk.Chat) bool { return true }}
	// recordOnly explains a chat behind the queue's head: only the head is
	// assigned, so the queue stays first come, first served.
	recordOnly = routeHow{record: func(desk.Chat) bool { return true }}
)

// routeChat routes the chat ref names by the rules (SPEC 3.1–3.2), as how
// allows, and announces what it did.
func (a *App) routeChat(ctx context.Context, ref store.ChatRef, how routeHow) (store.ChatResult, error) {
	for attempt := 1; ; attempt++ {
		now := a.clock.Now()
		var target desk.Operator // read under the hold: announced as it was
		res, err := a.store.ChangeChat(ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
			c := tx.Chat()
			if how.upTo != 0 && c.ID > how.upTo {
				return desk.ChatChange{Chat: c}, nil
			}
			ops, active, err := tx.Load()
			if err != nil {
				return desk.ChatChange{}, err
			}
			d := a.routingOf(ops, active).Route(c.Page)
			var cand desk.Candidate
			switch {
			case d.OperatorID != 0 && !how.assign:
				return desk.ChatChange{Chat: c}, nil // there is room: the queue moves to it
			case d.OperatorID != 0:
				// hold the operator and count again: their room is decided on
				// what no other assignment can change until this one is applied
				op, n, err := tx.Operator(d.OperatorID)
				if err != nil {
					return desk.ChatChange{}, err
				}
				target, cand = op, a.candidate(op, n)
			case !how.record(c):
				return desk.ChatChange{Chat: c}, nil
			}
			return desk.Assign(c, d, cand, now)
		})
		if err == nil && res.Changed {
			a.announceChat(res.Chat, res.Before.State, res.Before.OperatorID)
			if res.Chat.State == desk.ChatActive {
				a.announceOperators(target)
			}
		}
		if errors.Is(err, desk.ErrNoRoom) && attempt < maxRoutingAttempts {
			continue // decide again on what is true now
		}
		if errors.Is(err, desk.ErrNoRoom) {
			return res, nil // contended to the end: it waits, and the queue moves later
		}
		return res, err
	}
}

// routeNew routes chats that just became waiting: created, or handed back.
// Under the Automatic chat rule they join the queue, which moves oldest
// first (FIFO: a chat that came first is served first); under Manual each
// is routed by the action rules alone and otherwise waits as a ticket.
// Each keeps the decision that left it waiting. It returns the chats whose
// routing it applied and announced.
func (a *App) routeNew(ctx context.Context, ids ...int64) map[int64]bool {
	announced := map[int64]bool{}
	isNew := map[int64]bool{}
	for _, id := range ids {
		isNew[id] = true
	}
	how := assignOrRecord
	if _, s, _ := a.routingSettings(); s.ChatRule == desk.ChatRuleAutomatic {
		// route the queue up to the newest of these: an older chat goes first
		queue := routeHow{assign: true, record: func(c desk.Chat) bool { return isNew[c.ID] }}
		for id := range isNew {
			queue.upTo = max(queue.upTo, id)
		}
		decided, full := a.moveQueueFor(ctx, queue)
		for _, c := range decided {
			delete(isNew, c.ID)
			announced[c.ID] = true
		}
		if !full {
			return announced // the rest left the queue already, by another's move
		}
		how = recordOnly
	}
	for id := range isNew {
		res, err := a.routeChat(ctx, store.ChatRef{ID: id}, how)
		if err != nil {
			a.log.Error("routing", "chat", id, "err", err)
			continue
		}
		announced[id] = res.Changed
	}
	return announced
}

// moveQueue offers the waiting chats again when an operator may have gained
// room (SPEC 3.4), oldest first; it does nothing under the Manual chat rule.
func (a *App) moveQueue(ctx context.Context) {
	if _, s, _ := a.routingSettings(); s.ChatRule == desk.ChatRuleAutomatic {
		a.moveQueueFor(ctx, assignOnly)
	}
}

// moveQueueFor routes the head of the queue while someone has room for it:
// each assignment takes a slot, so it routes as many chats as there is room
// for, and stops at the first chat that has to wait. It returns the chats
// it decided on (assigned, or recorded as how asks), and full: whether it
// stopped at a chat that waits for room.
func (a *App) moveQueueFor(ctx context.Context, how routeHow) (decided []desk.Chat, full bool) {
	site, _, _ := a.routingSettings()
	for {
		res, err := a.routeChat(ctx, store.ChatRef{QueueOf: site.ID}, how)
		switch {
		case errors.Is(err, desk.ErrNotFound):
			return decided, false // an empty queue
		case err != nil:
			a.log.Error("moving the queue", "err", err)
			return decided, true
		case how.upTo != 0 && res.Before.ID > how.upTo:
			return decided, false // the rest is newer: it routes itself
		case !res.Changed:
			return decided, true // nobody has room
		}
		decided = append(decided, res.Chat)
		if res.Chat.State != desk.ChatActive {
			return decided, true // recorded as waiting: nobody has room
		}
		if how.upTo != 0 && res.Chat.ID >= how.upTo {
			return decided, false
		}
	}
}

// handBack returns an operator's active chats to the queue and routes them
// again (SPEC 3.5).
func (a *App) handBack(ctx context.Context, operatorID int64) {
	ids, err := a.store.ActiveChatsOf(ctx, operatorID)
	if err != nil {
		a.log.Error("hand back", "operator", operatorID, "err", err)
		return
	}
	var back []int64
	for _, id := range ids {
		now := a.clock.Now()
		res, err := a.store.ChangeChat(ctx, store.ChatRef{ID: id}, func(tx store.ChatTx) (desk.ChatChange, error) {
			return desk.HandBack(tx.Chat(), operatorID, now), nil
		})
		if err != nil {
			a.log.Error("hand back", "chat", id, "err", err)
			continue
		}
		if res.Changed {
			a.announceChange(res)
			back = append(back, id)
		}
	}
	if len(back) > 0 {
		a.announceOperators(byID(operatorID))
		a.routeNew(ctx, back...)
	}
}

// TestRoute is the rule tester: who would get a chat from page p right now,
// by the same function that routes chats.
func (a *App) TestRoute(ctx context.Context, p desk.Page) (protocol.RoutingTest, error) {
	site, _, _ := a.routingSettings()
	ops, err := a.store.Operators(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	counts, err := a.store.ActiveChatCounts(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	return protocol.RoutingTestOf(a.routingOf(ops, counts).Route(p.Clean())), nil
}
