package storetest

import (
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// Backfill checks the migration that added first_assigned_at and
// first_response_at to chats: chats recorded live (the known history, and
// a manual invitation's chat, which starts assigned and whose invitation
// text is no response) must read back the same once rerun has dropped
// both columns and run the migration again on them, as on a store that
// had those chats before it. rerun returns the store reopened.
func Backfill(t *testing.T, s store.Store, rerun func(store.Store) store.Store) {
	f := newFixture(t, s)
	h := seedKnownHistory(f)
	v := f.visitor()
	inv := &desk.Invitation{ID: 77, SiteID: f.site.ID, VisitorID: v.ID, Kind: desk.InvitationManual, OperatorID: h.anna.ID,
		OperatorName: h.anna.Name, Text: "Hello! Anna Berg here."}
	start := h.day1.Add(4 * 24 * time.Hour)
	c, _, err := s.CreateChat(f.ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, Page: desk.Page{URL: "http://x.test/"}, Invitation: inv, InviterOnline: true,
			First: desk.Message{Author: desk.AuthorVisitor, Body: "yes please", ClientID: "v1"}, Timeouts: timeouts}, start)
	}})
	f.must(err)
	_, _, _, err = f.answer(c.ID, h.anna, "How can I help?", "a1", start.Add(45*time.Second))
	f.must(err)

	all := func(s store.Store) map[int64]desk.Chat {
		cs, err := s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID})
		f.must(err)
		out := map[int64]desk.Chat{}
		for _, c := range cs {
			out[c.ID] = c
		}
		return out
	}
	live := all(s)
	if got := live[c.ID]; !got.FirstAssignedAt.Equal(start) || !got.FirstResponseAt.Equal(start.Add(45*time.Second)) {
		t.Fatalf("invitation chat recorded live: first assigned %v, first response %v", got.FirstAssignedAt, got.FirstResponseAt)
	}
	back := all(rerun(s))
	if len(back) != len(live) || len(live) != 7 {
		t.Fatalf("%d chats after the migration, %d before, want 7", len(back), len(live))
	}
	for id, want := range live {
		got := back[id]
		if !got.FirstAssignedAt.Equal(want.FirstAssignedAt) || !got.FirstResponseAt.Equal(want.FirstResponseAt) {
			t.Errorf("chat %d backfilled: first assigned %v, first response %v; live %v, %v",
				id, got.FirstAssignedAt, got.FirstResponseAt, want.FirstAssignedAt, want.FirstResponseAt)
		}
	}
}
