package desk

// LifecycleEvent is one step in a chat's life, as the log tells it: what
// happened ("chat started", "chat routed", "chat taken", "chat
// transferred", "chat handed back", "chat ended") and slog attributes that
// say to whom, by whom and why. Never a message body, a page URL (its
// query may hold a visitor's token) or a secret.
type LifecycleEvent struct {
	What  string
	Attrs []any
}

// Lifecycle is what a change of a chat from before to after did, step by
// step. A chat that did not exist before has a zero before. A change that
// only touched what the log does not follow (a message, a deadline) is no
// step.
func Lifecycle(before, after Chat) []LifecycleEvent {
	var out []LifecycleEvent
	base := []any{"chat", after.ID, "visitor", after.VisitorID}
	with := func(attrs ...any) []any { return append(append([]any{}, base...), attrs...) }
	if before.State == "" && after.State != "" {
		attrs := with("started_by", string(after.StartedBy))
		if after.InvitationID != 0 {
			attrs = append(attrs, "invitation", after.InvitationID)
		}
		out = append(out, LifecycleEvent{"chat started", attrs})
	}
	if n := len(before.Routing); len(after.Routing) > n {
		fresh := after.Routing[n:]
		for i, e := range fresh {
			last := i == len(fresh)-1
			out = append(out, routingEvent(e, before, after, last, with))
		}
	}
	if after.State == ChatEnded && before.State != ChatEnded {
		attrs := with("ended_by", string(after.EndedBy), "reason", string(after.EndReason))
		if after.EndedByOperatorID != 0 {
			attrs = append(attrs, "by_operator", after.EndedByOperatorID, "by_operator_name", after.EndedByOperatorName)
		}
		if after.OperatorID != 0 {
			attrs = append(attrs, "operator", after.OperatorID)
		}
		out = append(out, LifecycleEvent{"chat ended", attrs})
	}
	return out
}

// routingEvent tells one routing entry. Only the last entry of a change
// names the operator the chat is with now; the entry's text names the
// others.
func routingEvent(e RoutingEntry, before, after Chat, last bool, with func(...any) []any) LifecycleEvent {
	attrs := with("kind", string(e.Kind), "reason", e.Text)
	if last && after.OperatorID != 0 && after.State == ChatActive {
		attrs = append(attrs, "operator", after.OperatorID, "operator_name", after.OperatorName)
	}
	switch e.Kind {
	case RoutedTaken:
		return LifecycleEvent{"chat taken", attrs}
	case RoutedTransfer:
		return LifecycleEvent{"chat transferred", append(attrs, "from_operator", before.OperatorID)}
	case RoutedHandedBack:
		return LifecycleEvent{"chat handed back", append(attrs, "from_operator", before.OperatorID)}
	}
	if len(e.PassedOver) > 0 {
		attrs = append(attrs, "passed_over", e.PassedOver)
	}
	return LifecycleEvent{"chat routed", attrs}
}
