package accounts

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
// profile changes do not wait (Announce).
type load struct {
	s *Service

	mu      sync.Mutex
	changed map[int64]bool
	timer   clock.Timer
	stopped bool
}

// LoadChanged notes that these operators' chat counts changed.
func (s *Service) LoadChanged(ids ...int64) {
	l := &s.load
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if id != 0 {
			l.changed[id] = true
		}
	}
	if len(l.changed) > 0 && l.timer == nil && !l.stopped {
		l.timer = s.d.Clock.AfterFunc(s.d.LoadEvery, l.flush)
	}
}

func (l *load) flush() {
	l.mu.Lock()
	ids := l.changed
	l.changed, l.timer = map[int64]bool{}, nil
	l.mu.Unlock()
	ops := make([]desk.Operator, 0, len(ids))
	for id := range ids {
		ops = append(ops, ByID(id))
	}
	l.s.Announce(ops...)
}

func (l *load) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	if l.timer != nil {
		l.timer.Stop()
	}
}
