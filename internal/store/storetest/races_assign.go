package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// assignRacer routes a waiting chat as the Automatic chat rule does, once:
// the operators' load, the decision, then the operator picked held and
// counted. It pauses there, with the count read, before Assign decides on
// it. It fails unless routing picks want or nobody.
func (f *fixture) assignRacer(name string, chatID int64, want desk.Operator, now time.Time) (racer, *changed) {
	out := &changed{}
	return racer{name: name, run: func(pause func()) {
		out.res, out.err = f.s.ChangeChat(f.ctx, store.ChatRef{ID: chatID}, func(tx store.ChatTx) (desk.ChatChange, error) {
			var d desk.Decision
			var target desk.Candidate
			ops, active, err := tx.Load()
			if err == nil {
				d = desk.Routing{ChatRule: desk.ChatRuleAutomatic, Operators: candidates(ops, active)}.Route(tx.Chat().Page)
				if d.OperatorID != 0 && d.OperatorID != want.ID {
					err = fmt.Errorf("routing picked %s, not %s", d.OperatorName, want.Name)
				} else if d.OperatorID != 0 {
					op, n, opErr := tx.Operator(d.OperatorID)
					target, err = candidate(op, n), opErr
				}
			}
			pause()
			if err != nil {
				return desk.ChatChange{}, err
			}
			return desk.Assign(tx.Chat(), d, target, now)
		})
	}}, out
}

// testRaceAssignAtLimit: John (chat limit 2) holds one chat, and two
// waiting chats are routed to him at once. Exactly one gets him; the other
// is refused with ErrNoRoom (it counted John under his hold after the
// first was assigned) or, decided after the first, waits with "no room" —
// and when decided again it still waits. John never holds 3.
func testRaceAssignAtLimit(t *testing.T, f *fixture) {
	f.inBothOrders("first chat", "second chat", func(f *fixture, aFirst bool) {
		t := f.t
		// each run's John is new; the last run's John is full and never picked
		john := f.operator("John Mathews", 1, 2)
		held := f.activeChat(john)
		c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
		atA, atB := t0.Add(time.Minute), t0.Add(2*time.Minute)
		a, outA := f.assignRacer("routing the first chat", c1.ID, john, atA)
		b, outB := f.assignRacer("routing the second chat", c2.ID, john, atB)
		f.race(inOrder(aFirst, a, b))

		win, lose := inOrder(aFirst, c1, c2)
		winOut, loseOut := inOrder(aFirst, outA, outB)
		winAt, _ := inOrder(aFirst, atA, atB)
		if before := f.appliedBy("the first routing", winOut); before.State != desk.ChatWaiting {
			t.Fatalf("the first routing read a %s chat", before.State)
		}
		got := f.stored(win.ID)
		if got.State != desk.ChatActive || got.OperatorID != john.ID || len(got.Routing) != 1 || got.Routing[0].Kind != desk.RoutedAutomatic ||
			got.Routing[0].Text != "Automatic: priority 1, 2 of 2 chats" {
			t.Fatalf("the chat routed first = %s with operator %d, routing %+v", got.State, got.OperatorID, got.Routing)
		}

		switch {
		case errors.Is(loseOut.err, desk.ErrNoRoom) && !loseOut.res.Changed:
			if c := f.stored(lose.ID); c.State != desk.ChatWaiting || len(c.Routing) != 0 {
				t.Fatalf("a refused routing left the chat %s with routing %+v", c.State, c.Routing)
			}
			// what the application does next: decide again
			res, err := routeAutomatic(f, store.ChatRef{ID: lose.ID}, atB)
			f.must(err)
			if res.Chat.State != desk.ChatWaiting || res.Chat.OperatorID != 0 {
				t.Fatalf("the chat routed second, decided again: %s with operator %d, want waiting", res.Chat.State, res.Chat.OperatorID)
			}
		case loseOut.err == nil && loseOut.res.Changed:
			waitsForRoom(t, "decided after the first", loseOut.res.Chat)
		default:
			t.Fatalf("the second routing: changed=%v err=%v (chat %s, operator %d), want ErrNoRoom or a chat left waiting",
				loseOut.res.Changed, loseOut.err, loseOut.res.Chat.State, loseOut.res.Chat.OperatorID)
		}
		if c := f.stored(lose.ID); c.State != desk.ChatWaiting || c.OperatorID != 0 {
			t.Fatalf("the chat routed second is stored %s with operator %d, want waiting", c.State, c.OperatorID)
		}
		f.activeChats(john, held.ID, win.ID)
		f.lastAssigned(john, winAt)
	})
}

// waitsForRoom checks a chat routing left waiting because John is full.
func waitsForRoom(t *testing.T, what string, c desk.Chat) {
	t.Helper()
	if c.State != desk.ChatWaiting || c.OperatorID != 0 || len(c.Routing) == 0 {
		t.Fatalf("the chat routed second, %s: %s with operator %d, routing %+v; want waiting for room", what, c.State, c.OperatorID, c.Routing)
	}
	last := c.Routing[len(c.Routing)-1]
	if last.Kind != desk.RoutedNoRoom || !slices.Contains(last.PassedOver, "John Mathews: at chat limit 2/2") {
		t.Fatalf("the chat routed second, %s: last routing %+v; want no room, John at 2/2", what, last)
	}
}

// testRaceTakeTake: two operators click "Accept" on one ticket at once.
// The first gets it; the second is told who has it, and nothing of theirs
// is written.
func testRaceTakeTake(t *testing.T, f *fixture) {
	f.inBothOrders("Anna", "John", func(f *fixture, annaFirst bool) {
		t := f.t
		anna, john := f.operator("Anna Berg", 1, 1), f.operator("John Mathews", 1, 1)
		c := f.waitingChat(t0)
		take := func(op desk.Operator, at time.Time) (racer, *changed) {
			return f.changeRacer(op.Name+" takes", store.ChatRef{ID: c.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, op, at) })
		}
		atA, atJ := t0.Add(time.Minute), t0.Add(2*time.Minute)
		a, outA := take(anna, atA)
		b, outB := take(john, atJ)
		f.race(inOrder(annaFirst, a, b))

		winner, loser := inOrder(annaFirst, anna, john)
		winOut, loseOut := inOrder(annaFirst, outA, outB)
		winAt, _ := inOrder(annaFirst, atA, atJ)
		f.appliedBy(winner.Name+" takes", winOut)
		f.refusedWith(loser.Name+" takes", loseOut, desk.CodeTaken, "This chat was already taken by "+winner.Name)
		if r := loseOut.res.Chat; r.OperatorID != winner.ID || r.OperatorName != winner.Name {
			t.Fatalf("the refused take returned the chat as operator %d %q, want %s's", r.OperatorID, r.OperatorName, winner.Name)
		}
		got := f.stored(c.ID)
		if got.State != desk.ChatActive || got.OperatorID != winner.ID || got.OperatorName != winner.Name || !got.AssignedAt.Equal(winAt) ||
			len(got.Routing) != 1 || got.Routing[0].Text != desk.TakenText(winner.Name) {
			t.Fatalf("taken chat = %s with %d %q at %v, routing %+v", got.State, got.OperatorID, got.OperatorName, got.AssignedAt, got.Routing)
		}
		f.activeChats(winner, c.ID)
		f.activeChats(loser)
		f.lastAssigned(winner, winAt)
		f.lastAssigned(loser, time.Time{})
		f.transcript(c.ID, "hello")
	})
}
