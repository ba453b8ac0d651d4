package storetest

import (
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// visitorEnds is the widget's "Cancel" on the visitor's open chat, as a
// racer.
func (f *fixture) visitorEnds(c desk.Chat, at time.Time) (racer, *changed, desk.Ending) {
	v := desk.Visitor{ID: c.VisitorID, SiteID: c.SiteID}
	r, out := f.changeRacer("the visitor ends", store.ChatRef{OpenOf: c.VisitorID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.EndByVisitor(c, v, at) })
	return r, out, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: at}
}

// testRaceTakeEnd: an operator takes a ticket as the visitor cancels it.
// Either the take wins and the end then ends an active chat, freeing the
// slot, or the chat ends waiting and the take is told it ended. Never an
// ended chat that counts as someone's, never two end lines.
func testRaceTakeEnd(t *testing.T, f *fixture) {
	f.inBothOrders("take", "end", func(f *fixture, takeFirst bool) {
		t := f.t
		anna := f.operator("Anna Berg", 1, 2)
		c := f.waitingChat(t0)
		take, took := f.changeRacer("Anna takes", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.Take(c, anna, t0.Add(time.Minute))
		})
		end, ended, e := f.visitorEnds(c, t0.Add(2*time.Minute))
		f.race(inOrder(takeFirst, take, end))

		before := f.appliedBy("the end", ended)
		if takeFirst {
			f.appliedBy("Anna takes", took)
			if before.State != desk.ChatActive || before.OperatorID != anna.ID || before.OperatorName != anna.Name {
				t.Fatalf("the end read a %s chat with %d %q, want it active with Anna", before.State, before.OperatorID, before.OperatorName)
			}
			f.endedOnce(c, e, anna.ID)
			f.lastAssigned(anna, t0.Add(time.Minute))
		} else {
			f.refusedWith("Anna takes", took, desk.CodeEnded, "This chat has ended")
			if before.State != desk.ChatWaiting {
				t.Fatalf("the end read a %s chat, want waiting", before.State)
			}
			f.endedOnce(c, e, 0)
			if got := f.stored(c.ID); len(got.Routing) != 0 {
				t.Fatalf("an ended chat was taken: routing %+v", got.Routing)
			}
			f.lastAssigned(anna, time.Time{})
		}
		f.activeChats(anna)
		f.transcript(c.ID, "hello", desk.TextChatEnded)
	})
}

// testRaceHandBackEnd: John goes offline as the visitor cancels his chat.
// Either the chat goes back to the queue and then ends there, or it ends
// and the hand-back leaves it alone: an ended chat never waits again.
func testRaceHandBackEnd(t *testing.T, f *fixture) {
	f.inBothOrders("hand back", "end", func(f *fixture, backFirst bool) {
		t := f.t
		john := f.operator("John Mathews", 1, 2)
		c := f.activeChat(john)
		back, handed := f.changeRacer("John's chat goes back", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.HandBack(c, john.ID, t0.Add(time.Minute)), nil
		})
		end, ended, e := f.visitorEnds(c, t0.Add(2*time.Minute))
		f.race(inOrder(backFirst, back, end))

		before := f.appliedBy("the end", ended)
		if backFirst {
			f.appliedBy("John's chat goes back", handed)
			if before.State != desk.ChatWaiting || before.OperatorID != 0 {
				t.Fatalf("the end read a %s chat with operator %d, want it handed back", before.State, before.OperatorID)
			}
			f.endedOnce(c, e, 0)
			f.transcript(c.ID, "hello", desk.HandedBackText(john.Name), desk.TextChatEnded)
		} else {
			f.unchangedBy("John's chat goes back", handed)
			if r := handed.res.Chat; r.State != desk.ChatEnded {
				t.Fatalf("the hand-back read a %s chat, want the ended one", r.State)
			}
			f.endedOnce(c, e, john.ID)
			f.transcript(c.ID, "hello", desk.TextChatEnded)
		}
		f.activeChats(john)
		waiting, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, VisitorID: c.VisitorID, States: []desk.ChatState{desk.ChatWaiting}})
		f.must(err)
		if len(waiting) != 0 {
			t.Fatalf("the visitor has a waiting chat after the end: %+v", waiting[0])
		}
	})
}

