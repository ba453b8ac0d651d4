package app

import (
	"context"
	"errors"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// candidate is an operator as routing sees them now: their load from the
// store, Online only while a console of theirs is connected.
func (a *App) candidate(o desk.Operator, active int) desk.Candidate {
	return desk.Candidate{ID: o.ID, Name: o.Name, Status: o.EffectiveStatus(a.operators.Connected(o.ID)),
		PriorityLevel: o.PriorityLevel, ChatLimit: o.ChatLimit, Active: active, LastAssignedAt: o.LastAssignedAt}
}

func (a *App) routingOf(ops []desk.Operator, active map[int64]int) desk.Routing {
	_, settings, rules := a.siteSettings.ForRouting()
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
}

var (
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
		res, err := a.store.ChangeChat(ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
			c := tx.Chat()
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
				cand = a.candidate(op, n)
			case !how.record(c):
				return desk.ChatChange{Chat: c}, nil
			}
			return desk.Assign(c, d, cand, now)
		})
		if err == nil && res.Changed {
			prev := res.Before.State
			if len(res.Before.Routing) == 0 {
				prev = "" // never routed, so never announced: only its operator needs to hear
			}
			a.announceChat(res.Chat, prev, res.Before.OperatorID)
			if res.Chat.State == desk.ChatActive {
				a.accounts.LoadChanged(res.Chat.OperatorID)
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
// routing it applied and announced, or that were routed meanwhile.
func (a *App) routeNew(ctx context.Context, ids ...int64) map[int64]bool {
	how := assignOrRecord
	if _, s, _ := a.siteSettings.ForRouting(); s.ChatRule == desk.ChatRuleAutomatic {
		announced := a.queue.move(ids)
		var behind []int64
		for _, id := range ids {
			if !announced[id] {
				behind = append(behind, id)
			}
		}
		if len(behind) == 0 {
			return announced
		}
		// still waiting where no move reached them (behind a long queue, or
		// held by another change): they keep why, but only a move assigns
		ids, how = behind, recordOnly
		out := a.routeEach(ctx, how, ids)
		for id, ok := range announced {
			out[id] = ok
		}
		return out
	}
	return a.routeEach(ctx, how, ids)
}

// routeEach routes chats one by one, by id.
func (a *App) routeEach(ctx context.Context, how routeHow, ids []int64) map[int64]bool {
	announced := map[int64]bool{}
	for _, id := range ids {
		res, err := a.routeChat(ctx, store.ChatRef{ID: id}, how)
		if err != nil {
			a.log.Error("routing", "chat", id, "err", err)
			continue
		}
		// a chat no longer waiting was routed (and announced) by another
		announced[id] = res.Changed || res.Chat.State != desk.ChatWaiting
	}
	return announced
}

// moveQueue offers the waiting chats again when an operator may have gained
// room (SPEC 3.4), oldest first; it does nothing under the Manual chat rule.
func (a *App) moveQueue(ctx context.Context) {
	if _, s, _ := a.siteSettings.ForRouting(); s.ChatRule == desk.ChatRuleAutomatic {
		a.queue.nudge()
	}
}

// queueBatch is how many waiting chats one move holds and decides on.
const queueBatch = 64

// moveQueueNow moves the queue until it stops: at the first chat nobody
// has room for, or when no chat waits. Chats someone waits on (m) keep the
// decision that leaves them waiting; chats never routed are announced as
// new. Each move's announcements go out while the next move is decided, in
// order, so a chat's asker hears as soon as it is announced.
func (a *App) moveQueueNow(m *queueMover) {
	site, settings, _ := a.siteSettings.ForRouting()
	if settings.ChatRule != desk.ChatRuleAutomatic {
		return
	}
	moves := make(chan []store.ChatResult, 4)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for res := range moves {
			a.announceMove(m, res)
		}
	}()
	defer func() { close(moves); <-sent }()
	// a chat never routed (just created) keeps why it waits, as one someone
	// waits on does (handed back)
	record := func(c desk.Chat) bool { return len(c.Routing) == 0 || m.isPending(c.ID) }
	for {
		now := a.clock.Now()
		res, err := a.store.MoveQueue(bg(), site.ID, queueBatch, func(tx store.QueueTx) ([]desk.ChatChange, error) {
			return a.decideQueue(tx, record, now)
		})
		if err != nil {
			a.log.Error("moving the queue", "err", err)
			return
		}
		moves <- res
		assigned := 0
		for _, r := range res {
			if r.Chat.State == desk.ChatActive {
				assigned++
			}
		}
		if assigned == 0 || assigned < len(res) {
			return // empty, or stopped at a chat nobody has room for
		}
	}
}

// announceMove tells everyone what a move did.
func (a *App) announceMove(m *queueMover, res []store.ChatResult) {
	for _, r := range res {
		prev, fresh := r.Before.State, len(r.Before.Routing) == 0
		if fresh {
			prev = "" // no console has heard of it yet: only its operator needs to
		}
		a.announceChat(r.Chat, prev, r.Before.OperatorID)
		m.announced(r.Chat.ID, fresh)
		if r.Chat.State == desk.ChatActive {
			a.accounts.LoadChanged(r.Chat.OperatorID)
		}
	}
}

// decideQueue decides a move on the operators as they are: it holds each
// operator the decision picks and counts their chats again under the hold,
// and decides again until every operator it picks is held — so no
// assignment passes a chat limit, whatever other moves and nodes do.
func (a *App) decideQueue(tx store.QueueTx, record func(desk.Chat) bool, now time.Time) ([]desk.ChatChange, error) {
	ops, active, err := tx.Load()
	if err != nil {
		return nil, err
	}
	r := a.routingOf(ops, active)
	held := map[int64]bool{}
	for {
		changes := r.MoveQueue(tx.Waiting(), now, record)
		var pick []int64
		for _, ch := range changes {
			if id := ch.Chat.OperatorID; ch.Assigned && !held[id] {
				held[id], pick = true, append(pick, id)
			}
		}
		if len(pick) == 0 {
			return changes, nil // every operator picked is held and counted
		}
		ops, counts, err := tx.Operators(pick)
		if err != nil {
			return nil, err
		}
		for i, o := range r.Operators {
			if op, ok := ops[o.ID]; ok {
				r.Operators[i] = a.candidate(op, counts[o.ID])
			}
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
		a.accounts.LoadChanged(operatorID)
		a.routeNew(ctx, back...)
	}
}

// TestRoute is the rule tester: who would get a chat from page p right now,
// by the same function that routes chats.
func (a *App) TestRoute(ctx context.Context, p desk.Page) (protocol.RoutingTest, error) {
	site, _, _ := a.siteSettings.ForRouting()
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
