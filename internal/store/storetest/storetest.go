// Package storetest is the one conformance suite every Store must pass.
// An implementation's test calls Run with a factory that opens a fresh,
// empty store for each test.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// Factory opens a new empty store; it registers its own cleanup on t.
type Factory func(t *testing.T) store.Store

// Run runs the whole suite.
func Run(t *testing.T, open Factory) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, f *fixture)
	}{
		{"Sites", testSites},
		{"Operators", testOperators},
		{"Sessions", testSessions},
		{"VisitorsAndPageViews", testVisitors},
		{"CreateChat", testCreateChat},
		{"Messages", testMessages},
		{"RouteAppliesDecisions", testRoute},
		{"RouteNeverPassesChatLimit", testRouteLimit},
		{"RouteConcurrentChats", testRouteConcurrent},
		{"TakeChat", testTakeChat},
		{"TakeChatRace", testTakeChatRace},
		{"TransferAndHandBack", testTransferAndHandBack},
		{"EndChatOnce", testEndChat},
		{"DeadlinesAndVisitorLeft", testDeadlines},
		{"ListChats", testListChats},
		{"HistoryTimes", testHistoryTimes},
		{"HistoryFilters", testHistoryFilters},
		{"ReportChats", testReportChats},
		{"ActionRules", testActionRules},
		{"InvitationRules", testInvitationRules},
		{"Invitations", testInvitations},
		{"CannedReplies", testCannedReplies},
		{"OpenChatCounts", testOpenChatCounts},
		{"ReadPositions", testReadPositions},
		{"Notes", testNotes},
		{"Ratings", testRatings},
		{"OfflineMessages", testOfflineMessages},
		{"Files", testFiles},
		{"FileSettings", testFileSettings},
		{"Preferences", testPreferences},
		// races: two changes paused at their worst point, released in both orders
		{"QueueOrder", testQueueOrder},
		{"RaceMoveMove", testRaceMoveMove},
		{"RaceMoveTake", testRaceMoveTake},
		{"RaceAssignAtLimit", testRaceAssignAtLimit},
		{"RaceTakeTake", testRaceTakeTake},
		{"RaceTakeEnd", testRaceTakeEnd},
		{"RaceHandBackEnd", testRaceHandBackEnd},
		{"RaceTransferEnd", testRaceTransferEnd},
		{"RaceEndEnd", testRaceEndEnd},
		{"RaceOperatorMessageEnd", testRaceOperatorMessageEnd},
		{"RaceVisitorMessageEnd", testRaceVisitorMessageEnd},
		{"RaceTwoTabsStart", testRaceTwoTabsStart},
		{"RaceMarkRead", testRaceMarkRead},
		{"RacePreferences", testRacePreferences},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			tc.fn(t, newFixture(t, s))
		})
	}
}

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// fixture is a store with one site and helpers to fill it.
type fixture struct {
	t    *testing.T
	s    store.Store
	ctx  context.Context
	site desk.Site
	n    int
}

func newFixture(t *testing.T, s store.Store) *fixture {
	f := &fixture{t: t, s: s, ctx: context.Background()}
	site, err := s.EnsureSite(f.ctx, desk.Site{Key: "pk_test", Name: "Test", AllowedOrigins: []string{"*"}, CreatedAt: t0},
		desk.Settings{ChatRule: desk.ChatRuleManual, InvitationText: desk.DefaultInvitationText, InactivityTimeout: 20 * time.Minute, LeftTimeout: 20 * time.Minute})
	f.must(err)
	f.site = site
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) operator(name string, prio, limit int) desk.Operator {
	f.t.Helper()
	f.n++
	o, err := f.s.CreateOperator(f.ctx, desk.Operator{SiteID: f.site.ID, Name: name, Email: fmt.Sprintf("op%d@example.com", f.n),
		PasswordHash: "x", Role: desk.RoleOperator, PriorityLevel: prio, ChatLimit: limit, Status: desk.StatusOnline, CreatedAt: t0})
	f.must(err)
	return o
}