// testRaceTransferEnd: Anna transfers her chat to John as the visitor
// cancels it. Either John gets it and the end then ends his chat, or the
// chat ends with Anna and the transfer is told it ended.
func testRaceTransferEnd(t *testing.T, f *fixture) {
	f.inBothOrders("transfer", "end", func(f *fixture, transferFirst bool) {
		t := f.t
		anna, john := f.operator("Anna Berg", 1, 2), f.operator("John Mathews", 1, 2)
		c := f.activeChat(anna)
		transfer, moved := f.changeRacer("Anna transfers", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.Transfer(c, anna, john, desk.StatusOnline, t0.Add(time.Minute))
		})
		end, ended, e := f.visitorEnds(c, t0.Add(2*time.Minute))
		f.race(inOrder(transferFirst, transfer, end))

		before := f.appliedBy("the end", ended)
		if transferFirst {
			f.appliedBy("Anna transfers", moved)
			if before.State != desk.ChatActive || before.OperatorID != john.ID || before.OperatorName != john.Name {
				t.Fatalf("the end read a %s chat with %d %q, want it with John", before.State, before.OperatorID, before.OperatorName)
			}
			f.endedOnce(c, e, john.ID)
			f.lastAssigned(john, t0.Add(time.Minute))
			f.transcript(c.ID, "hello", desk.TransferLine(anna.Name, john.Name), desk.TextChatEnded)
		} else {
			f.refusedWith("Anna transfers", moved, desk.CodeEnded, "This chat has ended")
			if before.State != desk.ChatActive || before.OperatorID != anna.ID || before.OperatorName != anna.Name {
				t.Fatalf("the end read a %s chat with %d %q, want it with Anna", before.State, before.OperatorID, before.OperatorName)
			}
			f.endedOnce(c, e, anna.ID)
			f.lastAssigned(john, time.Time{})
			f.transcript(c.ID, "hello", desk.TextChatEnded)
		}
		f.activeChats(anna)
		f.activeChats(john)
	})
}

// testRaceEndEnd: Anna clicks "Cancel" as the chat's deadline ends it.
// The first ending counts: one end line, its reason and time; the second
// finds the chat ended and changes nothing.
func testRaceEndEnd(t *testing.T, f *fixture) {
	f.inBothOrders("cancel", "deadline", func(f *fixture, cancelFirst bool) {
		t := f.t
		anna := f.operator("Anna Berg", 1, 2)
		c := f.activeChat(anna) // its deadline is t0+20m
		now, late := t0.Add(21*time.Minute), t0.Add(25*time.Minute)
		cancel, cancelled := f.changeRacer("Anna ends", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.EndByOperator(c, anna, now)
		})
		overdue, timedOut := f.changeRacer("the deadline ends it", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) {
			return desk.EndOverdue(c, late), nil
		})
		byAnna := desk.Ending{By: desk.AuthorOperator, OperatorID: anna.ID, OperatorName: anna.Name, Reason: desk.EndCancel, At: now}
		bySystem := desk.Ending{By: desk.AuthorSystem, Reason: desk.EndInactivity, At: late}
		f.race(inOrder(cancelFirst, cancel, overdue))

		winOut, loseOut := inOrder(cancelFirst, cancelled, timedOut)
		win, _ := inOrder(cancelFirst, byAnna, bySystem)
		f.appliedBy("the first ending", winOut)
		f.unchangedBy("the second ending", loseOut)
		if r := loseOut.res.Chat; r.State != desk.ChatEnded || r.EndReason != win.Reason || !r.EndedAt.Equal(win.At) {
			t.Fatalf("the second ending read a %s chat (ended for %q at %v), want the one the first ended", r.State, r.EndReason, r.EndedAt)
		}
		f.endedOnce(c, win, anna.ID)
		f.activeChats(anna)
		f.transcript(c.ID, "hello", desk.EndText(win.Reason))
	})
}
