package storetest

import (
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// moved is what a racing MoveQueue returned.
type moved struct {
	res []store.ChatResult
	err error
}

// moveRacer moves the queue as the application does — the operators' load,
// the decision, each operator it picks held and counted again, decided
// again until every one picked is held — and pauses there, before the
// changes are applied.
func (f *fixture) moveRacer(name string, now time.Time) (racer, *moved) {
	out := &moved{}
	return racer{name: name, run: func(pause func()) {
		out.res, out.err = f.s.MoveQueue(f.ctx, f.site.ID, 16, func(tx store.QueueTx) ([]desk.ChatChange, error) {
			changes, err := decideMove(tx, now)
			pause()
			return changes, err
		})
	}}, out
}

func decideMove(tx store.QueueTx, now time.Time) ([]desk.ChatChange, error) {
	ops, active, err := tx.Load()
	if err != nil {
		return nil, err
	}
	r := desk.Routing{ChatRule: desk.ChatRuleAutomatic, Operators: candidates(ops, active)}
	held := map[int64]bool{}
	for {
		changes := r.MoveQueue(tx.Waiting(), now, nil)
		var pick []int64
		for _, ch := range changes {
			if id := ch.Chat.OperatorID; ch.Assigned && !held[id] {
				held[id], pick = true, append(pick, id)
			}
		}
		if len(pick) == 0 {
			return changes, nil
		}
		ops, counts, err := tx.Operators(pick)
		if err != nil {
			return nil, err
		}
		for i, o := range r.Operators {
			if op, ok := ops[o.ID]; ok {
				r.Operators[i] = candidate(op, counts[o.ID])
			}
		}
	}
}

// clearQueue ends every chat still waiting, so the next run's moves see
// only their own.
func (f *fixture) clearQueue() {
	f.t.Helper()
	waiting, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, States: []desk.ChatState{desk.ChatWaiting}})
	f.must(err)
	for _, c := range waiting {
		f.end(c.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0})
	}
}

// testRaceMoveMove: John (chat limit 2) holds one chat; two chats wait;
// two moves of the queue at once. The older chat gets John's last slot,
// the newer waits (first come, first served), and John never holds 3.
func testRaceMoveMove(t *testing.T, f *fixture) {
	f.inBothOrders("one move", "the other", func(f *fixture, aFirst bool) {
		t := f.t
		john := f.operator("John Mathews", 1, 2)
		held := f.activeChat(john)
		older, newer := f.waitingChat(t0), f.waitingChat(t0)
		atA, atB := t0.Add(time.Minute), t0.Add(2*time.Minute)
		a, outA := f.moveRacer("one move", atA)
		b, outB := f.moveRacer("the other", atB)
		f.race(inOrder(aFirst, a, b))

		first, second := inOrder(aFirst, outA, outB)
		firstAt, _ := inOrder(aFirst, atA, atB)
		if first.err != nil || len(first.res) != 1 || first.res[0].Chat.ID != older.ID || first.res[0].Chat.OperatorID != john.ID {
			t.Fatalf("the first move: %+v %v, want the older chat to John", first.res, first.err)
		}
		if second.err != nil || len(second.res) != 0 {
			t.Fatalf("the second move: %+v %v, want nothing (John is full)", second.res, second.err)
		}
		if c := f.stored(newer.ID); c.State != desk.ChatWaiting || c.OperatorID != 0 {
			t.Fatalf("the newer chat is %s with operator %d, want waiting", c.State, c.OperatorID)
		}
		f.activeChats(john, held.ID, older.ID)
		f.lastAssigned(john, firstAt)
		f.clearQueue()
	})
}

// testRaceMoveTake: a move of the queue and an operator taking the oldest
// ticket at once. Move first: the move gives the older chat to John, and
// the take is told John has it. Take first: Anna has the older chat, and
// the move gives the newer one to John. Never both on one chat.
func testRaceMoveTake(t *testing.T, f *fixture) {
	f.inBothOrders("the move", "Anna's take", func(f *fixture, moveFirst bool) {
		t := f.t
		john, anna := f.operator("John Mathews", 1, 2), f.operator("Anna Berg", 9, 0)
		older, newer := f.waitingChat(t0), f.waitingChat(t0)
		at := t0.Add(time.Minute)
		m, outM := f.moveRacer("the move", at)
		k, outK := f.changeRacer("Anna takes", store.ChatRef{ID: older.ID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, anna, at) })
		f.race(inOrder(moveFirst, m, k))

		if outM.err != nil {
			t.Fatalf("the move: %v", outM.err)
		}
		if moveFirst {
			if len(outM.res) != 2 || outM.res[0].Chat.ID != older.ID || outM.res[1].Chat.ID != newer.ID {
				t.Fatalf("the move first: %+v, want both chats to John", outM.res)
			}
			f.refusedWith("Anna takes", outK, desk.CodeTaken, "This chat was already taken by John Mathews")
			f.activeChats(john, older.ID, newer.ID)
			f.activeChats(anna)
			return
		}
		f.appliedBy("Anna takes", outK)
		if len(outM.res) != 1 || outM.res[0].Chat.ID != newer.ID || outM.res[0].Chat.OperatorID != john.ID {
			t.Fatalf("the move after the take: %+v, want the newer chat to John", outM.res)
		}
		f.activeChats(anna, older.ID)
		f.activeChats(john, newer.ID)
	})
}
