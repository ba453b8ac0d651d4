package storetest

import (
	"errors"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// writer is one side of a chat writing while the other side ends it.
type writer struct {
	name   string
	ref    func(c desk.Chat) store.ChatRef // how the application names the chat
	msg    func(anna desk.Operator) desk.Message
	decide func(anna desk.Operator, m desk.Message) func(c desk.Chat) (desk.ChatChange, error)
	// ender ends the chat from the other side.
	ender func(f *fixture, c desk.Chat, anna desk.Operator, at time.Time) (racer, *changed, desk.Ending)
	// refused is the error the message gets once the chat has ended.
	refused desk.Code
}

var operatorWrites = writer{
	name: "Anna writes",
	ref:  func(c desk.Chat) store.ChatRef { return store.ChatRef{ID: c.ID} },
	msg: func(anna desk.Operator) desk.Message {
		return desk.Message{Author: desk.AuthorOperator, OperatorID: anna.ID, OperatorName: anna.Name, Body: "One moment", ClientID: "op-1", CreatedAt: t0.Add(time.Minute)}
	},
	decide: func(anna desk.Operator, _ desk.Message) func(c desk.Chat) (desk.ChatChange, error) {
		return func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsOperator(c, anna) }
	},
	ender: func(f *fixture, c desk.Chat, _ desk.Operator, at time.Time) (racer, *changed, desk.Ending) {
		return f.visitorEnds(c, at)
	},
	refused: desk.CodeEnded,
}

// visitorWrites names the visitor's open chat, as the widget does: once
// the chat has ended there is none (not found), and the application starts
// a new chat with the message instead.
var visitorWrites = writer{
	name: "the visitor writes",
	ref:  func(c desk.Chat) store.ChatRef { return store.ChatRef{OpenOf: c.VisitorID} },
	msg: func(desk.Operator) desk.Message {
		return desk.Message{Author: desk.AuthorVisitor, Body: "Are you there?", ClientID: "v-1", CreatedAt: t0.Add(time.Minute)}
	},
	decide: func(_ desk.Operator, m desk.Message) func(c desk.Chat) (desk.ChatChange, error) {
		return func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsVisitor(c, m, timeouts) }
	},
	ender: func(f *fixture, c desk.Chat, anna desk.Operator, at time.Time) (racer, *changed, desk.Ending) {
		r, out := f.changeRacer("Anna ends", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.EndByOperator(c, anna, at) })
		return r, out, desk.Ending{By: desk.AuthorOperator, OperatorID: anna.ID, OperatorName: anna.Name, Reason: desk.EndCancel, At: at}
	},
	refused: desk.CodeNotFound,
}

func testRaceOperatorMessageEnd(_ *testing.T, f *fixture) { raceMessageEnd(f, operatorWrites) }
func testRaceVisitorMessageEnd(_ *testing.T, f *fixture)  { raceMessageEnd(f, visitorWrites) }