func (f *fixture) visitor() desk.Visitor {
	f.t.Helper()
	f.n++
	v, err := f.s.CreateVisitor(f.ctx, desk.Visitor{SiteID: f.site.ID, TokenHash: fmt.Sprintf("hash-%d", f.n), Name: fmt.Sprintf("Visitor %d", f.n), CreatedAt: t0})
	f.must(err)
	return v
}

var timeouts = desk.Timeouts{Inactivity: 20 * time.Minute, Left: 5 * time.Minute}

// waitingChat creates a waiting chat for a new visitor with a first message.
func (f *fixture) waitingChat(at time.Time) desk.Chat {
	f.t.Helper()
	v := f.visitor()
	chat, _, err := f.s.CreateChat(f.ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, Page: desk.Page{URL: "http://x.test/product", Title: "Product"},
			First: desk.Message{Author: desk.AuthorVisitor, Body: "hello", ClientID: "first"}, Timeouts: timeouts}, at)
	}})
	f.must(err)
	return chat
}

// change applies a decision to the chat ref names.
func (f *fixture) change(ref store.ChatRef, decide func(c desk.Chat) (desk.ChatChange, error)) (store.ChatResult, error) {
	return f.s.ChangeChat(f.ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) { return decide(tx.Chat()) })
}

func (f *fixture) take(chatID int64, op desk.Operator) desk.Chat {
	f.t.Helper()
	res, err := f.change(store.ChatRef{ID: chatID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, op, t0) })
	f.must(err)
	return res.Chat
}

func (f *fixture) end(chatID int64, e desk.Ending) store.ChatResult {
	f.t.Helper()
	res, err := f.change(store.ChatRef{ID: chatID}, func(c desk.Chat) (desk.ChatChange, error) { return desk.End(c, e), nil })
	f.must(err)
	return res
}

// say stores a visitor's message in their open chat.
func (f *fixture) say(visitorID int64, body, clientID string, at time.Time) (desk.Chat, desk.Message, bool, error) {
	m := desk.Message{Author: desk.AuthorVisitor, Body: body, ClientID: clientID, CreatedAt: at}
	return f.s.AddMessage(f.ctx, store.ChatRef{OpenOf: visitorID}, m, func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsVisitor(c, m, timeouts) })
}

// answer stores an operator's message in a chat.
func (f *fixture) answer(chatID int64, op desk.Operator, body, clientID string, at time.Time) (desk.Chat, desk.Message, bool, error) {
	m := desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Body: body, ClientID: clientID, CreatedAt: at}
	return f.s.AddMessage(f.ctx, store.ChatRef{ID: chatID}, m, func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsOperator(c, op) })
}

