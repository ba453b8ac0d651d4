package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func testCreateChat(t *testing.T, f *fixture) {
	c := f.waitingChat(t0)
	if c.State != desk.ChatWaiting || c.LastSeq != 1 || c.VisitorName == "" || c.Page.Title != "Product" || !c.Deadline.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("created chat = %+v", c)
	}
	stored, err := f.s.Chat(f.ctx, c.ID)
	f.must(err)
	if stored.VisitorName != c.VisitorName || stored.LastSeq != 1 || !stored.CreatedAt.Equal(t0) {
		t.Fatalf("stored chat = %+v, created %+v", stored, c)
	}
	open, err := f.s.OpenChatOf(f.ctx, c.VisitorID)
	f.must(err)
	if open.ID != c.ID {
		t.Fatalf("OpenChatOf = %d, want %d", open.ID, c.ID)
	}
	v, _ := f.s.Visitor(f.ctx, c.VisitorID)
	_, _, err = f.s.CreateChat(f.ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "again"}, Timeouts: timeouts}, t0)
	}})
	wantCode(t, err, desk.CodeConflict)

	// accepting an invitation happens once, with the chat
	v2 := f.visitor()
	op := f.operator("Anna", 1, 0)
	inv, err := f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: f.site.ID, VisitorID: v2.ID, Kind: desk.InvitationManual, OperatorID: op.ID, Text: "Hi", CreatedAt: t0})
	f.must(err)
	accept := func(v desk.Visitor, inv desk.Invitation) store.NewChat {
		return store.NewChat{AcceptInvitation: inv.ID, Build: func() (desk.Chat, []desk.Message) {
			return desk.StartChat(desk.ChatStart{Visitor: v, First: desk.Message{Author: desk.AuthorVisitor, Body: "Yes?", ClientID: "v1"},
				Invitation: &inv, InviterOnline: true, Timeouts: timeouts}, t0)
		}}
	}
	chat, msgs, err := f.s.CreateChat(f.ctx, accept(v2, inv))
	f.must(err)
	if chat.OperatorName != "Anna" || chat.State != desk.ChatActive || chat.StartedBy != desk.AuthorOperator || chat.InvitationID != inv.ID || len(chat.Routing) != 1 {
		t.Fatalf("invitation chat = %+v", chat)
	}
	if len(msgs) != 2 || msgs[0].Seq != 1 || msgs[0].OperatorName != "Anna" || msgs[1].Seq != 2 {
		t.Fatalf("first messages = %+v", msgs)
	}
	if got, _ := f.s.Invitation(f.ctx, inv.ID); got.State != desk.InvitationAccepted {
		t.Fatalf("invitation state = %s, want accepted", got.State)
	}
	if o, _ := f.s.Operator(f.ctx, op.ID); !o.LastAssignedAt.Equal(t0) {
		t.Fatalf("the inviting operator's last assignment = %v", o.LastAssignedAt)
	}
	// an invitation that is no longer open cannot be accepted, and no chat is made
	v3 := f.visitor()
	inv3, err := f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: f.site.ID, VisitorID: v3.ID, Kind: desk.InvitationAutomated, Text: "Hi", CreatedAt: t0})
	f.must(err)
	_, _, err = f.s.CloseInvitation(f.ctx, inv3.ID, desk.InvitationDismissed, t0)
	f.must(err)
	_, _, err = f.s.CreateChat(f.ctx, accept(v3, inv3))
	wantCode(t, err, desk.CodeConflict)
	if _, err := f.s.OpenChatOf(f.ctx, v3.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("a chat was created for a closed invitation: %v", err)
	}
}

