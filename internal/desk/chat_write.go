package desk

// WriteAsVisitor checks a visitor's message against their open chat and
// moves the chat's inactivity deadline: it counts from the visitor's last
// message (SPEC 5).
func WriteAsVisitor(c Chat, m Message, t Timeouts) (ChatChange, error) {
	if !c.Open() {
		return unchanged(c), Errorf(CodeEnded, "This chat has ended")
	}
	c.VisitorActiveAt = m.CreatedAt
	c.Deadline, c.DeadlineReason = Deadline(c, t)
	return ChatChange{Chat: c, Changed: true}, nil
}

// WriteAsOperator checks an operator's message: only the operator the chat
// is with writes in it.
func WriteAsOperator(c Chat, op Operator) (ChatChange, error) {
	if err := ofSite(c, op.SiteID); err != nil {
		return unchanged(c), err
	}
	if !c.Open() {
		return unchanged(c), Errorf(CodeEnded, "This chat has ended")
	}
	if c.State != ChatActive || c.OperatorID != op.ID {
		return unchanged(c), Errorf(CodeForbidden, TextTakeBeforeWriting)
	}
	return ChatChange{Chat: c, Changed: true}, nil
}
