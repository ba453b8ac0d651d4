package desk

import (
	"strings"
	"testing"
)

func TestAnonymousForVisitors(t *testing.T) {
	for _, tc := range []struct {
		in   Message
		want Message
	}{
		{Message{Author: AuthorOperator, OperatorID: 3, OperatorName: "John Mathews", Body: "Hi"}, Message{Author: AuthorOperator, OperatorID: 3, OperatorName: "Support", Body: "Hi"}},
		{Message{Author: AuthorVisitor, Body: "Anna Berg transferred the chat to John Mathews"}, Message{Author: AuthorVisitor, Body: "Anna Berg transferred the chat to John Mathews"}},
		{Message{Author: AuthorSystem, Body: TransferLine("Anna Berg", "John Mathews")}, Message{Author: AuthorSystem, Body: TextTransferredNeutral}},
		{Message{Author: AuthorSystem, Body: HandedBackText("John Mathews")}, Message{Author: AuthorSystem, Body: TextHandedBackNeutral}},
		{Message{Author: AuthorSystem, Body: TextChatEnded}, Message{Author: AuthorSystem, Body: TextChatEnded}},
	} {
		if got := AnonymousMessage(tc.in); got != tc.want {
			t.Errorf("AnonymousMessage(%+v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}

	last := Message{Author: AuthorOperator, OperatorName: "Anna Berg", Body: "Bye"}
	c := AnonymousChat(Chat{OperatorID: 2, OperatorName: "Anna Berg", EndedByOperatorName: "Anna Berg", LastMessage: &last,
		Routing: []RoutingEntry{{Text: TakenText("Anna Berg")}}})
	if c.OperatorID != 2 || c.OperatorName != "Support" || c.EndedByOperatorName != "Support" || c.LastMessage.OperatorName != "Support" || c.Routing != nil {
		t.Errorf("AnonymousChat = %+v", c)
	}
	if last.OperatorName != "Anna Berg" {
		t.Error("AnonymousChat changed the chat's own last message")
	}
	if c := AnonymousChat(Chat{}); c.OperatorName != "" || c.EndedByOperatorName != "" {
		t.Errorf("a chat with no operator got a name: %+v", c)
	}
	if inv := AnonymousInvitation(Invitation{OperatorName: "Anna Berg"}); inv.OperatorName != "Support" {
		t.Errorf("AnonymousInvitation = %+v", inv)
	}
	if ty := AnonymousTyping(Typing{Author: AuthorOperator, OperatorName: "Anna Berg"}); ty.OperatorName != "Support" {
		t.Errorf("AnonymousTyping = %+v", ty)
	}
	if got := ManualInvitationText("Hello! {operator} here.", VisitorOperatorName("Anna Berg", false)); strings.Contains(got, "Anna") {
		t.Errorf("invitation text with names off: %q", got)
	}
	if got := VisitorOperatorName("Anna Berg", true); got != "Anna Berg" {
		t.Errorf("names shown: %q", got)
	}
}