func testMessages(t *testing.T, f *fixture) {
	c := f.waitingChat(t0)
	op := f.operator("Anna", 1, 3)
	_, _, _, err := f.answer(c.ID, op, "too early", "op-0", t0)
	wantCode(t, err, desk.CodeForbidden) // take it before writing
	f.take(c.ID, op)
	chat, m, created, err := f.answer(c.ID, op, "Hi!", "op-1", t0.Add(time.Minute))
	f.must(err)
	if !created || m.Seq != 2 || m.OperatorName != "Anna" || chat.LastSeq != 2 {
		t.Fatalf("operator message = %+v created=%v chat seq %d", m, created, chat.LastSeq)
	}
	after, _ := f.s.Chat(f.ctx, c.ID)
	if chat.Version != 2 || after.Version != 2 {
		t.Fatalf("a message after the take: version %d, stored %d; want 2", chat.Version, after.Version)
	}
	if !after.Deadline.Equal(c.Deadline) || after.LastSeq != 2 {
		t.Fatalf("an operator message moved the deadline to %v (seq %d)", after.Deadline, after.LastSeq)
	}
	chat, m, created, err = f.say(c.VisitorID, "Thanks", "v-2", t0.Add(2*time.Minute))
	f.must(err)
	if !created || m.Seq != 3 || chat.ID != c.ID || !chat.Deadline.Equal(t0.Add(22*time.Minute)) {
		t.Fatalf("visitor message = %+v, chat %+v", m, chat)
	}
	after, _ = f.s.Chat(f.ctx, c.ID)
	if !after.Deadline.Equal(t0.Add(22*time.Minute)) || after.DeadlineReason != desk.EndInactivity || after.LastSeq != 3 || !after.VisitorActiveAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("after a visitor message: deadline %v (%s), last seq %d", after.Deadline, after.DeadlineReason, after.LastSeq)
	}
	// a retry with the same client id stores nothing new
	_, again, created, err := f.say(c.VisitorID, "Thanks", "v-2", t0.Add(3*time.Minute))
	f.must(err)
	if created || again.Seq != 3 {
		t.Fatalf("retry: created=%v seq=%d, want the first message (3)", created, again.Seq)
	}
	all, err := f.s.Messages(f.ctx, c.ID, 0, 0)
	f.must(err)
	if len(all) != 3 {
		t.Fatalf("%d messages stored, want 3", len(all))
	}
	for i, m := range all {
		if m.Seq != int64(i+1) {
			t.Fatalf("seqs %v are not 1..n", all)
		}
	}
	tail, _ := f.s.Messages(f.ctx, c.ID, 1, 1)
	if len(tail) != 1 || tail[0].Seq != 2 {
		t.Fatalf("Messages after 1, limit 1 = %+v", tail)
	}
	// an ended chat takes no messages, but a retry of a stored one still acks
	f.end(c.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0.Add(4 * time.Minute)})
	_, _, _, err = f.answer(c.ID, op, "late", "op-3", t0)
	wantCode(t, err, desk.CodeEnded)
	if _, _, created, err := f.answer(c.ID, op, "Hi!", "op-1", t0); err != nil || created {
		t.Fatalf("operator retry after end: created=%v err=%v", created, err)
	}
	if _, _, _, err := f.say(c.VisitorID, "late", "v-3", t0); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("a visitor without an open chat: %v, want not found", err)
	}
	// the visitor's retry finds its message in the ended chat
	if prev, err := f.s.VisitorMessage(f.ctx, c.VisitorID, "v-2"); err != nil || prev.ChatID != c.ID || prev.Seq != 3 || prev.Body != "Thanks" {
		t.Fatalf("VisitorMessage = %+v, %v", prev, err)
	}
	if _, err := f.s.VisitorMessage(f.ctx, c.VisitorID, "op-1"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("an operator's client id is not the visitor's: %v", err)
	}
	_, _, _, err = f.answer(424242, op, "x", "x", t0)
	wantCode(t, err, desk.CodeNotFound)
}

func testTakeChat(t *testing.T, f *fixture) {
	anna, john := f.operator("Anna Berg", 1, 0), f.operator("John Mathews", 1, 0)
	c := f.waitingChat(t0)
	got := f.take(c.ID, anna) // above her limit of 0: taking is a person's choice
	if got.OperatorID != anna.ID || got.OperatorName != "Anna Berg" || got.State != desk.ChatActive || got.Routing[len(got.Routing)-1].Text != "Taken by Anna Berg" {
		t.Fatalf("taken chat = %+v", got)
	}
	stored, _ := f.s.Chat(f.ctx, c.ID)
	if stored.OperatorID != anna.ID || stored.State != desk.ChatActive || len(stored.Routing) != 1 || !stored.AssignedAt.Equal(t0) {
		t.Fatalf("stored taken chat = %+v", stored)
	}
	if c.Version != 0 || got.Version != 1 || stored.Version != 1 {
		t.Fatalf("versions: created %d, taken %d, stored %d; want 0, 1, 1", c.Version, got.Version, stored.Version)
	}
	if a, _ := f.s.Operator(f.ctx, anna.ID); !a.LastAssignedAt.Equal(t0) {
		t.Fatalf("last assignment not stamped: %v", a.LastAssignedAt)
	}
	if again := f.take(c.ID, anna); again.OperatorID != anna.ID {
		t.Fatal("taking one's own chat again failed")
	}
	_, err := f.change(store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, john, t0) })
	wantCode(t, err, desk.CodeTaken)
	if err.Error() != "This chat was already taken by Anna Berg" {
		t.Fatalf("message = %q", err.Error())
	}
	ended := f.end(c.ID, desk.Ending{By: desk.AuthorOperator, OperatorID: anna.ID, OperatorName: anna.Name, Reason: desk.EndCancel, At: t0})
	stored, _ = f.s.Chat(f.ctx, c.ID)
	if !ended.Changed || stored.EndedBy != desk.AuthorOperator || stored.EndedByOperatorID != anna.ID || stored.EndedByOperatorName != "Anna Berg" {
		t.Fatalf("ended by %s %d %q, want Anna Berg", stored.EndedBy, stored.EndedByOperatorID, stored.EndedByOperatorName)
	}
	_, err = f.change(store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, john, t0) })
	wantCode(t, err, desk.CodeEnded)
	_, err = f.change(store.ChatRef{ID: 999999}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, john, t0) })
	wantCode(t, err, desk.CodeNotFound)
}

