// Package routing decides who gets each chat (SPEC 3): the action rules
// first, then the chat rule; the queue moving when an operator gains room;
// chats handed back when their operator is gone. The decisions are desk's
// pure functions; this service holds the chat and the operators in the
// store while it decides, so no chat limit is passed on any node.
package routing

import (
	"context"
	"errors"
	"log/slog"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Deps are what routing needs.
type Deps struct {
	// Life (required) is what the service's own work runs under; app.Close
	// cancels it once that work is stopped and drained.
	Life     context.Context
	Store    store.Store
	Clock    clock.Clock
	Log      *slog.Logger
	Announce bus.Announcer
	// Settings are the site, its settings and the action rules in order.
	Settings func() (desk.Site, desk.Settings, []desk.ActionRule)
	// Connected reports whether a console of the operator is open on any
	// node: only then can they be Online.
	Connected func(operatorID int64) bool
	// LoadChanged notes that operators' chat counts changed.
	LoadChanged func(operatorIDs ...int64)
}

// Service routes the chats of one site.
type Service struct {
	d     Deps
	queue *queueMover
}

// New builds the service.
func New(d Deps) *Service {
	s := &Service{d: d}
	s.queue = newQueueMover(s)
	return s
}

// Idle waits until no move of the queue runs and starts no more (shutdown).
func (s *Service) Idle() { s.queue.idle() }

// candidate is an operator as routing sees them now: their load from the
// store, Online only while a console of theirs is connected.
func (s *Service) candidate(o desk.Operator, active int) desk.Candidate {
	return desk.Candidate{ID: o.ID, Name: o.Name, Status: o.EffectiveStatus(s.d.Connected(o.ID)),
		PriorityLevel: o.PriorityLevel, ChatLimit: o.ChatLimit, Active: active, LastAssignedAt: o.LastAssignedAt}
}

func (s *Service) routingOf(ops []desk.Operator, active map[int64]int) desk.Routing {
	_, settings, rules := s.d.Settings()
	r := desk.Routing{ChatRule: settings.ChatRule, Rules: rules}
	for _, o := range ops {
		r.Operators = append(r.Operators, s.candidate(o, active[o.ID]))
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
func (s *Service) routeChat(ctx context.Context, ref store.ChatRef, how routeHow) (store.ChatResult, error) {
	for attempt := 1; ; attempt++ {
		now := s.d.Clock.Now()
		res, err := s.d.Store.ChangeChat(ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
			c := tx.Chat()
			ops, active, err := tx.Load()
			if err != nil {
				return desk.ChatChange{}, err
			}
			d := s.routingOf(ops, active).Route(c.Page)
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
				cand = s.candidate(op, n)
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
			s.d.Announce.Logged(res.Before, res.Chat)
			s.d.Announce.Chat(res.Chat, prev, res.Before.OperatorID)
			if res.Chat.State == desk.ChatActive {
				s.d.LoadChanged(res.Chat.OperatorID)
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

// RouteNew routes chats that just became waiting: created, or handed back.
// Under the Automatic chat rule they join the queue, which moves oldest
// first (FIFO: a chat that came first is served first); under Manual each
// is routed by the action rules alone and otherwise waits as a ticket.
// Each keeps the decision that left it waiting. It returns the chats whose
// routing it applied and announced, or that were routed meanwhile.
func (s *Service) RouteNew(ctx context.Context, ids ...int64) map[int64]bool {
	how := assignOrRecord
	if _, set, _ := s.d.Settings(); set.ChatRule == desk.ChatRuleAutomatic {
		announced := s.queue.move(ids)
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
		out := s.routeEach(ctx, how, ids)
		for id, ok := range announced {
			out[id] = ok
		}
		return out
	}
	return s.routeEach(ctx, how, ids)
}

// routeEach routes chats one by one, by id.
func (s *Service) routeEach(ctx context.Context, how routeHow, ids []int64) map[int64]bool {
	announced := map[int64]bool{}
	for _, id := range ids {
		res, err := s.routeChat(ctx, store.ChatRef{ID: id}, how)
		if err != nil {
			s.d.Log.Error("routing", "chat", id, "err", err)
			continue
		}
		// a chat no longer waiting was routed (and announced) by another
		announced[id] = res.Changed || res.Chat.State != desk.ChatWaiting
	}
	return announced
}

// HandBack returns an operator's active chats to the queue and routes them
// again (SPEC 3.5).
func (s *Service) HandBack(ctx context.Context, operatorID int64) {
	ids, err := s.d.Store.ActiveChatsOf(ctx, operatorID)
	if err != nil {
		s.d.Log.Error("hand back", "operator", operatorID, "err", err)
		return
	}
	var back []int64
	for _, id := range ids {
		now := s.d.Clock.Now()
		res, err := s.d.Store.ChangeChat(ctx, store.ChatRef{ID: id}, func(tx store.ChatTx) (desk.ChatChange, error) {
			return desk.HandBack(tx.Chat(), operatorID, now), nil
		})
		if err != nil {
			s.d.Log.Error("hand back", "chat", id, "err", err)
			continue
		}
		if res.Changed {
			s.d.Announce.Change(res.Before, res.Chat, res.Lines)
			back = append(back, id)
		}
	}
	if len(back) > 0 {
		s.d.LoadChanged(operatorID)
		s.RouteNew(ctx, back...)
	}
}

// TestRoute is the rule tester: who would get a chat from page p right now,
// by the same function that routes chats.
func (s *Service) TestRoute(ctx context.Context, p desk.Page) (protocol.RoutingTest, error) {
	site, _, _ := s.d.Settings()
	ops, err := s.d.Store.Operators(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	counts, err := s.d.Store.ActiveChatCounts(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	return protocol.RoutingTestOf(s.routingOf(ops, counts).Route(p.Clean())), nil
}
