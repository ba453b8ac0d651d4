package storetest

import (
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
)

// testReadPositions: an operator's position in a chat only moves up; each
// operator has their own; a chat's "Seen" is the highest of them.
func testReadPositions(t *testing.T, f *fixture) {
	a, b := f.operator("Anna", 1, 3), f.operator("Ben", 1, 3)
	c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
	f.take(c1.ID, a)
	for i, body := range []string{"two", "three", "four"} {
		_, _, _, err := f.say(c1.VisitorID, body, "v-"+body, t0.Add(time.Duration(i+1)*time.Second))
		f.must(err)
	}

	if seen, err := f.s.SeenSeq(f.ctx, c1.ID); err != nil || seen != 0 {
		t.Fatalf("SeenSeq of an unread chat = %d, %v; want 0", seen, err)
	}
	pos, moved, err := f.s.MarkRead(f.ctx, c1.ID, a.ID, 3, t0)
	if err != nil || pos != 3 || !moved {
		t.Fatalf("first MarkRead = %d, %v, %v; want 3, true", pos, moved, err)
	}
	pos, moved, err = f.s.MarkRead(f.ctx, c1.ID, a.ID, 2, t0)
	if err != nil || pos != 3 || moved {
		t.Fatalf("MarkRead below the position = %d, %v, %v; want it kept at 3, not moved", pos, moved, err)
	}
	pos, moved, err = f.s.MarkRead(f.ctx, c1.ID, a.ID, 3, t0)
	if err != nil || pos != 3 || moved {
		t.Fatalf("MarkRead at the position = %d, %v, %v; want 3, not moved", pos, moved, err)
	}
	_, _, err = f.s.MarkRead(f.ctx, c1.ID, b.ID, 1, t0)
	f.must(err)
	_, _, err = f.s.MarkRead(f.ctx, c2.ID, a.ID, 1, t0)
	f.must(err)

	got, err := f.s.ReadPositions(f.ctx, a.ID, []int64{c1.ID, c2.ID, c2.ID + 1000})
	f.must(err)
	if len(got) != 2 || got[c1.ID] != 3 || got[c2.ID] != 1 {
		t.Fatalf("Anna's positions = %v, want {%d:3 %d:1}", got, c1.ID, c2.ID)
	}
	got, err = f.s.ReadPositions(f.ctx, b.ID, []int64{c1.ID, c2.ID})
	f.must(err)
	if len(got) != 1 || got[c1.ID] != 1 {
		t.Fatalf("Ben's positions = %v, want {%d:1}", got, c1.ID)
	}
	if got, err := f.s.ReadPositions(f.ctx, b.ID, nil); err != nil || len(got) != 0 {
		t.Fatalf("no chats asked: %v, %v", got, err)
	}
	if seen, err := f.s.SeenSeq(f.ctx, c1.ID); err != nil || seen != 3 {
		t.Fatalf("SeenSeq = %d, %v; want the highest position, 3", seen, err)
	}

	// Many chats at once (more than one statement's worth of ids).
	ids := make([]int64, 1200)
	for i := range ids {
		ids[i] = c2.ID + int64(i)
	}
	got, err = f.s.ReadPositions(f.ctx, a.ID, ids)
	f.must(err)
	if len(got) != 1 || got[c2.ID] != 1 {
		t.Fatalf("positions among 1200 ids = %v, want {%d:1}", got, c2.ID)
	}
}

