package metrics

import (
	"slices"

	"outputdesk/internal/desk"
)

// routingKinds are the kinds of routing entry a chat records (desk).
var routingKinds = []string{
	string(desk.RoutedByActionRule), string(desk.RoutedAutomatic), string(desk.RoutedManual), string(desk.RoutedNoRoom),
	string(desk.RoutedTaken), string(desk.RoutedTransfer), string(desk.RoutedInvitation), string(desk.RoutedHandedBack),
}

// assignedHow are the kinds of entry that can first assign a chat.
var assignedHow = []string{
	string(desk.RoutedByActionRule), string(desk.RoutedAutomatic), string(desk.RoutedTaken), string(desk.RoutedInvitation),
}

// authors are who sends messages through a socket or the API.
var authors = []string{string(desk.AuthorVisitor), string(desk.AuthorOperator)}

// ChatChanged counts the routing entries a change of this node added, and
// a chat's first assignment (bus.Observer).
func (m *Metrics) ChatChanged(before, after desk.Chat) {
	if n := len(before.Routing); len(after.Routing) > n {
		for _, e := range after.Routing[n:] {
			m.routed.WithLabelValues(string(e.Kind)).Inc()
		}
	}
	if firstAssigned(before, after) {
		how := after.Routing[len(after.Routing)-1].Kind
		m.assignWait.WithLabelValues(string(how)).Observe(max(0, after.AssignedAt.Sub(after.CreatedAt).Seconds()))
	}
}

// firstAssigned reports whether the change gave the chat its first
// operator. A chat goes back from active to waiting only by being handed
// back, so one whose record has no hand-back was never assigned before.
func firstAssigned(before, after desk.Chat) bool {
	if after.State != desk.ChatActive || before.State == desk.ChatActive || len(after.Routing) == 0 {
		return false
	}
	return !slices.ContainsFunc(before.Routing, func(e desk.RoutingEntry) bool { return e.Kind == desk.RoutedHandedBack })
}

// MessageAnnounced times a message a widget or console sent, from its
// timestamp to now that it is stored and published (bus.Observer). Only
// those carry a client id: system lines and invitation texts, which nobody
// sent, have none.
func (m *Metrics) MessageAnnounced(msg desk.Message) {
	if msg.ClientID == "" {
		return
	}
	m.messages.WithLabelValues(string(msg.Author)).Observe(max(0, m.d.Now().Sub(msg.CreatedAt).Seconds()))
}
