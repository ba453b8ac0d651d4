package operators

import (
	"sync"

	"outputdesk/internal/desk"
)

// Availability is whether any operator of the site is "Online" (connected
// and not Away), as this node hears operators' statuses: from presence
// (consoles opening and closing, on any node) and from the bus (a status
// chosen). The widget offers "Leave a message" while nobody is.
type Availability struct {
	mu     sync.Mutex
	online map[int64]bool
	// Changed, if set, hears each flip, outside the lock.
	Changed func(online bool)
}

// Heard notes an operator's status as a console would show it.
func (a *Availability) Heard(operatorID int64, status desk.Status) {
	a.mu.Lock()
	before := len(a.online) > 0
	if status == desk.StatusOnline {
		if a.online == nil {
			a.online = map[int64]bool{}
		}
		a.online[operatorID] = true
	} else {
		delete(a.online, operatorID)
	}
	after := len(a.online) > 0
	changed := a.Changed
	a.mu.Unlock()
	if before != after && changed != nil {
		changed(after)
	}
}

// Online reports whether any operator is Online.
func (a *Availability) Online() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.online) > 0
}
