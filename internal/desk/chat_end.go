package desk

import "time"

// Ending is who ends a chat, why and when.
type Ending struct {
	By           Author
	OperatorID   int64 // who, when By is an operator
	OperatorName string
	Reason       EndReason
	At           time.Time
}

// End ends an open chat once (SPEC 5): both sides get the placeholder line,
// the deadline goes, and the operator's slot is free. A chat that has ended
// already stays as it is.
func End(c Chat, e Ending) ChatChange {
	if !c.Open() {
		return unchanged(c)
	}
	c.State, c.EndedAt, c.EndedBy, c.EndReason = ChatEnded, e.At, e.By, e.Reason
	c.EndedByOperatorID, c.EndedByOperatorName = e.OperatorID, e.OperatorName
	c.Deadline, c.DeadlineReason = time.Time{}, ""
	return ChatChange{Chat: c, Changed: true, Lines: []Message{systemLine(EndText(e.Reason), e.At)}}
}

// EndByOperator is the chat tab's "Cancel": the chat's operator or an admin
// may end an active chat, any operator a waiting ticket.
func EndByOperator(c Chat, op Operator, now time.Time) (ChatChange, error) {
	if err := ofSite(c, op.SiteID); err != nil {
		return unchanged(c), err
	}
	if c.State == ChatActive && c.OperatorID != op.ID && op.Role != RoleAdmin {
		return unchanged(c), Errorf(CodeForbidden, "Only %s or an admin can end this chat", c.OperatorName)
	}
	return End(c, Ending{By: AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Reason: EndCancel, At: now}), nil
}

// EndByVisitor is the widget's "Cancel" on the visitor's own chat.
func EndByVisitor(c Chat, v Visitor, now time.Time) (ChatChange, error) {
	if c.VisitorID != v.ID {
		return unchanged(c), NotFound("chat")
	}
	return End(c, Ending{By: AuthorVisitor, Reason: EndCancel, At: now}), nil
}

// EndOverdue ends a chat whose deadline has passed, for the deadline's
// reason. One whose deadline moved since it was found due (the visitor
// wrote, or came back) stays open.
func EndOverdue(c Chat, now time.Time) ChatChange {
	if !c.Overdue(now) {
		return unchanged(c)
	}
	reason := c.DeadlineReason
	if reason == "" {
		reason = EndInactivity
	}
	return End(c, Ending{By: AuthorSystem, Reason: reason, At: now})
}
