package storetest

import (
	"errors"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

func testListChats(t *testing.T, f *fixture) {
	anna := f.operator("Anna Berg", 1, 5)
	c1, c2, c3 := f.waitingChat(t0), f.waitingChat(t0.Add(24*time.Hour)), f.waitingChat(t0.Add(48*time.Hour))
	f.take(c2.ID, anna)
	_, _, _, err := f.answer(c2.ID, anna, "About your 100% refund_", "a", t0)
	f.must(err)
	f.end(c3.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0})

	ids := func(cs []desk.Chat) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	check := func(name string, fl store.ChatFilter, want ...int64) {
		t.Helper()
		fl.SiteID = f.site.ID
		got, err := f.s.ListChats(f.ctx, fl)
		f.must(err)
		if g := ids(got); len(g) != len(want) || (len(g) > 0 && (g[0] != want[0] || g[len(g)-1] != want[len(want)-1])) {
			t.Errorf("%s: got %v, want %v", name, g, want)
		}
	}
	check("all, newest first", store.ChatFilter{}, c3.ID, c2.ID, c1.ID)
	check("by state", store.ChatFilter{States: []desk.ChatState{desk.ChatWaiting, desk.ChatActive}}, c2.ID, c1.ID)
	check("by operator", store.ChatFilter{OperatorID: anna.ID}, c2.ID)
	check("by visitor", store.ChatFilter{VisitorID: c1.VisitorID}, c1.ID)
	check("by text, LIKE characters taken literally", store.ChatFilter{Text: "100% refund_"}, c2.ID)
	check("by text, any case", store.ChatFilter{Text: "ABOUT YOUR"}, c2.ID)
	check("text with a wildcard that must not match", store.ChatFilter{Text: "1_0"})
	check("from", store.ChatFilter{From: t0.Add(24 * time.Hour)}, c3.ID, c2.ID)
	check("to", store.ChatFilter{To: t0.Add(24 * time.Hour)}, c1.ID)
	check("before id with limit", store.ChatFilter{BeforeID: c3.ID, Limit: 1}, c2.ID)

	got, _ := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, OperatorID: anna.ID})
	if got[0].LastMessage == nil || got[0].LastMessage.Body != "About your 100% refund_" {
		t.Errorf("last message = %+v", got[0].LastMessage)
	}
}