// testRaceMarkRead: two consoles of one operator mark at once, in either
// order; the higher position stays.
func testRaceMarkRead(t *testing.T, f *fixture) {
	op := f.operator("Anna", 1, 3)
	c := f.waitingChat(t0)
	f.take(c.ID, op)
	for i := 2; i <= 20; i++ {
		_, _, _, err := f.say(c.VisitorID, "more", "v-"+string(rune('a'+i)), t0)
		f.must(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for seq := int64(20); seq >= 1; seq-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := f.s.MarkRead(f.ctx, c.ID, op.ID, seq, t0); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := f.s.ReadPositions(f.ctx, op.ID, []int64{c.ID})
	f.must(err)
	if got[c.ID] != 20 {
		t.Fatalf("after 20 concurrent marks the position is %d, want 20", got[c.ID])
	}
}

// testNotes: notes are kept per chat, oldest first, with their operator's
// name, and are not messages.
func testNotes(t *testing.T, f *fixture) {
	op := f.operator("Anna", 1, 3)
	c, other := f.waitingChat(t0), f.waitingChat(t0)
	first, err := f.s.AddNote(f.ctx, desk.Note{ChatID: c.ID, OperatorID: op.ID, Body: "VIP", CreatedAt: t0})
	f.must(err)
	if first.ID == 0 || first.OperatorName != "Anna" || first.Body != "VIP" || !first.CreatedAt.Equal(t0) {
		t.Fatalf("AddNote = %+v", first)
	}
	_, err = f.s.AddNote(f.ctx, desk.Note{ChatID: c.ID, OperatorID: op.ID, Body: "called back", CreatedAt: t0.Add(time.Minute)})
	f.must(err)
	notes, err := f.s.Notes(f.ctx, c.ID)
	f.must(err)
	if len(notes) != 2 || notes[0].Body != "VIP" || notes[1].Body != "called back" {
		t.Fatalf("Notes = %+v", notes)
	}
	if notes, err := f.s.Notes(f.ctx, other.ID); err != nil || len(notes) != 0 {
		t.Fatalf("another chat's notes = %+v, %v", notes, err)
	}
	msgs, err := f.s.Messages(f.ctx, c.ID, 0, 0)
	f.must(err)
	if len(msgs) != 1 {
		t.Fatalf("notes became messages: %d messages", len(msgs))
	}
}

// testRatings: one rating a chat; rating again replaces it.
func testRatings(t *testing.T, f *fixture) {
	c := f.waitingChat(t0)
	if got, err := f.s.Chat(f.ctx, c.ID); err != nil || got.Rating != nil {
		t.Fatalf("an unrated chat's rating: %+v, %v", got.Rating, err)
	}
	f.must(f.s.RateChat(f.ctx, desk.Rating{ChatID: c.ID, Value: desk.RatingBad, Comment: "slow", At: t0}))
	f.must(f.s.RateChat(f.ctx, desk.Rating{ChatID: c.ID, Value: desk.RatingGood, Comment: "sorted in the end", At: t0.Add(time.Minute)}))
	got, err := f.s.Chat(f.ctx, c.ID)
	f.must(err)
	if r := got.Rating; r == nil || r.Value != desk.RatingGood || r.Comment != "sorted in the end" || !r.At.Equal(t0.Add(time.Minute)) {
		t.Fatalf("the chat's rating = %+v, want the second rating", r)
	}
	later := f.waitingChat(t0.Add(48 * time.Hour))
	f.must(f.s.RateChat(f.ctx, desk.Rating{ChatID: later.ID, Value: desk.RatingBad, At: t0.Add(49 * time.Hour)}))
	for _, tc := range []struct {
		from, to  time.Time
		good, bad int
	}{
		{t0.Add(-time.Hour), t0.Add(time.Hour), 1, 0},
		{t0.Add(-time.Hour), t0.Add(72 * time.Hour), 1, 1},
		{t0.Add(time.Hour), t0.Add(72 * time.Hour), 0, 1},
	} {
		good, bad, err := f.s.RatingCounts(f.ctx, f.site.ID, tc.from, tc.to)
		if err != nil || good != tc.good || bad != tc.bad {
			t.Errorf("RatingCounts(%v, %v) = %d, %d, %v; want %d, %d", tc.from, tc.to, good, bad, err, tc.good, tc.bad)
		}
	}
}

// testOfflineMessages: kept newest first per site; marked "Handled" once,
// with who.
func testOfflineMessages(t *testing.T, f *fixture) {
	v, op := f.visitor(), f.operator("Anna", 1, 3)
	first, err := f.s.AddOfflineMessage(f.ctx, desk.OfflineMessage{SiteID: f.site.ID, VisitorID: v.ID, Name: "Ann", Email: "ann@example.com",
		Body: "Call me", Page: desk.Page{URL: "http://x.test/p", Title: "P"}, CreatedAt: t0})
	f.must(err)
	_, err = f.s.AddOfflineMessage(f.ctx, desk.OfflineMessage{SiteID: f.site.ID, VisitorID: v.ID, Email: "ann@example.com", Body: "Again", CreatedAt: t0.Add(time.Minute)})
	f.must(err)
	list, err := f.s.OfflineMessages(f.ctx, f.site.ID, 10)
	f.must(err)
	if len(list) != 2 || list[0].Body != "Again" || list[1].Page.Title != "P" || list[1].Handled() {
		t.Fatalf("OfflineMessages = %+v", list)
	}
	m, changed, err := f.s.MarkOfflineHandled(f.ctx, first.ID, op.ID, t0.Add(time.Hour))
	f.must(err)
	if !changed || m.HandledByName != "Anna" || !m.HandledAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("MarkOfflineHandled = %+v, %v", m, changed)
	}
	if _, changed, err := f.s.MarkOfflineHandled(f.ctx, first.ID, op.ID, t0.Add(2*time.Hour)); err != nil || changed {
		t.Fatalf("marking again: changed %v, %v", changed, err)
	}
	if _, _, err := f.s.MarkOfflineHandled(f.ctx, first.ID+100, op.ID, t0); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("an unknown one: %v", err)
	}
}
