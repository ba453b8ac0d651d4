package desk

import (
	"testing"
	"time"
)

func TestMoveQueue(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	waiting := func(id int64, p Page) Chat { return Chat{ID: id, State: ChatWaiting, Page: p} }
	r := Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{rule(1, "Product page", 1, 1, urlProduct)},
		Operators: []Candidate{op(1, "John Mathews", StatusOnline, 1, 2, 1, 0), op(2, "Anna Berg", StatusOnline, 2, 3, 2, 0)}}
	chats := []Chat{waiting(1, pricingPage), waiting(2, productPage), waiting(3, productPage), waiting(4, pricingPage)}
	got := r.MoveQueue(chats, now, func(c Chat) bool { return c.ID == 4 })
	// room: John 1, Anna 1. Chat 1 (oldest) takes John (priority), chat 2
	// (product page, John full now) takes Anna; chat 3 is the first nobody
	// has room for: it and chat 4 wait; only chat 4 keeps why.
	if len(got) != 3 {
		t.Fatalf("%d changes, want 3: %+v", len(got), got)
	}
	if got[0].Chat.ID != 1 || got[0].Chat.OperatorID != 1 || !got[0].Assigned {
		t.Errorf("chat 1: %+v", got[0].Chat)
	}
	if got[1].Chat.ID != 2 || got[1].Chat.OperatorID != 2 || got[1].Routing.Kind != RoutedAutomatic {
		t.Errorf("chat 2: %+v %+v", got[1].Chat, got[1].Routing)
	}
	if got[2].Chat.ID != 4 || got[2].Assigned || got[2].Chat.State != ChatWaiting || got[2].Routing.Kind != RoutedNoRoom {
		t.Errorf("chat 4: %+v %+v", got[2].Chat, got[2].Routing)
	}
	if r.Operators[0].Active != 1 {
		t.Error("MoveQueue changed the caller's operators")
	}
	// a chat taken meanwhile (no longer waiting) is left alone
	chats[0].State = ChatActive
	if got := r.MoveQueue(chats[:1], now, nil); len(got) != 0 {
		t.Errorf("a chat no longer waiting changed: %+v", got)
	}
}
