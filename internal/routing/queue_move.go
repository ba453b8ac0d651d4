package routing

import (
	"context"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// MoveQueue offers the waiting chats again when an operator may have gained
// room (SPEC 3.4), oldest first; it does nothing under the Manual chat rule.
func (s *Service) MoveQueue(ctx context.Context) {
	if _, set, _ := s.d.Settings(); set.ChatRule == desk.ChatRuleAutomatic {
		s.queue.nudge()
	}
}

// queueBatch is how many waiting chats one move holds and decides on.
const queueBatch = 64

// moveQueueNow moves the queue until it stops: at the first chat nobody
// has room for, or when no chat waits. Chats someone waits on (m) keep the
// decision that leaves them waiting; chats never routed are announced as
// new. Each move's announcements go out while the next move is decided, in
// order, so a chat's asker hears as soon as it is announced.
func (s *Service) moveQueueNow(m *queueMover) {
	site, settings, _ := s.d.Settings()
	if settings.ChatRule != desk.ChatRuleAutomatic {
		return
	}
	moves := make(chan []store.ChatResult, 4)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for res := range moves {
			s.announceMove(m, res)
		}
	}()
	defer func() { close(moves); <-sent }()
	// a chat never routed (just created) keeps why it waits, as one someone
	// waits on does (handed back)
	record := func(c desk.Chat) bool { return len(c.Routing) == 0 || m.isPending(c.ID) }
	for {
		now := s.d.Clock.Now()
		res, err := s.d.Store.MoveQueue(s.d.Life, site.ID, queueBatch, func(tx store.QueueTx) ([]desk.ChatChange, error) {
			return s.decideQueue(tx, record, now)
		})
		if err != nil {
			s.d.Log.Error("moving the queue", "err", err)
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
func (s *Service) announceMove(m *queueMover, res []store.ChatResult) {
	for _, r := range res {
		prev, fresh := r.Before.State, len(r.Before.Routing) == 0
		if fresh {
			prev = "" // no console has heard of it yet: only its operator needs to
		}
		s.d.Announce.Logged(r.Before, r.Chat)
		s.d.Announce.Chat(r.Chat, prev, r.Before.OperatorID)
		m.announced(r.Chat.ID, fresh)
		if r.Chat.State == desk.ChatActive {
			s.d.LoadChanged(r.Chat.OperatorID)
		}
	}
}

// decideQueue decides a move on the operators as they are: it holds each
// operator the decision picks and counts their chats again under the hold,
// and decides again until every operator it picks is held — so no
// assignment passes a chat limit, whatever other moves and nodes do.
func (s *Service) decideQueue(tx store.QueueTx, record func(desk.Chat) bool, now time.Time) ([]desk.ChatChange, error) {
	ops, active, err := tx.Load()
	if err != nil {
		return nil, err
	}
	r := s.routingOf(ops, active)
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
				r.Operators[i] = s.candidate(op, counts[o.ID])
			}
		}
	}
}