// testTakeChatRace: two operators take one ticket at the same instant, 100
// times → one winner each time.
func testTakeChatRace(t *testing.T, f *fixture) {
	a, b := f.operator("Anna Berg", 1, 1), f.operator("John Mathews", 1, 1)
	for i := 0; i < 100; i++ {
		c := f.waitingChat(t0)
		var wg sync.WaitGroup
		results := make([]error, 2)
		start := make(chan struct{})
		for j, op := range []desk.Operator{a, b} {
			wg.Add(1)
			go func(j int, op desk.Operator) {
				defer wg.Done()
				<-start
				_, results[j] = f.change(store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, op, t0) })
			}(j, op)
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range results {
			switch {
			case err == nil:
				wins++
			case desk.CodeOf(err) != desk.CodeTaken:
				t.Fatalf("round %d: loser got %v, want taken", i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d winners", i, wins)
		}
	}
}

func testTransferAndHandBack(t *testing.T, f *fixture) {
	anna, john := f.operator("Anna Berg", 1, 3), f.operator("John Mathews", 1, 3)
	transfer := func(chatID int64) (store.ChatResult, error) {
		return f.change(store.ChatRef{ID: chatID}, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.Transfer(c, anna, john, desk.StatusOnline, t0.Add(time.Second))
		})
	}
	c := f.waitingChat(t0)
	_, err := transfer(c.ID)
	wantCode(t, err, desk.CodeInvalid) // a waiting chat is taken, not transferred
	f.take(c.ID, anna)
	res, err := transfer(c.ID)
	f.must(err)
	moved := res.Chat
	if moved.OperatorID != john.ID || len(res.Lines) != 1 || res.Lines[0].Body != "Anna Berg transferred the chat to John Mathews" ||
		res.Lines[0].Author != desk.AuthorSystem || res.Lines[0].Seq != 2 || res.Before.OperatorID != anna.ID ||
		moved.Routing[len(moved.Routing)-1].Text != "Transferred by Anna Berg to John Mathews" {
		t.Fatalf("transfer: %+v", res)
	}
	if stored, _ := f.s.Chat(f.ctx, c.ID); stored.OperatorID != john.ID || stored.LastSeq != 2 || len(stored.Routing) != 2 {
		t.Fatalf("stored after transfer: %+v", stored)
	}
	_, err = transfer(c.ID)
	wantCode(t, err, desk.CodeForbidden) // Anna no longer has it

	c2 := f.waitingChat(t0)
	f.take(c2.ID, john)
	ids, err := f.s.ActiveChatsOf(f.ctx, john.ID)
	f.must(err)
	if len(ids) != 2 || ids[0] != c.ID || ids[1] != c2.ID {
		t.Fatalf("John's active chats = %v", ids)
	}
	for _, id := range ids {
		res, err := f.change(store.ChatRef{ID: id}, func(c desk.Chat) (desk.ChatChange, error) { return desk.HandBack(c, john.ID, t0.Add(time.Minute)), nil })
		f.must(err)
		b := res.Chat
		if !res.Changed || b.State != desk.ChatWaiting || b.OperatorID != 0 || b.Routing[len(b.Routing)-1].Kind != desk.RoutedHandedBack {
			t.Fatalf("handed back chat = %+v", b)
		}
		if len(res.Lines) != 1 || res.Lines[0].Body != "John Mathews went offline. The chat is waiting for another operator." {
			t.Fatalf("lines = %+v", res.Lines)
		}
	}
	if counts, _ := f.s.ActiveChatCounts(f.ctx, f.site.ID); counts[john.ID] != 0 {
		t.Fatalf("John still has %d chats", counts[john.ID])
	}
	if stored, _ := f.s.Chat(f.ctx, c2.ID); stored.State != desk.ChatWaiting || stored.OperatorID != 0 || !stored.AssignedAt.IsZero() {
		t.Fatalf("stored after hand back: %+v", stored)
	}
}

