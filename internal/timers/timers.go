// Package timers ends chats whose deadline passes (SPEC 5: inactivity,
// visitor left), on every node, each chat once.
package timers

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// Service ends chats whose deadline passes (SPEC 5: inactivity, visitor
// left). Deadlines live in the store, so they survive a restart; this keeps
// one timer, for the earliest deadline, on the injected clock, and sweeps
// for overdue chats every --deadline-sweep besides, so a wake-up another
// node's change did not bring (or a lost one) leaves no chat open past its
// deadline by more than that. Ending is a decision on the held chat
// (desk.EndOverdue): of several nodes ending one chat, one does.
type Service struct {
	d Deps

	mu      sync.Mutex
	timer   clock.Timer
	at      time.Time
	sweep   clock.Timer
	stopped bool
}

// Deps are what the timers need.
type Deps struct {
	// Life (required) is what the service's own work runs under; app.Close
	// cancels it once that work is stopped and drained.
	Life  context.Context
	Store store.Store
	Clock clock.Clock
	Log   *slog.Logger
	// Sweep is how often overdue chats are looked for besides the timer.
	Sweep time.Duration
	// Ended announces a chat the timer ended and frees its operator's slot.
	Ended func(ctx context.Context, res store.ChatResult, err error) (desk.Chat, error)
}

// New builds the timers; Start arms them.
func New(d Deps) *Service { return &Service{d: d} }

// Start ends the chats that became overdue while the server was down, then
// arms the timer for the next deadline, and the sweep.
func (t *Service) Start() {
	t.fire()
	t.armSweep()
}

func (t *Service) armSweep() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	t.sweep = t.d.Clock.AfterFunc(t.d.Sweep, func() {
		t.endDue()
		t.armSweep()
	})
}

// Wake makes sure the timer fires no later than at. A deadline that moved
// later needs no wake: the timer fires early, finds nothing due, re-arms.
func (t *Service) Wake(at time.Time) {
	if at.IsZero() {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped || t.timer != nil && !at.Before(t.at) {
		return
	}
	if t.timer != nil {
		t.timer.Stop()
	}
	t.at = at
	t.timer = t.d.Clock.AfterFunc(at.Sub(t.d.Clock.Now()), t.fire)
}

// fire ends every overdue chat and re-arms for the next deadline.
func (t *Service) fire() {
	t.mu.Lock()
	t.timer, t.at = nil, time.Time{}
	t.mu.Unlock()
	t.endDue()
	next, err := t.d.Store.NextDeadline(t.d.Life)
	if err != nil {
		t.d.Log.Error("next deadline", "err", err)
		next = t.d.Clock.Now().Add(time.Minute) // try again soon
	}
	t.Wake(next)
}

// endDue ends every chat whose deadline has passed.
func (t *Service) endDue() {
	ctx := t.d.Life
	now := t.d.Clock.Now()
	due, err := t.d.Store.DueChats(ctx, now)
	if err != nil {
		t.d.Log.Error("due chats", "err", err)
	}
	for _, c := range due {
		res, err := t.d.Store.ChangeChat(ctx, store.ChatRef{ID: c.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
			return desk.EndOverdue(tx.Chat(), now), nil // not if the deadline moved meanwhile
		})
		if _, err := t.d.Ended(ctx, res, err); err != nil {
			t.d.Log.Error("ending an overdue chat", "chat", c.ID, "err", err)
		}
	}
}

// Stop stops the timer and the sweep (shutdown).
func (t *Service) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	if t.timer != nil {
		t.timer.Stop()
	}
	if t.sweep != nil {
		t.sweep.Stop()
	}
}