// raceMessageEnd: a message is sent as the other side ends the chat. It
// lands before the end line, with the seq before it, or it is refused and
// not stored at all — never after the end line. A retry of the message
// afterwards acks the one stored (even in the ended chat), or is refused
// again.
func raceMessageEnd(f *fixture, w writer) {
	f.inBothOrders("message", "end", func(f *fixture, msgFirst bool) {
		t := f.t
		anna := f.operator("Anna Berg", 1, 2)
		c := f.activeChat(anna)
		m := w.msg(anna)
		say, said := f.messageRacer(w.name, w.ref(c), m, w.decide(anna, m))
		end, ended, e := w.ender(f, c, anna, t0.Add(2*time.Minute))
		f.race(inOrder(msgFirst, say, end))

		before := f.appliedBy("the end", ended)
		f.endedOnce(c, e, anna.ID)
		if msgFirst {
			if said.err != nil || !said.created || said.msg.Seq != 2 || said.msg.Body != m.Body || said.chat.LastSeq != 2 {
				t.Fatalf("%s: created=%v seq %d (chat at %d) err=%v, want it stored as seq 2", w.name, said.created, said.msg.Seq, said.chat.LastSeq, said.err)
			}
			if before.LastSeq != 2 {
				t.Fatalf("the end read the chat at seq %d, want 2: it did not see the message", before.LastSeq)
			}
			f.transcript(c.ID, "hello", m.Body, desk.EndText(e.Reason))
		} else {
			if desk.CodeOf(said.err) != w.refused || said.created || said.msg.Seq != 0 {
				t.Fatalf("%s: created=%v seq %d err=%v, want it refused with %s", w.name, said.created, said.msg.Seq, said.err, w.refused)
			}
			f.transcript(c.ID, "hello", desk.EndText(e.Reason))
		}

		// the client did not hear back and sends the message again to the
		// chat it knows
		_, again, created, err := f.s.AddMessage(f.ctx, store.ChatRef{ID: c.ID}, m, w.decide(anna, m))
		if msgFirst && (err != nil || created || again.Seq != 2 || again.Body != m.Body) {
			t.Fatalf("retry of a stored message: created=%v seq %d err=%v, want the ack of seq 2", created, again.Seq, err)
		}
		if !msgFirst && (desk.CodeOf(err) != desk.CodeEnded || created) {
			t.Fatalf("retry of a refused message: created=%v err=%v, want ended", created, err)
		}
		if msgFirst {
			f.transcript(c.ID, "hello", m.Body, desk.EndText(e.Reason))
		} else {
			f.transcript(c.ID, "hello", desk.EndText(e.Reason))
		}
	})
}

// testRaceTwoTabsStart: two tabs of one visitor send the first message at
// once. One chat is made, with the first tab's message; the other tab is
// told of the conflict, and its message, sent again, joins that chat.
func testRaceTwoTabsStart(t *testing.T, f *fixture) {
	f.inBothOrders("tab A", "tab B", func(f *fixture, aFirst bool) {
		t := f.t
		v := f.visitor()
		a, outA := f.createRacer("tab A starts", v, "Hello from tab A", "a-1")
		b, outB := f.createRacer("tab B starts", v, "Hello from tab B", "b-1")
		f.race(inOrder(aFirst, a, b))

		win, lose := inOrder(aFirst, outA, outB)
		winBody, loseBody := inOrder(aFirst, "Hello from tab A", "Hello from tab B")
		_, loseClient := inOrder(aFirst, "a-1", "b-1")
		if win.err != nil || win.chat.ID == 0 || win.chat.State != desk.ChatWaiting || len(win.msgs) != 1 || win.msgs[0].Seq != 1 {
			t.Fatalf("the first tab: chat %d %s, messages %+v, err %v", win.chat.ID, win.chat.State, win.msgs, win.err)
		}
		if !errors.Is(lose.err, desk.ErrConflict) || lose.chat.ID != 0 || lose.msgs != nil {
			t.Fatalf("the second tab: chat %d, messages %+v, err %v; want a conflict and no chat", lose.chat.ID, lose.msgs, lose.err)
		}
		chats, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, VisitorID: v.ID})
		f.must(err)
		if len(chats) != 1 || chats[0].ID != win.chat.ID {
			t.Fatalf("the visitor has %d chats, want only %d", len(chats), win.chat.ID)
		}
		open, err := f.s.OpenChatOf(f.ctx, v.ID)
		f.must(err)
		if open.ID != win.chat.ID {
			t.Fatalf("open chat %d, want %d", open.ID, win.chat.ID)
		}
		// what the application does on the conflict: send to the open chat
		_, m, created, err := f.say(v.ID, loseBody, loseClient, t0.Add(time.Second))
		if err != nil || !created || m.ChatID != win.chat.ID || m.Seq != 2 {
			t.Fatalf("the second tab's message sent again: chat %d seq %d created=%v err=%v", m.ChatID, m.Seq, created, err)
		}
		f.transcript(win.chat.ID, winBody, loseBody)
	})
}
