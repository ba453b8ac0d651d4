// Package operators follows operators' consoles on every node (SPEC 1,
// 3.5): an operator is connected while a console of theirs is open on any
// node. When the last one goes, every node shows them Offline, and once
// the operator grace passes with none back their chats are handed back.
// It follows presence only: a console closing on another node, or a node
// dying, reaches it the same way.
package operators

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
	"outputdesk/internal/realtime"
	"outputdesk/internal/store"
)

// Conn is a console socket as this package closes it.
type Conn interface {
	CloseWith(code int, reason string)
}

// CloseUnauthorized is the close code of a console whose session ended.
const CloseUnauthorized = realtime.CloseUnauthorized

// Deps are what the service needs.
type Deps struct {
	// Life (required) is what the service's own work runs under; app.Close
	// cancels it once that work is stopped and drained.
	Life     context.Context
	Store    store.Store
	Presence presence.Presence
	Clock    clock.Clock
	Log      *slog.Logger
	// Grace is how long an operator with no console keeps their chats.
	Grace time.Duration
	// SiteID is the site's id.
	SiteID func() int64
	// HandBack returns an operator's active chats to the queue.
	HandBack func(ctx context.Context, operatorID int64)
	// CameOnline runs when an Online operator's first console opens: the
	// queue may move.
	CameOnline func()
	// ShowHere renders an event for this node's consoles only: every node
	// hears a presence change and shows it to its own.
	ShowHere func(bus.Event)
	// Hears reports whether this node hears every other node now (nil:
	// always). A grace that runs out while it does not is given again:
	// presence may be stale, and a console on another node is not gone.
	Hears func() bool
}

// Service is one node's view of the operators' consoles.
type Service struct {
	d Deps

	showMu sync.Mutex // one status at a time, so the last shown is the latest

	mu        sync.Mutex
	local     map[Conn]*console // this node's consoles
	connected map[int64]bool    // as this node last saw each operator
	grace     map[int64]clock.Timer
	stopped   bool
}

type console struct {
	id      presence.ConnID
	op      int64
	session string // token hash
	expiry  clock.Timer
}

// New returns the service and starts following presence.
func New(d Deps) *Service {
	s := &Service{d: d, local: map[Conn]*console{}, connected: map[int64]bool{}, grace: map[int64]clock.Timer{}}
	d.Presence.Watch(func(ch presence.Change) {
		if ch.OperatorID != 0 {
			s.follow(ch.OperatorID)
		}
	})
	return s
}

// Connected reports whether a console of the operator is open on any node.
func (s *Service) Connected(operatorID int64) bool {
	return s.d.Presence.Operator(operatorID).Connected()
}

// ConsoleConnected: a console of this node opened. The socket closes when
// its session expires.
func (s *Service) ConsoleConnected(op desk.Operator, se desk.Session, c Conn) {
	was := s.Connected(op.ID)
	cs := &console{id: s.d.Presence.NewConn(), op: op.ID, session: se.TokenHash}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.local[c] = cs
	cs.expiry = s.d.Clock.AfterFunc(se.ExpiresAt.Sub(s.d.Clock.Now()), func() {
		c.CloseWith(CloseUnauthorized, "session expired")
	})
	s.mu.Unlock()
	s.d.Presence.SetConsole(presence.Console{Conn: cs.id, SiteID: op.SiteID, OperatorID: op.ID, Since: s.d.Clock.Now()})
	if !was && op.Status == desk.StatusOnline {
		s.d.CameOnline()
	}
}

// ConsoleDisconnected: a console of this node closed.
func (s *Service) ConsoleDisconnected(c Conn) {
	s.mu.Lock()
	cs := s.local[c]
	delete(s.local, c)
	if cs != nil && cs.expiry != nil {
		cs.expiry.Stop()
	}
	s.mu.Unlock()
	if cs != nil {
		s.d.Presence.Remove(cs.id)
	}
}

// follow reacts to an operator's consoles changing anywhere: the first one
// opening cancels a grace in progress, the last one going starts it; either
// way this node's consoles see the operator's new status.
func (s *Service) follow(operatorID int64) {
	s.mu.Lock()
	now := s.Connected(operatorID)
	if s.stopped || now == s.connected[operatorID] {
		s.mu.Unlock()
		return
	}
	if now {
		s.connected[operatorID] = true
		if t := s.grace[operatorID]; t != nil {
			t.Stop()
			delete(s.grace, operatorID)
		}
	} else {
		delete(s.connected, operatorID)
		s.startGraceLocked(operatorID)
	}
	s.mu.Unlock()
	s.showHere(operatorID)
}

// startGraceLocked hands the operator's chats back once the grace passes
// with no console of theirs on any node. Every node runs it; the store's
// decision hands each chat back once.
func (s *Service) startGraceLocked(operatorID int64) {
	if s.grace[operatorID] != nil || s.stopped {
		return
	}
	s.grace[operatorID] = s.d.Clock.AfterFunc(s.d.Grace, func() {
		s.mu.Lock()
		delete(s.grace, operatorID)
		stopped := s.stopped
		if !stopped && s.d.Hears != nil && !s.d.Hears() {
			s.d.Log.Info("operator grace ran out while this node does not hear the others: given again", "operator", operatorID)
			s.startGraceLocked(operatorID)
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if !stopped && !s.Connected(operatorID) {
			s.d.HandBack(s.d.Life, operatorID)
		}
	})
}

// showHere sends this node's consoles the operator's status and load.
func (s *Service) showHere(operatorID int64) {
	s.showMu.Lock()
	defer s.showMu.Unlock()
	ctx := s.d.Life
	op, err := s.d.Store.Operator(ctx, operatorID)
	if err != nil {
		s.d.Log.Error("operator status", "operator", operatorID, "err", err)
		return
	}
	counts, err := s.d.Store.ActiveChatCounts(ctx, op.SiteID)
	if err != nil {
		s.d.Log.Error("active chat counts", "err", err)
		return
	}
	op.PasswordHash = ""
	s.d.ShowHere(bus.Event{Kind: bus.KindOperator, SiteID: op.SiteID, Operator: &op,
		Status: op.EffectiveStatus(s.Connected(op.ID)), Active: counts[op.ID]})
}

// StartupGrace: after a start, operators who hold chats and have no console
// on any node get the grace to reconnect, as if they had just dropped.
// Call it once presence is ready, so consoles on other nodes count.
func (s *Service) StartupGrace(ctx context.Context) {
	active, err := s.d.Store.ListChats(ctx, store.ChatFilter{SiteID: s.d.SiteID(), States: []desk.ChatState{desk.ChatActive}})
	if err != nil {
		s.d.Log.Error("startup grace", "err", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range active {
		if !s.Connected(c.OperatorID) {
			s.startGraceLocked(c.OperatorID)
		}
	}
}

// CloseSession closes this node's consoles of a session that logged out
// (a bus event: every node closes its own).
func (s *Service) CloseSession(tokenHash string) {
	s.mu.Lock()
	var doomed []Conn
	for c, cs := range s.local {
		if cs.session == tokenHash {
			doomed = append(doomed, c)
		}
	}
	s.mu.Unlock()
	for _, c := range doomed {
		c.CloseWith(CloseUnauthorized, "logged out")
	}
}

// Stop stops every timer (shutdown).
func (s *Service) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	for _, t := range s.grace {
		t.Stop()
	}
	for _, cs := range s.local {
		if cs.expiry != nil {
			cs.expiry.Stop()
		}
	}
}
