package bus

import (
	"testing"
	"time"

	"outputdesk/internal/desk"
)

func TestEventRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	msg := desk.Message{ChatID: 12, Seq: 2, Author: desk.AuthorVisitor, Body: "Hi", ClientID: "c", CreatedAt: at}
	chat := desk.Chat{ID: 12, SiteID: 1, VisitorID: 5, VisitorName: "Visitor K3F9QD", State: desk.ChatActive, OperatorID: 3, OperatorName: "John",
		CreatedAt: at, Deadline: at.Add(time.Hour), LastSeq: 2, LastMessage: &msg,
		Routing: []desk.RoutingEntry{{At: at, Kind: desk.RoutedAutomatic, Text: "Automatic", PassedOver: []string{"Anna: Away"}}}}
	e := Event{Kind: KindChat, SiteID: 1, Chat: &chat, PrevState: desk.ChatWaiting}
	got, err := DecodeEvent(e.Encode())
	if err != nil {
		t.Fatal(err)
	}
	c := got.Chat
	if got.Kind != KindChat || got.PrevState != desk.ChatWaiting || c.ID != 12 || c.OperatorName != "John" || !c.Deadline.Equal(chat.Deadline) ||
		c.LastMessage == nil || c.LastMessage.Body != "Hi" || len(c.Routing) != 1 || c.Routing[0].PassedOver[0] != "Anna: Away" || got.ChatID() != 12 {
		t.Fatalf("round trip: %+v", got)
	}
	op := desk.Operator{ID: 3, Name: "John", PasswordHash: "$2a$secret"}
	got, _ = DecodeEvent(Event{Kind: KindOperator, Operator: &op, Status: desk.StatusOnline, Active: 2}.Encode())
	if got.Operator.PasswordHash != "" || got.Operator.Name != "John" || got.Active != 2 || op.PasswordHash == "" {
		t.Fatalf("operator event: %+v (the caller's operator: %+v)", got.Operator, op)
	}
	if _, err := DecodeEvent([]byte("{")); err == nil {
		t.Fatal("a broken payload decoded")
	}
}
