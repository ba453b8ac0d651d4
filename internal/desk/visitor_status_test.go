package desk

import (
	"testing"
	"time"
)

func TestVisitorActivityStatus(t *testing.T) {
	tests := []struct {
		a         VisitorActivity
		want      string
		canInvite bool
	}{
		{VisitorActivity{}, "Browsing", true},
		{VisitorActivity{Invitation: InvitationOpen}, "Invited", false},
		{VisitorActivity{Invitation: InvitationDismissed}, "Invitation dismissed", true},
		{VisitorActivity{ChatState: ChatWaiting}, "Waiting", false},
		{VisitorActivity{ChatState: ChatActive, OperatorName: "John Mathews"}, "Chatting with John Mathews", false},
		{VisitorActivity{ChatState: ChatEnded, EndReason: EndCancel}, "Chat Ended", true},
		{VisitorActivity{ChatState: ChatEnded, EndReason: EndInactivity}, "Due to inactivity, chat has ended", true},
		{VisitorActivity{ChatState: ChatEnded, EndReason: EndLeft}, "Due to inactivity, chat has ended", true},
		{VisitorActivity{ChatState: ChatEnded, EndReason: EndCancel, ChatChangedAt: t0, Invitation: InvitationDismissed, InvitationAt: t0.Add(time.Second)}, "Invitation dismissed", true},
		{VisitorActivity{ChatState: ChatEnded, EndReason: EndCancel, ChatChangedAt: t0.Add(time.Second), Invitation: InvitationDismissed, InvitationAt: t0}, "Chat Ended", true},
		{VisitorActivity{ChatState: ChatEnded, EndReason: EndCancel, Invitation: InvitationOpen}, "Invited", false},
	}
	for _, tc := range tests {
		if got := tc.a.Status(); got != tc.want {
			t.Errorf("%+v: Status = %q, want %q", tc.a, got, tc.want)
		}
		if got := tc.a.CanInvite(); got != tc.canInvite {
			t.Errorf("%+v: CanInvite = %v, want %v", tc.a, got, tc.canInvite)
		}
	}
}