func wantCode(t *testing.T, err error, code desk.Code) {
	t.Helper()
	if desk.CodeOf(err) != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

func testSites(t *testing.T, f *fixture) {
	again, err := f.s.EnsureSite(f.ctx, desk.Site{Key: "pk_other", Name: "Other", CreatedAt: t0}, desk.Settings{})
	f.must(err)
	if again.ID != f.site.ID || again.Key != "pk_test" {
		t.Fatalf("EnsureSite on a store with a site returned %+v, want the first site", again)
	}
	byKey, err := f.s.SiteByKey(f.ctx, "pk_test")
	f.must(err)
	if byKey.ID != f.site.ID || len(byKey.AllowedOrigins) != 1 || byKey.AllowedOrigins[0] != "*" {
		t.Fatalf("SiteByKey = %+v", byKey)
	}
	if _, err := f.s.SiteByKey(f.ctx, "pk_nope"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	// A new site (and one from before "Make it ours") looks as the widget
	// always did.
	fresh, err := f.s.Settings(f.ctx, f.site.ID)
	f.must(err)
	if fresh.Appearance != desk.DefaultAppearance() {
		t.Fatalf("a new site's appearance = %+v, want %+v", fresh.Appearance, desk.DefaultAppearance())
	}
	f.must(f.s.SetAllowedOrigins(f.ctx, f.site.ID, []string{"https://a.test", "https://b.test"}))
	site, err := f.s.Site(f.ctx, f.site.ID)
	f.must(err)
	if len(site.AllowedOrigins) != 2 || !site.OriginAllowed("https://b.test") || site.OriginAllowed("https://c.test") {
		t.Fatalf("origins = %v", site.AllowedOrigins)
	}
	set := desk.Settings{ChatRule: desk.ChatRuleAutomatic, InvitationText: "Hi from {operator}", InactivityTimeout: 3 * time.Second, LeftTimeout: 4 * time.Second, MessagePreview: true,
		PreChat: desk.PreChatForm{Name: desk.FieldRequired, Email: desk.FieldOptional, Question: desk.FieldOff}, NotifyEmail: "team@example.com", LauncherOffset: 72,
		Appearance: desk.Appearance{AccentColor: "#0b6e4f", LauncherPosition: desk.LauncherLeft, Title: "تحدث معنا", Greeting: "Hi! We answer in minutes.\nReally.", OperatorNames: false}}
	f.must(f.s.SaveSettings(f.ctx, f.site.ID, set))
	got, err := f.s.Settings(f.ctx, f.site.ID)
	f.must(err)
	if !reflect.DeepEqual(got, set) {
		t.Fatalf("Settings = %+v, want %+v", got, set)
	}
}

func testOperators(t *testing.T, f *fixture) {
	first, err := f.s.CreateFirstOperator(f.ctx, desk.Operator{SiteID: f.site.ID, Name: "Ada", Email: "Ada@Example.com", PasswordHash: "h",
		Role: desk.RoleAdmin, PriorityLevel: 1, ChatLimit: 3, Status: desk.StatusOnline, CreatedAt: t0})
	f.must(err)
	if first.Email != "ada@example.com" {
		t.Errorf("email stored as %q, want lower case", first.Email)
	}
	_, err = f.s.CreateFirstOperator(f.ctx, desk.Operator{SiteID: f.site.ID, Name: "Eve", Email: "eve@example.com", Role: desk.RoleAdmin, PriorityLevel: 1})
	wantCode(t, err, desk.CodeConflict)
	_, err = f.s.CreateOperator(f.ctx, desk.Operator{SiteID: f.site.ID, Name: "Dup", Email: "ADA@example.com", Role: desk.RoleOperator, PriorityLevel: 1})
	wantCode(t, err, desk.CodeConflict)

	byEmail, err := f.s.OperatorByEmail(f.ctx, "ADA@EXAMPLE.COM")
	f.must(err)
	if byEmail.ID != first.ID {
		t.Fatalf("OperatorByEmail found %d, want %d", byEmail.ID, first.ID)
	}
	byEmail.Name, byEmail.ChatLimit, byEmail.Status = "Ada Lovelace", 5, desk.StatusAway
	upd, err := f.s.UpdateOperator(f.ctx, byEmail)
	f.must(err)
	if upd.Name != "Ada Lovelace" || upd.ChatLimit != 5 || upd.Status != desk.StatusAway {
		t.Fatalf("UpdateOperator = %+v", upd)
	}
	other := f.operator("Bob", 2, 2)
	other.Email = "ada@example.com"
	_, err = f.s.UpdateOperator(f.ctx, other)
	wantCode(t, err, desk.CodeConflict)
	if _, err := f.s.Operator(f.ctx, 9999); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("unknown operator: %v", err)
	}
	all, err := f.s.Operators(f.ctx, f.site.ID)
	f.must(err)
	n, err := f.s.CountOperators(f.ctx)
	f.must(err)
	if len(all) != 2 || n != 2 {
		t.Fatalf("%d operators listed, %d counted, want 2", len(all), n)
	}
}

func testSessions(t *testing.T, f *fixture) {
	op := f.operator("Ann", 1, 1)
	f.must(f.s.CreateSession(f.ctx, desk.Session{TokenHash: "live", OperatorID: op.ID, CSRFToken: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
	f.must(f.s.CreateSession(f.ctx, desk.Session{TokenHash: "old", OperatorID: op.ID, CSRFToken: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}))
	se, err := f.s.Session(f.ctx, "live")
	f.must(err)
	if se.OperatorID != op.ID || se.CSRFToken != "c" || !se.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Session = %+v", se)
	}
	f.must(f.s.DeleteExpiredSessions(f.ctx, t0.Add(30*time.Minute)))
	if _, err := f.s.Session(f.ctx, "old"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("expired session still there: %v", err)
	}
	f.must(f.s.DeleteSession(f.ctx, "live"))
	if _, err := f.s.Session(f.ctx, "live"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("deleted session still there: %v", err)
	}
}

func testVisitors(t *testing.T, f *fixture) {
	v := f.visitor()
	got, err := f.s.VisitorByToken(f.ctx, f.site.ID, v.TokenHash)
	f.must(err)
	if got.ID != v.ID {
		t.Fatalf("VisitorByToken = %+v", got)
	}
	_, err = f.s.CreateVisitor(f.ctx, desk.Visitor{SiteID: f.site.ID, TokenHash: v.TokenHash, Name: "x", CreatedAt: t0})
	wantCode(t, err, desk.CodeConflict)
	// a new visitor and its first page view, in one transaction
	first := desk.PageView{VisitID: "visit-on-page", PageID: "p1", Page: desk.Page{URL: "https://shop.example/", Title: "Shop"}, StartedAt: t0}
	made := []store.NewVisitor{{Visitor: desk.Visitor{SiteID: f.site.ID, TokenHash: "hash-on-page", Name: "On page", CreatedAt: t0}, First: first}}
	f.must(f.s.CreateVisitorsOnPages(f.ctx, made))
	onPage := made[0].Visitor
	if got, err := f.s.VisitorByToken(f.ctx, f.site.ID, "hash-on-page"); err != nil || got.ID != onPage.ID || onPage.ID == 0 {
		t.Fatalf("CreateVisitorsOnPages = %+v; VisitorByToken = %+v, %v", onPage, got, err)
	}
	if pvs, err := f.s.PageViews(f.ctx, onPage.ID, "visit-on-page"); err != nil || len(pvs) != 1 || pvs[0].Page.URL != first.Page.URL || pvs[0].PageID != "p1" {
		t.Fatalf("its page views = %+v, %v", pvs, err)
	}
	again, err := f.s.AddPageView(f.ctx, desk.PageView{VisitorID: onPage.ID, VisitID: "visit-on-page", PageID: "p1", Page: first.Page, StartedAt: t0.Add(time.Minute)})
	f.must(err)
	if again.New || again.PagesViewed != 1 || !again.View.StartedAt.Equal(t0) {
		t.Fatalf("the first page added again = %+v, want the one recorded with the visitor", again)
	}
	testVisitorsBatch(t, f, first)
	f.must(f.s.SetVisitorUserAgent(f.ctx, v.ID, "Mozilla/5.0"))
	if got, _ := f.s.Visitor(f.ctx, v.ID); got.UserAgent != "Mozilla/5.0" {
		t.Fatalf("user agent = %q", got.UserAgent)
	}
	for i, u := range []string{"/a", "/b", "/c"} {
		_, err := f.s.AddPageView(f.ctx, desk.PageView{VisitorID: v.ID, VisitID: "visit-1", Page: desk.Page{URL: u}, StartedAt: t0.Add(time.Duration(i) * time.Second)})
		f.must(err)
	}
	_, err = f.s.AddPageView(f.ctx, desk.PageView{VisitorID: v.ID, VisitID: "visit-2", Page: desk.Page{URL: "/d"}, StartedAt: t0})
	f.must(err)
	pvs, err := f.s.PageViews(f.ctx, v.ID, "visit-1")
	f.must(err)
	if len(pvs) != 3 || pvs[0].Page.URL != "/a" || pvs[2].Page.URL != "/c" || !pvs[1].StartedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("PageViews = %+v", pvs)
	}
	testPageIDs(t, f, v)
}

// Visitors arriving together are made in one transaction, each with its own
// id and first page; one whose token is taken makes the whole batch fail,
// with nothing written.
func testVisitorsBatch(t *testing.T, f *fixture, first desk.PageView) {
	t.Helper()
	batch := func(hashes ...string) []store.NewVisitor {
		var out []store.NewVisitor
		for i, h := range hashes {
			pv := first
			pv.VisitID, pv.Page.URL = "visit-"+h, fmt.Sprintf("https://shop.example/%d", i)
			out = append(out, store.NewVisitor{Visitor: desk.Visitor{SiteID: f.site.ID, TokenHash: h, Name: h, CreatedAt: t0}, First: pv})
		}
		return out
	}
	two := batch("hash-b1", "hash-b2")
	f.must(f.s.CreateVisitorsOnPages(f.ctx, two))
	if two[0].Visitor.ID == 0 || two[1].Visitor.ID == 0 || two[0].Visitor.ID == two[1].Visitor.ID {
		t.Fatalf("batch ids = %d, %d", two[0].Visitor.ID, two[1].Visitor.ID)
	}
	for i, nv := range two {
		got, err := f.s.VisitorByToken(f.ctx, f.site.ID, nv.Visitor.TokenHash)
		if err != nil || got.ID != nv.Visitor.ID || got.Name != nv.Visitor.Name {
			t.Fatalf("visitor %d of the batch = %+v, %v; want %+v", i, got, err, nv.Visitor)
		}
		pvs, err := f.s.PageViews(f.ctx, nv.Visitor.ID, nv.First.VisitID)
		if err != nil || len(pvs) != 1 || pvs[0].Page.URL != nv.First.Page.URL {
			t.Fatalf("visitor %d's page views = %+v, %v", i, pvs, err)
		}
	}
	refused := batch("hash-b3", "hash-on-page")
	wantCode(t, f.s.CreateVisitorsOnPages(f.ctx, refused), desk.CodeConflict)
	if _, err := f.s.VisitorByToken(f.ctx, f.site.ID, "hash-b3"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("a refused batch's first visitor: err = %v, want not found (nothing written)", err)
	}
	if refused[0].Visitor.ID != 0 {
		t.Fatalf("a refused batch left id %d set", refused[0].Visitor.ID)
	}
}

// A page id is one view per visit, however often (and on however many
// nodes at once) its tab reconnects: the first start holds, the count does
// not grow.
func testPageIDs(t *testing.T, f *fixture, v desk.Visitor) {
	add := func(visit, pageID, url string, at time.Time) store.PageViewAdded {
		t.Helper()
		got, err := f.s.AddPageView(f.ctx, desk.PageView{VisitorID: v.ID, VisitID: visit, PageID: pageID, Page: desk.Page{URL: url}, StartedAt: at})
		f.must(err)
		return got
	}
	first := add("visit-3", "p1", "/x", t0)
	if !first.New || first.PagesViewed != 1 || first.View.PageID != "p1" {
		t.Fatalf("first view = %+v", first)
	}
	again := add("visit-3", "p1", "/x", t0.Add(time.Minute))
	if again.New || again.PagesViewed != 1 || again.View.ID != first.View.ID || !again.View.StartedAt.Equal(t0) {
		t.Fatalf("reconnect on the same page = %+v, want the first view (%+v)", again, first.View)
	}
	if next := add("visit-3", "p2", "/y", t0.Add(time.Minute)); !next.New || next.PagesViewed != 2 {
		t.Fatalf("second page = %+v", next)
	}
	if other := add("visit-4", "p1", "/x", t0); !other.New || other.PagesViewed != 1 {
		t.Fatalf("same page id in another visit = %+v", other)
	}
	var wg sync.WaitGroup
	news := make(chan bool, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := f.s.AddPageView(f.ctx, desk.PageView{VisitorID: v.ID, VisitID: "visit-3", PageID: "p3", Page: desk.Page{URL: "/z"}, StartedAt: t0})
			if err != nil {
				t.Error(err)
				return
			}
			news <- got.New
		}()
	}
	wg.Wait()
	close(news)
	n := 0
	for isNew := range news {
		if isNew {
			n++
		}
	}
	if pvs, _ := f.s.PageViews(f.ctx, v.ID, "visit-3"); n != 1 || len(pvs) != 3 {
		t.Fatalf("8 adds of one page at once: %d new, %d views; want 1 and 3", n, len(pvs))
	}
}
