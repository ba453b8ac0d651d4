package desk

import "time"

// The Visitor List's status words (SPEC 4).
const (
	StatusBrowsing            = "Browsing"
	StatusInvited             = "Invited"
	StatusInvitationDismissed = "Invitation dismissed"
	StatusWaiting             = "Waiting"
)

// VisitorActivity is the latest chat and invitation of a visitor this visit.
type VisitorActivity struct {
	ChatID        int64
	ChatVersion   int64     // of the chat as last heard: an older copy changes nothing
	ChatState     ChatState // "" when no chat this visit
	OperatorName  string
	EndReason     EndReason
	ChatChangedAt time.Time
	InvitationID  int64
	Invitation    InvitationState // "" when none this visit
	InvitationAt  time.Time       // when it last changed
}

// Status is the row's status text: an open chat or invitation first, else
// whichever ended last.
func (a VisitorActivity) Status() string {
	switch a.ChatState {
	case ChatWaiting:
		return StatusWaiting
	case ChatActive:
		return "Chatting with " + a.OperatorName
	}
	if a.Invitation == InvitationOpen {
		return StatusInvited
	}
	chatEnded := a.ChatState == ChatEnded
	dismissed := a.Invitation == InvitationDismissed
	switch {
	case chatEnded && (!dismissed || !a.InvitationAt.After(a.ChatChangedAt)):
		return EndText(a.EndReason)
	case dismissed:
		return StatusInvitationDismissed
	}
	return StatusBrowsing
}

// CanInvite is false while an invitation is open or a chat is running.
func (a VisitorActivity) CanInvite() bool {
	return a.Invitation != InvitationOpen && a.ChatState != ChatWaiting && a.ChatState != ChatActive
}
