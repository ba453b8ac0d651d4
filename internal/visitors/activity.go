package visitors

import (
	"sync"
	"time"

	"outputdesk/internal/desk"
)

// ChatChanged follows a visitor's chat, from a bus event, for the row's
// status. An older copy of the chat (events from two nodes can cross)
// changes nothing.
func (s *Service) ChatChanged(c desk.Chat) {
	s.mu.Lock()
	vs := s.visits[c.VisitorID]
	if vs == nil || !vs.applyChat(c, s.d.Clock.Now()) {
		s.mu.Unlock()
		return
	}
	s.publishLocked(c.VisitorID, vs)
}

// InvitationChanged follows a visitor's invitation, from a bus event.
func (s *Service) InvitationChanged(inv desk.Invitation) {
	now := s.d.Clock.Now()
	s.mu.Lock()
	if inv.State == desk.InvitationDismissed {
		s.lastDismissed[inv.VisitorID] = now
	}
	vs := s.visits[inv.VisitorID]
	if vs == nil || !vs.applyInvitation(inv, now) {
		s.mu.Unlock()
		return
	}
	s.publishLocked(inv.VisitorID, vs)
}

// applyChat takes a copy of the visitor's chat if it is newer than the one
// the visit knows.
func (vs *visit) applyChat(c desk.Chat, at time.Time) bool {
	if old := vs.act(); c.ID < old.ChatID || c.ID == old.ChatID && c.Version <= old.ChatVersion {
		return false
	}
	act := vs.changeAct()
	act.ChatID, act.ChatVersion, act.ChatState, act.OperatorName, act.EndReason, act.ChatChangedAt =
		c.ID, c.Version, c.State, c.OperatorName, c.EndReason, at
	return true
}

// applyInvitation takes a copy of the visitor's invitation if it is newer:
// a later invitation, or the same one closed.
func (vs *visit) applyInvitation(inv desk.Invitation, at time.Time) bool {
	if inv.RuleID != 0 {
		vs.fire(inv.RuleID)
	}
	if old := vs.act(); inv.ID < old.InvitationID || inv.ID == old.InvitationID && (inv.State == old.Invitation || inv.State == desk.InvitationOpen) {
		return false
	}
	act := vs.changeAct()
	act.InvitationID, act.Invitation, act.InvitationAt = inv.ID, inv.State, at
	return true
}

// loader reads the chats and invitations of visits this node starts
// following, many visitors per query: a node that joins a cluster with
// 50,000 visitors on it reads them in a hundred queries, not 50,000.
type loader struct {
	s *Service

	mu      sync.Mutex
	queue   []int64
	running bool
	done    sync.WaitGroup
}

const loadBatch = 500

// add queues a visitor to load in the background.
func (l *loader) add(visitorID int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queue = append(l.queue, visitorID)
	if !l.running {
		l.running = true
		l.done.Add(1)
		go l.run()
	}
}

func (l *loader) run() {
	defer l.done.Done()
	for {
		l.mu.Lock()
		n := min(len(l.queue), loadBatch)
		batch := l.queue[:n:n]
		l.queue = l.queue[n:]
		if n == 0 {
			l.running = false
		}
		l.mu.Unlock()
		if n == 0 {
			return
		}
		l.now(batch)
	}
}

// now loads the visits of these visitors that are not loaded yet, and
// shows their rows.
func (l *loader) now(visitorIDs []int64) {
	s := l.s
	s.mu.Lock()
	targets := map[int64]*visit{}
	var since time.Time
	for _, id := range visitorIDs {
		if vs := s.visits[id]; vs != nil && !vs.loaded {
			targets[id] = vs
			if since.IsZero() || vs.startedAt().Before(since) {
				since = vs.startedAt()
			}
		}
	}
	s.mu.Unlock()
	if len(targets) == 0 {
		return
	}
	ids := make([]int64, 0, len(targets))
	for id := range targets {
		ids = append(ids, id)
	}
	recent, err := s.d.Store.RecentOf(s.d.Life, ids, since)
	if err != nil {
		// shown as if nothing happened this visit, rather than not at all
		s.d.Log.Error("reading visitors' chats and invitations", "visitors", len(ids), "err", err)
	}
	for id, vs := range targets {
		s.mu.Lock()
		if s.visits[id] != vs || vs.loaded {
			s.mu.Unlock()
			continue
		}
		r := recent[id]
		if c := r.Chat; c != nil && (c.Open() || !c.EndedAt.Before(vs.startedAt())) {
			vs.applyChat(*c, c.EndedAt)
		}
		if inv := r.Invitation; inv != nil {
			if inv.State == desk.InvitationDismissed && inv.ClosedAt.After(s.lastDismissed[id]) {
				s.lastDismissed[id] = inv.ClosedAt
			}
			if inv.State == desk.InvitationOpen || !inv.ClosedAt.Before(vs.startedAt()) {
				at := inv.ClosedAt
				if at.IsZero() {
					at = inv.CreatedAt
				}
				vs.applyInvitation(*inv, at)
			}
		}
		for _, f := range r.Fired {
			if !f.At.Before(vs.startedAt()) {
				vs.fire(f.RuleID)
			}
		}
		vs.loaded = true
		s.publishLocked(id, vs)
	}
}
