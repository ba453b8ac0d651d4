package bus

import (
	"io"
	"log/slog"
	"testing"

	"outputdesk/internal/desk"
)

// heard is an Observer that keeps what it heard, and what a subscriber
// had been given by then.
type heard struct {
	changes     [][2]desk.Chat
	messages    []desk.Message
	failures    int
	delivered   *int // messages the subscriber has got
	deliveredAt []int
}

func (h *heard) ChatChanged(before, after desk.Chat) {
	h.changes = append(h.changes, [2]desk.Chat{before, after})
}
func (h *heard) MessageAnnounced(m desk.Message) {
	h.messages = append(h.messages, m)
	h.deliveredAt = append(h.deliveredAt, *h.delivered)
}
func (h *heard) PublishFailed() { h.failures++ }

// The observer hears each change the announcer logs, each message once it
// is published, and each publish the bus refuses.
func TestAnnouncerObserver(t *testing.T) {
	b := NewMemory()
	delivered := 0
	if _, err := b.Subscribe(ChatSubject(3), func([]byte) { delivered++ }); err != nil {
		t.Fatal(err)
	}
	h := &heard{delivered: &delivered}
	a := Announcer{Bus: b, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Observe: h}

	before := desk.Chat{ID: 3, State: desk.ChatWaiting}
	after := desk.Chat{ID: 3, State: desk.ChatActive, OperatorID: 7}
	line := desk.Message{ChatID: 3, Seq: 2, Author: desk.AuthorSystem, Body: "Taken"}
	a.Change(before, after, []desk.Message{line})
	a.Logged(desk.Chat{}, before)
	if len(h.changes) != 2 || h.changes[0][0].State != desk.ChatWaiting || h.changes[0][1].OperatorID != 7 || h.changes[1][0].ID != 0 || h.changes[1][1].ID != 3 {
		t.Errorf("changes heard: %+v", h.changes)
	}

	a.Message(desk.Message{ChatID: 3, Seq: 3, Author: desk.AuthorVisitor, ClientID: "c"})
	if len(h.messages) != 2 || h.messages[1].Seq != 3 || h.deliveredAt[1] != 2 {
		t.Errorf("messages heard %+v, with %v delivered when each was heard; want the second after its delivery", h.messages, h.deliveredAt)
	}
	if h.failures != 0 {
		t.Fatalf("%d failures heard from a working bus", h.failures)
	}

	b.Close()
	a.Message(desk.Message{ChatID: 3, Seq: 4})
	a.Chat(after, desk.ChatWaiting, 0)
	if h.failures != 2 {
		t.Errorf("failures heard after the bus closed = %d, want 2", h.failures)
	}
}