func testActionRules(t *testing.T, f *fixture) {
	john := f.operator("John Mathews", 1, 2)
	mk := func(name string) desk.ActionRule {
		r, err := f.s.CreateActionRule(f.ctx, desk.ActionRule{SiteID: f.site.ID, Name: name, Enabled: true, TargetOperatorID: john.ID,
			Conditions: []desk.Condition{{Field: desk.FieldURL, Op: desk.OpContains, Value: "/" + name}, {Field: desk.FieldTitle, Op: desk.OpContains, Value: name}}})
		f.must(err)
		return r
	}
	a, b, c := mk("a"), mk("b"), mk("c")
	if a.Position != 1 || b.Position != 2 || c.Position != 3 {
		t.Fatalf("positions %d %d %d, want 1 2 3", a.Position, b.Position, c.Position)
	}
	order := func() string {
		rules, err := f.s.ActionRules(f.ctx, f.site.ID)
		f.must(err)
		s := ""
		for i, r := range rules {
			if r.Position != i+1 {
				t.Fatalf("rule %s at position %d, index %d", r.Name, r.Position, i)
			}
			s += r.Name
		}
		return s
	}
	f.must(f.s.MoveActionRule(f.ctx, f.site.ID, c.ID, -1))
	if o := order(); o != "acb" {
		t.Fatalf("after moving c up: %s", o)
	}
	f.must(f.s.MoveActionRule(f.ctx, f.site.ID, a.ID, -1)) // already first
	if o := order(); o != "acb" {
		t.Fatalf("moving the first rule up changed the order: %s", o)
	}
	f.must(f.s.DeleteActionRule(f.ctx, f.site.ID, a.ID))
	if o := order(); o != "cb" {
		t.Fatalf("after deleting a: %s", o)
	}
	b.Enabled, b.Name = false, "b2"
	b.Conditions = []desk.Condition{{Field: desk.FieldReferrer, Op: desk.OpContains, Value: "google"}}
	upd, err := f.s.UpdateActionRule(f.ctx, b)
	f.must(err)
	if upd.Enabled || upd.Name != "b2" || len(upd.Conditions) != 1 || upd.Conditions[0].Field != desk.FieldReferrer || upd.Position != 2 {
		t.Fatalf("updated rule = %+v", upd)
	}
	if err := f.s.DeleteActionRule(f.ctx, f.site.ID, a.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

func testInvitationRules(t *testing.T, f *fixture) {
	r, err := f.s.CreateInvitationRule(f.ctx, desk.InvitationRule{SiteID: f.site.ID, Name: "Pricing", Enabled: true,
		URL: &desk.Condition{Field: desk.FieldURL, Op: desk.OpContains, Value: "/pricing"}, MinTimeOnPage: 10 * time.Second, MinPagesViewed: 2, Message: "Hi"})
	f.must(err)
	_, err = f.s.CreateInvitationRule(f.ctx, desk.InvitationRule{SiteID: f.site.ID, Name: "Any", Enabled: false, Message: "Hello"})
	f.must(err)
	rules, err := f.s.InvitationRules(f.ctx, f.site.ID)
	f.must(err)
	if len(rules) != 2 || rules[0].URL == nil || rules[0].URL.Value != "/pricing" || rules[0].MinTimeOnPage != 10*time.Second || rules[0].MinPagesViewed != 2 || rules[1].URL != nil {
		t.Fatalf("rules = %+v", rules)
	}
	r.URL, r.Message = nil, "Changed"
	_, err = f.s.UpdateInvitationRule(f.ctx, r)
	f.must(err)
	rules, _ = f.s.InvitationRules(f.ctx, f.site.ID)
	if rules[0].URL != nil || rules[0].Message != "Changed" {
		t.Fatalf("updated = %+v", rules[0])
	}
	f.must(f.s.DeleteInvitationRule(f.ctx, f.site.ID, r.ID))
	if err := f.s.DeleteInvitationRule(f.ctx, f.site.ID, r.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

func testInvitations(t *testing.T, f *fixture) {
	v := f.visitor()
	op := f.operator("Anna Berg", 1, 1)
	inv, err := f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: f.site.ID, VisitorID: v.ID, Kind: desk.InvitationManual, OperatorID: op.ID, Text: "Hi", CreatedAt: t0})
	f.must(err)
	if inv.State != desk.InvitationOpen || inv.OperatorName != "Anna Berg" {
		t.Fatalf("invitation = %+v", inv)
	}
	_, err = f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: f.site.ID, VisitorID: v.ID, Kind: desk.InvitationAutomated, RuleID: 1, Text: "Hi", CreatedAt: t0})
	wantCode(t, err, desk.CodeConflict)
	open, err := f.s.OpenInvitationOf(f.ctx, v.ID)
	f.must(err)
	if open.ID != inv.ID {
		t.Fatal("OpenInvitationOf found another invitation")
	}
	closed, changed, err := f.s.CloseInvitation(f.ctx, inv.ID, desk.InvitationDismissed, t0.Add(time.Second))
	f.must(err)
	if !changed || closed.State != desk.InvitationDismissed || !closed.ClosedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("closed = %+v changed=%v", closed, changed)
	}
	if _, changed, _ := f.s.CloseInvitation(f.ctx, inv.ID, desk.InvitationExpired, t0); changed {
		t.Fatal("closing a closed invitation changed it")
	}
	if _, err := f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: f.site.ID, VisitorID: v.ID, Kind: desk.InvitationAutomated, RuleID: 1, Text: "Again", CreatedAt: t0}); err != nil {
		t.Fatalf("a new invitation after the last closed: %v", err)
	}
	testRecentOf(t, f, v)
}

// RecentOf: the latest chat and invitation of each visitor asked for, and
// the rules that fired since the time given.
func testRecentOf(t *testing.T, f *fixture, v desk.Visitor) {
	chat := f.waitingChat(t0)
	later := f.waitingChat(t0)
	f.end(later.ID, desk.Ending{By: desk.AuthorVisitor, Reason: desk.EndCancel, At: t0.Add(time.Minute)})
	quiet := f.visitor()
	_, err := f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: f.site.ID, VisitorID: chat.VisitorID, Kind: desk.InvitationAutomated, RuleID: 7, Text: "Old", CreatedAt: t0.Add(-time.Hour)})
	f.must(err)
	got, err := f.s.RecentOf(f.ctx, []int64{v.ID, chat.VisitorID, later.VisitorID, quiet.ID, 999999}, t0)
	f.must(err)
	if r := got[v.ID]; r.Chat != nil || r.Invitation == nil || r.Invitation.Text != "Again" || len(r.Fired) != 1 || r.Fired[0].RuleID != 1 {
		t.Fatalf("recent of a visitor with a manual and an automated invitation = %+v", r)
	}
	if r := got[chat.VisitorID]; r.Chat == nil || r.Chat.ID != chat.ID || r.Invitation == nil || r.Invitation.Text != "Old" || len(r.Fired) != 0 {
		t.Fatalf("recent of a visitor waiting, invited before since = %+v", r)
	}
	if r := got[later.VisitorID]; r.Chat == nil || r.Chat.State != desk.ChatEnded || r.Invitation != nil {
		t.Fatalf("recent of a visitor whose chat ended = %+v", r)
	}
	if r, ok := got[quiet.ID]; ok && (r.Chat != nil || r.Invitation != nil) {
		t.Fatalf("recent of a quiet visitor = %+v", r)
	}
	if none, err := f.s.RecentOf(f.ctx, nil, t0); err != nil || len(none) != 0 {
		t.Fatalf("RecentOf(nil) = %v, %v", none, err)
	}
}
