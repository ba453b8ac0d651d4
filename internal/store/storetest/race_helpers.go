package storetest

import (
	"errors"
	"slices"
	"strings"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// changed is what a racing ChangeChat returned.
type changed struct {
	res store.ChatResult
	err error
}

// changeRacer changes the chat ref names with decide, pausing once the
// store has read and held the chat, before decide runs.
func (f *fixture) changeRacer(name string, ref store.ChatRef, decide func(c desk.Chat) (desk.ChatChange, error)) (racer, *changed) {
	out := &changed{}
	return racer{name: name, run: func(pause func()) {
		out.res, out.err = f.s.ChangeChat(f.ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
			pause()
			return decide(tx.Chat())
		})
	}}, out
}

// written is what a racing AddMessage returned.
type written struct {
	chat    desk.Chat
	msg     desk.Message
	created bool
	err     error
}

// messageRacer adds m to the chat ref names, pausing once the store has
// read and held the chat, before decide runs.
func (f *fixture) messageRacer(name string, ref store.ChatRef, m desk.Message, decide func(c desk.Chat) (desk.ChatChange, error)) (racer, *written) {
	out := &written{}
	return racer{name: name, run: func(pause func()) {
		out.chat, out.msg, out.created, out.err = f.s.AddMessage(f.ctx, ref, m, func(c desk.Chat) (desk.ChatChange, error) {
			pause()
			return decide(c)
		})
	}}, out
}

// created is what a racing CreateChat returned.
type created struct {
	chat desk.Chat
	msgs []desk.Message
	err  error
}

// createRacer starts the visitor's chat with a first message, pausing inside
// Build: inside the transaction, before the row is written.
func (f *fixture) createRacer(name string, v desk.Visitor, body, clientID string) (racer, *created) {
	out := &created{}
	return racer{name: name, run: func(pause func()) {
		out.chat, out.msgs, out.err = f.s.CreateChat(f.ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
			pause()
			return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: body, ClientID: clientID},
				Timeouts: timeouts}, t0)
		}})
	}}, out
}

// activeChat is a new chat taken by op.
func (f *fixture) activeChat(op desk.Operator) desk.Chat {
	f.t.Helper()
	return f.take(f.waitingChat(t0).ID, op)
}

// stored reads a chat back from the store.
func (f *fixture) stored(id int64) desk.Chat {
	f.t.Helper()
	c, err := f.s.Chat(f.ctx, id)
	f.must(err)
	return c
}

// transcript checks a chat's messages are exactly bodies, numbered 1..n with
// no gap, and that the chat's last seq is n: a line written after the end,
// a second end line or a lost message all show here.
func (f *fixture) transcript(chatID int64, bodies ...string) {
	f.t.Helper()
	msgs, err := f.s.Messages(f.ctx, chatID, 0, 0)
	f.must(err)
	var got []string
	for i, m := range msgs {
		got = append(got, m.Body)
		if m.Seq != int64(i+1) {
			f.t.Fatalf("chat %d: message %q has seq %d at position %d", chatID, m.Body, m.Seq, i+1)
		}
	}
	if !slices.Equal(got, bodies) {
		f.t.Fatalf("chat %d transcript:\n  %s\nwant:\n  %s", chatID, strings.Join(got, "\n  "), strings.Join(bodies, "\n  "))
	}
	if c := f.stored(chatID); c.LastSeq != int64(len(msgs)) {
		f.t.Fatalf("chat %d: last seq %d, but %d messages", chatID, c.LastSeq, len(msgs))
	}
}

// activeChats checks the chats an operator is counted as holding, by both
// ways the store reports them.
func (f *fixture) activeChats(op desk.Operator, want ...int64) {
	f.t.Helper()
	ids, err := f.s.ActiveChatsOf(f.ctx, op.ID)
	f.must(err)
	counts, err := f.s.ActiveChatCounts(f.ctx, f.site.ID)
	f.must(err)
	if !slices.Equal(ids, want) || counts[op.ID] != len(want) {
		f.t.Fatalf("%s holds chats %v (counted %d), want %v", op.Name, ids, counts[op.ID], want)
	}
}

// lastAssigned checks when an operator was last given a chat (zero: never).
func (f *fixture) lastAssigned(op desk.Operator, want time.Time) {
	f.t.Helper()
	o, err := f.s.Operator(f.ctx, op.ID)
	f.must(err)
	if !o.LastAssignedAt.Equal(want) {
		f.t.Fatalf("%s last assigned at %v, want %v", op.Name, o.LastAssignedAt, want)
	}
}

// endedOnce checks a chat ended, as e says, and is open no more.
func (f *fixture) endedOnce(c desk.Chat, e desk.Ending, operatorID int64) {
	f.t.Helper()
	got := f.stored(c.ID)
	if got.State != desk.ChatEnded || got.OperatorID != operatorID || got.EndedBy != e.By || got.EndReason != e.Reason || !got.EndedAt.Equal(e.At) ||
		got.EndedByOperatorID != e.OperatorID || !got.Deadline.IsZero() {
		f.t.Fatalf("chat after the race = %s with operator %d, ended by %s %d for %s at %v, deadline %v; want ended with operator %d, as %+v",
			got.State, got.OperatorID, got.EndedBy, got.EndedByOperatorID, got.EndReason, got.EndedAt, got.Deadline, operatorID, e)
	}
	if open, err := f.s.OpenChatOf(f.ctx, c.VisitorID); !errors.Is(err, desk.ErrNotFound) {
		f.t.Fatalf("the visitor still has an open chat: %+v (%v)", open, err)
	}
}

// unchangedBy checks a racer's change was a no-op without error.
func (f *fixture) unchangedBy(name string, out *changed) {
	f.t.Helper()
	if out.err != nil || out.res.Changed {
		f.t.Fatalf("%s: changed=%v err=%v, want no change and no error", name, out.res.Changed, out.err)
	}
}

// appliedBy checks a racer's change was applied, and returns what it read.
func (f *fixture) appliedBy(name string, out *changed) desk.Chat {
	f.t.Helper()
	if out.err != nil || !out.res.Changed {
		f.t.Fatalf("%s: changed=%v err=%v, want it applied", name, out.res.Changed, out.err)
	}
	return out.res.Before
}

// refusedWith checks a racer's change was refused with exactly the error a
// client would be shown, and changed nothing.
func (f *fixture) refusedWith(name string, out *changed, code desk.Code, message string) {
	f.t.Helper()
	if desk.CodeOf(out.err) != code || out.res.Changed || (message != "" && out.err.Error() != message) {
		f.t.Fatalf("%s: changed=%v err=%v, want %s %q", name, out.res.Changed, out.err, code, message)
	}
}
