package app

import (
	"sync"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
)

// operatorLoad batches the consoles' news of operators' chat counts. Every
// assignment and every end changes someone's load; telling every console
// each time would cost a frame per console per chat. The first change arms
// a timer for one interval (--load-interval); when it fires, each operator
// whose load changed is announced once, with their count then. Status and
// profile changes do not wait (announceOperators).
type operatorLoad struct {
	a *App

	mu      sync.Mutex
	changed map[int64]bool
	timer   clock.Timer
	stopped bool
}

func newOperatorLoad(a *App) *operatorLoad { return &operatorLoad{a: a, changed: map[int64]bool{}} }

// loadChanged notes that these operators' chat counts changed.
func (a *App) loadChanged(ids ...int64) {
	l := a.load
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if id != 0 {
			l.changed[id] = true
		}
	}
	if len(l.changed) > 0 && l.timer == nil && !l.stopped {
		l.timer = a.clock.AfterFunc(a.cfg.LoadEvery, l.flush)
	}
}

func (l *operatorLoad) flush() {
	l.mu.Lock()
	ids := l.changed
	l.changed, l.timer = map[int64]bool{}, nil
	l.mu.Unlock()
	ops := make([]desk.Operator, 0, len(ids))
	for id := range ids {
		ops = append(ops, byID(id))
	}
	l.a.announceOperators(ops...)
}

func (l *operatorLoad) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	if l.timer != nil {
		l.timer.Stop()
	}
}
