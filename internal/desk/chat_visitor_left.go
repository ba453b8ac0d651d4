package desk

import "time"

// VisitorLeft records on an open chat that its visitor left the site at at
// (after the presence grace), or, with a zero at, came back: the deadline
// moves (SPEC 5) and both sides get a system line. Nothing changes if the
// chat already knows, or has ended.
func VisitorLeft(c Chat, at, now time.Time, t Timeouts) ChatChange {
	if !c.Open() || c.VisitorLeftAt.IsZero() == at.IsZero() {
		return unchanged(c)
	}
	c.VisitorLeftAt = at
	c.Deadline, c.DeadlineReason = Deadline(c, t)
	body := TextVisitorLeft
	if at.IsZero() {
		body = TextVisitorReturned
	}
	return ChatChange{Chat: c, Changed: true, Lines: []Message{systemLine(body, now)}}
}
