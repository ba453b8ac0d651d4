package desk

import "time"

// ChatStart is everything a new chat is made of (SPEC 2).
type ChatStart struct {
	Visitor Visitor
	Page    Page // the visitor's current page
	First   Message
	// Invitation, if set, is the visitor's open invitation the chat accepts.
	Invitation *Invitation
	// InviterOnline says whether a manual invitation's operator is still
	// Online or Away (connected).
	InviterOnline bool
	Timeouts      Timeouts
}

// StartChat makes a chat and its first lines at now. A visitor's chat waits
// for routing. One that accepts an invitation is started by the operator,
// with the invitation text as its first line; a manual invitation's chat
// goes straight to the operator who sent it while they are connected, an
// automated one is routed like a visitor's.
func StartChat(s ChatStart, now time.Time) (Chat, []Message) {
	c := Chat{SiteID: s.Visitor.SiteID, VisitorID: s.Visitor.ID, VisitorName: s.Visitor.Name, VisitorEmail: s.Visitor.Email, State: ChatWaiting,
		StartedBy: AuthorVisitor, Page: s.Page, CreatedAt: now, VisitorActiveAt: now}
	first := s.First
	first.CreatedAt = now
	msgs := []Message{first}
	if inv := s.Invitation; inv != nil {
		c.StartedBy, c.InvitationID = AuthorOperator, inv.ID
		line := systemLine(inv.Text, now)
		if inv.Kind == InvitationManual {
			line.Author, line.OperatorID, line.OperatorName = AuthorOperator, inv.OperatorID, inv.OperatorName
			if s.InviterOnline {
				c.State, c.OperatorID, c.OperatorName, c.AssignedAt = ChatActive, inv.OperatorID, inv.OperatorName, now
				c.Routing = []RoutingEntry{{At: now, Kind: RoutedInvitation, Text: InvitationText(inv.OperatorName)}}
			}
		}
		msgs = append([]Message{line}, msgs...)
	}
	c.Deadline, c.DeadlineReason = Deadline(c, s.Timeouts)
	return c, msgs
}
