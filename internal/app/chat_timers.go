package app

import (
	"sync"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// chatTimers ends chats whose deadline passes (SPEC 5: inactivity, visitor
// left). Deadlines live in the store, so they survive a restart; this keeps
// one timer, for the earliest deadline, on the injected clock, and sweeps
// for overdue chats every --deadline-sweep besides, so a wake-up another
// node's change did not bring (or a lost one) leaves no chat open past its
// deadline by more than that. Ending is a decision on the held chat
// (desk.EndOverdue): of several nodes ending one chat, one does.
type chatTimers struct {
	a *App

	mu      sync.Mutex
	timer   clock.Timer
	at      time.Time
	sweep   clock.Timer
	stopped bool
}

func newChatTimers(a *App) *chatTimers { return &chatTimers{a: a} }

// start ends the chats that became overdue while the server was down, then
// arms the timer for the next deadline, and the sweep.
func (t *chatTimers) start() {
	t.fire()
	t.armSweep()
}

func (t *chatTimers) armSweep() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	t.sweep = t.a.clock.AfterFunc(t.a.cfg.DeadlineSweep, func() {
		t.endDue()
		t.armSweep()
	})
}

// wake makes sure the timer fires no later than at. A deadline that moved
// later needs no wake: the timer fires early, finds nothing due, re-arms.
func (t *chatTimers) wake(at time.Time) {
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
	t.timer = t.a.clock.AfterFunc(at.Sub(t.a.clock.Now()), t.fire)
}

// fire ends every overdue chat and re-arms for the next deadline.
func (t *chatTimers) fire() {
	t.mu.Lock()
	t.timer, t.at = nil, time.Time{}
	t.mu.Unlock()
	t.endDue()
	next, err := t.a.store.NextDeadline(bg())
	if err != nil {
		t.a.log.Error("next deadline", "err", err)
		next = t.a.clock.Now().Add(time.Minute) // try again soon
	}
	t.wake(next)
}

// endDue ends every chat whose deadline has passed.
func (t *chatTimers) endDue() {
	ctx := bg()
	now := t.a.clock.Now()
	due, err := t.a.store.DueChats(ctx, now)
	if err != nil {
		t.a.log.Error("due chats", "err", err)
	}
	for _, c := range due {
		res, err := t.a.store.ChangeChat(ctx, store.ChatRef{ID: c.ID}, func(tx store.ChatTx) (desk.ChatChange, error) {
			return desk.EndOverdue(tx.Chat(), now), nil // not if the deadline moved meanwhile
		})
		if _, err := t.a.ended(ctx, res, err); err != nil {
			t.a.log.Error("ending an overdue chat", "chat", c.ID, "err", err)
		}
	}
}

func (t *chatTimers) stopTimer() {
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
