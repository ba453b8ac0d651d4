package desk

import "time"

// MoveQueue decides a move of the queue (SPEC 3.4): the waiting chats,
// oldest first, each assignment taking a slot of its operator's room, until
// the first chat nobody has room for. That chat and every chat after it
// wait, so a later chat never overtakes an earlier one. record says which
// waiting chats keep the decision that left them waiting. It returns a
// change for each chat that changes, in queue order.
func (r Routing) MoveQueue(chats []Chat, now time.Time, record func(Chat) bool) []ChatChange {
	queue := make([]QueuedChat, len(chats))
	for i, c := range chats {
		queue[i] = QueuedChat{ID: c.ID, Page: c.Page}
	}
	decisions := r.RouteQueue(queue, now)
	var out []ChatChange
	full := false
	for i, c := range chats {
		d := decisions[i]
		if c.State != ChatWaiting {
			continue
		}
		if full || d.OperatorID == 0 {
			full = true
			if record != nil && record(c) {
				out = append(out, record1(c, d, now))
			}
			continue
		}
		out = append(out, assignTo(c, d.OperatorID, d.OperatorName, d.Entry(now)))
	}
	return out
}

// record1 keeps on a chat that waits the decision that left it waiting.
func record1(c Chat, d Decision, now time.Time) ChatChange {
	if d.OperatorID != 0 { // behind a chat nobody had room for: it waits its turn
		d = Decision{Kind: RoutedNoRoom, Text: "Automatic: waiting behind earlier chats for the first free operator"}
	}
	return record(c, d.Entry(now))
}
