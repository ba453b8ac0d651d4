package storetest

import (
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func testOpenChatCounts(t *testing.T, f *fixture) {
	want := func(what string, waiting, active int, oldest time.Time) {
		t.Helper()
		got, err := f.s.OpenChatCounts(f.ctx)
		f.must(err)
		if w := (store.OpenChatCounts{Waiting: waiting, Active: active, OldestWaiting: oldest}); got.Waiting != w.Waiting || got.Active != w.Active || !got.OldestWaiting.Equal(w.OldestWaiting) {
			t.Fatalf("%s: OpenChatCounts = %+v, want %+v", what, got, w)
		}
	}
	want("no chat", 0, 0, time.Time{})

	// created out of time order: the oldest is the earliest start, not the
	// smallest id
	later := f.waitingChat(t0.Add(2 * time.Minute))
	first := f.waitingChat(t0.Add(time.Minute))
	last := f.waitingChat(t0.Add(3 * time.Minute))
	want("three waiting", 3, 0, t0.Add(time.Minute))

	op := f.operator("Anna", 1, 5)
	f.take(first.ID, op)
	want("the oldest taken", 2, 1, t0.Add(2*time.Minute))

	f.end(later.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0.Add(4 * time.Minute)})
	f.end(first.ID, desk.Ending{By: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Reason: desk.EndCancel, At: t0.Add(4 * time.Minute)})
	want("two ended", 1, 0, t0.Add(3*time.Minute))

	f.take(last.ID, op)
	want("none waiting", 0, 1, time.Time{})
}