func testEndChat(t *testing.T, f *fixture) {
	c := f.waitingChat(t0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ends := 0
	for _, why := range []desk.EndReason{desk.EndCancel, desk.EndInactivity, desk.EndLeft, desk.EndCancel} {
		wg.Add(1)
		go func(why desk.EndReason) {
			defer wg.Done()
			res, err := f.change(store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) {
				return desk.End(c, desk.Ending{By: desk.AuthorSystem, Reason: why, At: t0.Add(time.Minute)}), nil
			})
			if err != nil {
				t.Error(err)
			}
			if res.Changed {
				mu.Lock()
				ends++
				mu.Unlock()
			}
		}(why)
	}
	wg.Wait()
	if ends != 1 {
		t.Fatalf("the chat ended %d times, want once", ends)
	}
	got, _ := f.s.Chat(f.ctx, c.ID)
	if got.State != desk.ChatEnded || got.EndReason == "" || !got.Deadline.IsZero() || got.LastSeq != 2 || !got.EndedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("ended chat = %+v (want one end line after the first message)", got)
	}
	msgs, _ := f.s.Messages(f.ctx, c.ID, 1, 0)
	if len(msgs) != 1 || msgs[0].Body != desk.EndText(got.EndReason) {
		t.Fatalf("end lines = %+v", msgs)
	}
	// a decision that fails changes nothing
	boom := errors.New("boom")
	res, err := f.change(store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.ChatChange{Chat: c, Changed: true}, boom })
	if !errors.Is(err, boom) || res.Changed || res.Chat.ID != c.ID {
		t.Fatalf("failed decision: %+v, %v", res, err)
	}
}

func testDeadlines(t *testing.T, f *fixture) {
	early, late := f.waitingChat(t0), f.waitingChat(t0.Add(time.Minute))
	next, err := f.s.NextDeadline(f.ctx)
	f.must(err)
	if !next.Equal(early.Deadline) {
		t.Fatalf("NextDeadline = %v, want %v", next, early.Deadline)
	}
	due, _ := f.s.DueChats(f.ctx, t0.Add(20*time.Minute))
	if len(due) != 1 || due[0].ID != early.ID {
		t.Fatalf("DueChats at +20m = %+v", due)
	}
	left := func(at, now time.Time) store.ChatResult {
		t.Helper()
		res, err := f.change(store.ChatRef{OpenOf: late.VisitorID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.VisitorLeft(c, at, now, timeouts), nil })
		f.must(err)
		return res
	}
	// the late chat's visitor leaves at +2m: left timeout 5m → due at +7m
	res := left(t0.Add(2*time.Minute), t0.Add(2*time.Minute))
	if !res.Changed || !res.Chat.Deadline.Equal(t0.Add(7*time.Minute)) || res.Chat.DeadlineReason != desk.EndLeft || res.Lines[0].Body != "Visitor left the site" {
		t.Fatalf("left: %+v", res)
	}
	if res := left(t0.Add(3*time.Minute), t0.Add(3*time.Minute)); res.Changed {
		t.Fatal("leaving twice changed the chat")
	}
	due, _ = f.s.DueChats(f.ctx, t0.Add(7*time.Minute))
	if len(due) != 1 || due[0].ID != late.ID || !due[0].VisitorLeftAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("DueChats at +7m = %+v, want the left chat", due)
	}
	// back in time: the inactivity deadline again
	res = left(time.Time{}, t0.Add(4*time.Minute))
	if !res.Changed || !res.Chat.VisitorLeftAt.IsZero() || !res.Chat.Deadline.Equal(t0.Add(21*time.Minute)) || res.Chat.DeadlineReason != desk.EndInactivity || res.Lines[0].Body != "Visitor returned to the site" {
		t.Fatalf("back: %+v", res)
	}
	// a chat found due whose deadline moved since stays open
	if res, _ := f.change(store.ChatRef{ID: late.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.EndOverdue(c, t0.Add(7*time.Minute)), nil }); res.Changed {
		t.Fatal("a chat whose deadline moved was ended")
	}
	f.end(early.ID, desk.Ending{By: desk.AuthorSystem, Reason: desk.EndInactivity, At: t0})
	next, _ = f.s.NextDeadline(f.ctx)
	if !next.Equal(t0.Add(21 * time.Minute)) {
		t.Fatalf("NextDeadline after ending the early chat = %v", next)
	}
}
