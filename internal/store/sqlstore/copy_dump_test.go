package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
	"outputdesk/internal/store/postgres"
	"outputdesk/internal/store/sqlite"
	"outputdesk/internal/store/sqlstore"
)

// dumped is everything a store holds, read back through the Store API.
type dumped struct {
	Site        desk.Site
	Settings    desk.Settings
	Operators   []desk.Operator
	Sessions    []desk.Session
	Visitors    []desk.Visitor
	PageViews   [][]desk.PageView
	OpenChats   []desk.Chat // OpenChatOf each visitor
	Chats       []desk.Chat
	Messages    [][]desk.Message
	Active      map[int64]int
	Due         []desk.Chat
	Next        time.Time
	ActionRules []desk.ActionRule
	InvRules    []desk.InvitationRule
	Invitations []desk.Invitation
	Canned      []desk.CannedReply
	Preferences desk.Preferences
}

func dump(t *testing.T, s store.Store, f filled) dumped {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var d dumped
	var err error
	d.Site, err = s.Site(ctx, f.site.ID)
	must(err)
	d.Settings, err = s.Settings(ctx, f.site.ID)
	must(err)
	d.Operators, err = s.Operators(ctx, f.site.ID)
	must(err)
	for _, tok := range f.tokens {
		se, err := s.Session(ctx, tok)
		must(err)
		d.Sessions = append(d.Sessions, se)
	}
	for _, v := range f.visitors {
		got, err := s.Visitor(ctx, v.ID)
		must(err)
		d.Visitors = append(d.Visitors, got)
		pvs, err := s.PageViews(ctx, v.ID, f.visits[v.ID])
		must(err)
		d.PageViews = append(d.PageViews, pvs)
		if c, err := s.OpenChatOf(ctx, v.ID); err == nil {
			d.OpenChats = append(d.OpenChats, c)
		}
	}
	d.Chats, err = s.ListChats(ctx, store.ChatFilter{SiteID: f.site.ID})
	must(err)
	for _, c := range d.Chats {
		msgs, err := s.Messages(ctx, c.ID, 0, 0)
		must(err)
		d.Messages = append(d.Messages, msgs)
	}
	d.Active, err = s.ActiveChatCounts(ctx, f.site.ID)
	must(err)
	d.Due, err = s.DueChats(ctx, t0.Add(24*time.Hour))
	must(err)
	d.Next, err = s.NextDeadline(ctx)
	must(err)
	d.ActionRules, err = s.ActionRules(ctx, f.site.ID)
	must(err)
	d.InvRules, err = s.InvitationRules(ctx, f.site.ID)
	must(err)
	for _, id := range f.invitations {
		inv, err := s.Invitation(ctx, id)
		must(err)
		d.Invitations = append(d.Invitations, inv)
	}
	d.Canned, err = s.CannedReplies(ctx, f.site.ID, f.cannedOwner)
	must(err)
	d.Preferences, err = s.Preferences(ctx, f.cannedOwner)
	must(err)
	return d
}

func openPostgres(t *testing.T, dbURL string) *sqlstore.DB {
	t.Helper()
	s, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openSQLite(t *testing.T) *sqlstore.DB {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "outputdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
