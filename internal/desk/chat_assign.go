package desk

import "time"

// Assign applies a routing decision (Routing.Route) to a chat. target is the
// operator the decision picked, as they are now that the store holds them:
// if another chat took their last slot since the decision, ErrNoRoom says
// to decide again, so no automatic assignment passes a chat limit. A
// decision that names nobody only records why the chat waits. A chat that
// is no longer waiting is left alone: someone took or ended it meanwhile.
func Assign(c Chat, d Decision, target Candidate, now time.Time) (ChatChange, error) {
	if c.State != ChatWaiting {
		return unchanged(c), nil
	}
	e := d.Entry(now)
	if d.OperatorID == 0 {
		return record(c, e), nil
	}
	if target.ID != d.OperatorID || !target.hasRoom() {
		return unchanged(c), ErrNoRoom
	}
	return assignTo(c, d.OperatorID, d.OperatorName, e), nil
}

// Take is "Accept" on a ticket (SPEC 3.3): any operator of the site may take
// a waiting chat, even above their chat limit. Of two operators taking one
// ticket, the second is told plainly who has it.
func Take(c Chat, op Operator, now time.Time) (ChatChange, error) {
	if err := ofSite(c, op.SiteID); err != nil {
		return unchanged(c), err
	}
	switch {
	case c.State == ChatEnded:
		return unchanged(c), Errorf(CodeEnded, "This chat has ended")
	case c.State == ChatActive && c.OperatorID == op.ID:
		return unchanged(c), nil
	case c.State == ChatActive:
		return unchanged(c), Errorf(CodeTaken, "This chat was already taken by %s", c.OperatorName)
	}
	return assignTo(c, op.ID, op.Name, RoutingEntry{At: now, Kind: RoutedTaken, Text: TakenText(op.Name)}), nil
}

// Transfer hands an active chat to another operator who is connected: its
// operator or an admin may do so. The operator it leaves gains room.
func Transfer(c Chat, by, to Operator, toStatus Status, now time.Time) (ChatChange, error) {
	if err := ofSite(c, by.SiteID); err != nil {
		return unchanged(c), err
	}
	switch {
	case to.SiteID != by.SiteID:
		return unchanged(c), NotFound("operator")
	case c.State == ChatEnded:
		return unchanged(c), Errorf(CodeEnded, "This chat has ended")
	case c.State != ChatActive:
		return unchanged(c), Errorf(CodeInvalid, "Take this chat before transferring it")
	case c.OperatorID != by.ID && by.Role != RoleAdmin:
		return unchanged(c), Errorf(CodeForbidden, "Only %s or an admin can transfer this chat", c.OperatorName)
	case c.OperatorID == to.ID:
		return unchanged(c), Errorf(CodeInvalid, "The chat is already with %s", to.Name)
	case toStatus == StatusOffline:
		return unchanged(c), Errorf(CodeInvalid, "%s is Offline", to.Name)
	}
	ch := assignTo(c, to.ID, to.Name, RoutingEntry{At: now, Kind: RoutedTransfer, Text: TransferText(by.Name, to.Name)})
	ch.Lines = []Message{systemLine(TransferLine(by.Name, to.Name), now)}
	return ch, nil
}

// HandBack returns a chat of an operator who is gone to the queue, with a
// system line (SPEC 3.5). A chat no longer theirs, or ended, stays as it is.
func HandBack(c Chat, operatorID int64, now time.Time) ChatChange {
	if c.State != ChatActive || c.OperatorID != operatorID {
		return unchanged(c)
	}
	text := HandedBackText(c.OperatorName)
	c.State, c.OperatorID, c.OperatorName, c.AssignedAt = ChatWaiting, 0, "", time.Time{}
	ch := record(c, RoutingEntry{At: now, Kind: RoutedHandedBack, Text: text})
	ch.Lines = []Message{systemLine(text, now)}
	return ch
}
