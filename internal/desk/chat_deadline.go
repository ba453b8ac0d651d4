package desk

import "time"

// Timeouts are the two periods after which a chat ends by itself (SPEC 5).
type Timeouts struct {
	Inactivity time.Duration // since the visitor's last message, or the start
	Left       time.Duration // since the visitor left the site
}

// Deadline is when chat c ends by itself unless something changes, and why:
// the visitor's inactivity or, if they left the site and that comes first,
// their departure.
func Deadline(c Chat, t Timeouts) (time.Time, EndReason) {
	at, why := c.VisitorActiveAt.Add(t.Inactivity), EndInactivity
	if !c.VisitorLeftAt.IsZero() {
		if left := c.VisitorLeftAt.Add(t.Left); left.Before(at) {
			at, why = left, EndLeft
		}
	}
	return at, why
}

// Overdue reports whether an open chat's stored deadline has passed.
func (c Chat) Overdue(now time.Time) bool {
	return c.Open() && !c.Deadline.IsZero() && !now.Before(c.Deadline)
}
