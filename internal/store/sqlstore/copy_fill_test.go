package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

var timeouts = desk.Timeouts{Inactivity: 20 * time.Minute, Left: 5 * time.Minute}

// filled is what fill wrote that a read-back needs to find it again.
type filled struct {
	site        desk.Site
	visitors    []desk.Visitor
	visits      map[int64]string // visitor → visit id with page views
	tokens      []string         // session token hashes
	invitations []int64
	cannedOwner int64 // an operator with personal canned replies
}

// filler fills a store through the Store API, as a server would have.
type filler struct {
	t   *testing.T
	s   store.Store
	ctx context.Context
	out filled
	ops []desk.Operator
}

func (f *filler) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// fill writes a site, operators, sessions, visitors with page views, chats
// in every state with messages, both kinds of rules, and invitations in
// every state.
func fill(t *testing.T, s store.Store) filled {
	f := &filler{t: t, s: s, ctx: context.Background(), out: filled{visits: map[int64]string{}}}
	site, err := s.EnsureSite(f.ctx, desk.Site{Key: "pk_copy", Name: "Copied site", AllowedOrigins: []string{"*"}, CreatedAt: t0},
		desk.Settings{ChatRule: desk.ChatRuleManual, InvitationText: desk.DefaultInvitationText, InactivityTimeout: 20 * time.Minute, LeftTimeout: 20 * time.Minute})
	f.must(err)
	f.out.site = site
	f.must(s.SetAllowedOrigins(f.ctx, site.ID, []string{"https://shop.test", "https://www.shop.test"}))
	f.must(s.SaveSettings(f.ctx, site.ID, desk.Settings{ChatRule: desk.ChatRuleAutomatic, InvitationText: "Hi, {operator} here",
		InactivityTimeout: 15 * time.Minute, LeftTimeout: 7 * time.Minute}))
	f.operators()
	f.rules()
	for i := range 8 {
		f.visitor(i)
	}
	f.chats()
	f.invitations()
	return f.out
}

func (f *filler) operators() {
	admin, err := f.s.CreateFirstOperator(f.ctx, desk.Operator{SiteID: f.out.site.ID, Name: "Ada Admin", Email: "ada@shop.test", PasswordHash: "$2a$hash",
		Role: desk.RoleAdmin, PriorityLevel: 1, ChatLimit: 5, Status: desk.StatusOnline, CreatedAt: t0})
	f.must(err)
	f.ops = append(f.ops, admin)
	for i, name := range []string{"John Mathews", "Anna Berg"} {
		o, err := f.s.CreateOperator(f.ctx, desk.Operator{SiteID: f.out.site.ID, Name: name, Email: fmt.Sprintf("op%d@shop.test", i), PasswordHash: "h" + name,
			Role: desk.RoleOperator, PriorityLevel: i + 2, ChatLimit: 3, Status: desk.StatusAway, CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
		f.must(err)
		f.ops = append(f.ops, o)
	}
	for i, o := range f.ops[:2] {
		token := fmt.Sprintf("token-hash-%d", i)
		f.must(f.s.CreateSession(f.ctx, desk.Session{TokenHash: token, OperatorID: o.ID, CSRFToken: "csrf", CreatedAt: t0, ExpiresAt: t0.Add(720 * time.Hour)}))
		f.out.tokens = append(f.out.tokens, token)
	}
}

func (f *filler) rules() {
	site := f.out.site.ID
	for i, name := range []string{"Product page", "From search", "Pricing"} {
		_, err := f.s.CreateActionRule(f.ctx, desk.ActionRule{SiteID: site, Name: name, Enabled: i != 1, TargetOperatorID: f.ops[1+i%2].ID,
			Conditions: []desk.Condition{{Field: desk.FieldURL, Op: desk.OpContains, Value: "/p" + name[:2]}, {Field: desk.FieldReferrer, Op: desk.OpContains, Value: "google"}}})
		f.must(err)
	}
	rules, err := f.s.ActionRules(f.ctx, site)
	f.must(err)
	f.must(f.s.MoveActionRule(f.ctx, site, rules[2].ID, -1)) // positions are not ids any more
	_, err = f.s.CreateInvitationRule(f.ctx, desk.InvitationRule{SiteID: site, Name: "Pricing help", Enabled: true,
		URL: &desk.Condition{Field: desk.FieldURL, Op: desk.OpStartsWith, Value: "https://shop.test/pricing"}, MinTimeOnPage: 30 * time.Second, MinPagesViewed: 2, Message: "Questions about plans?"})
	f.must(err)
	_, err = f.s.CreateInvitationRule(f.ctx, desk.InvitationRule{SiteID: site, Name: "Anywhere", Enabled: false, MinTimeOnPage: time.Minute, Message: "Need a hand?"})
	f.must(err)
	f.out.cannedOwner = f.ops[1].ID
	for _, r := range []desk.CannedReply{{Shortcut: "ship", Text: "We ship in 2 days, {visitor}."}, {OwnerID: f.ops[1].ID, Shortcut: "hi", Text: "{operator} here."}} {
		r.SiteID, r.CreatedAt, r.UpdatedAt = site, t0, t0.Add(time.Minute)
		_, err = f.s.CreateCannedReply(f.ctx, r)
		f.must(err)
	}
	quiet := false
	_, err = f.s.ChangePreferences(f.ctx, desk.DefaultPreferences(f.out.cannedOwner), desk.PreferencesChange{Sound: &quiet, Assigned: &quiet}, t0.Add(time.Hour))
	f.must(err)
}

func (f *filler) visitor(i int) {
	v, err := f.s.CreateVisitor(f.ctx, desk.Visitor{SiteID: f.out.site.ID, TokenHash: fmt.Sprintf("visitor-%d", i), Name: fmt.Sprintf("Visitor %06d", i),
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", CreatedAt: t0.Add(time.Duration(i) * time.Second)})
	f.must(err)
	visit := fmt.Sprintf("visit-%d", i)
	for j := range 2 {
		_, err := f.s.AddPageView(f.ctx, desk.PageView{VisitorID: v.ID, VisitID: visit, StartedAt: t0.Add(time.Duration(j) * time.Minute),
			Page: desk.Page{URL: fmt.Sprintf("https://shop.test/p%d", j), Title: "Product ünïcode ✓", Referrer: "https://google.test/?q=a%27b"}})
		f.must(err)
	}
	f.out.visitors = append(f.out.visitors, v)
	f.out.visits[v.ID] = visit
}

// start opens a chat for visitor i with a first message.
func (f *filler) start(i int, at time.Time) desk.Chat {
	f.t.Helper()
	v := f.out.visitors[i]
	c, _, err := f.s.CreateChat(f.ctx, store.NewChat{Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, Page: desk.Page{URL: "https://shop.test/p1", Title: "Product"},
			First: desk.Message{Author: desk.AuthorVisitor, Body: "Hello 'quoted' \"text\" ?", ClientID: fmt.Sprintf("c-%d", i)}, Timeouts: timeouts}, at)
	}})
	f.must(err)
	return c
}

func (f *filler) change(id int64, decide func(c desk.Chat) (desk.ChatChange, error)) desk.Chat {
	f.t.Helper()
	res, err := f.s.ChangeChat(f.ctx, store.ChatRef{ID: id}, func(tx store.ChatTx) (desk.ChatChange, error) { return decide(tx.Chat()) })
	f.must(err)
	return res.Chat
}

func (f *filler) answer(c desk.Chat, op desk.Operator, body string, at time.Time) {
	f.t.Helper()
	m := desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, Body: body, ClientID: "op-" + body, CreatedAt: at}
	_, _, _, err := f.s.AddMessage(f.ctx, store.ChatRef{ID: c.ID}, m, func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsOperator(c, op) })
	f.must(err)
}

// file sends a file in a chat: a message with its bytes in files.
func (f *filler) file(c desk.Chat, op desk.Operator, at time.Time) {
	f.t.Helper()
	m := desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, Body: "price list.pdf", ClientID: "op-file", CreatedAt: at,
		File: &desk.File{Name: "price list.pdf", Type: desk.TypePDF, Data: []byte("%PDF-1.4\n\x00\xff binary"), CreatedAt: at}}
	_, _, _, err := f.s.AddMessage(f.ctx, store.ChatRef{ID: c.ID}, m, func(c desk.Chat) (desk.ChatChange, error) { return desk.WriteAsOperator(c, op) })
	f.must(err)
}

// chats leaves chats waiting, active (taken, transferred), handed back and
// ended for every reason.
func (f *filler) chats() {
	john, anna := f.ops[1], f.ops[2]
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	f.start(0, at(1)) // waiting

	c := f.start(1, at(2)) // active, with a conversation
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, john, at(3)) })
	f.answer(c, john, "How can I help?", at(4))
	f.file(c, john, at(4))
	_, _, err := f.s.MarkRead(f.ctx, c.ID, john.ID, 2, at(4)) // John read the chat
	f.must(err)
	_, err = f.s.AddNote(f.ctx, desk.Note{ChatID: c.ID, OperatorID: john.ID, Body: "VIP customer, 'quoted'", CreatedAt: at(4)})
	f.must(err)

	c = f.start(2, at(3)) // transferred to Anna, then the visitor left
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, john, at(4)) })
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) {
		return desk.Transfer(c, john, anna, desk.StatusOnline, at(5))
	})
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.VisitorLeft(c, at(6), at(6), timeouts), nil })

	c = f.start(3, at(4)) // handed back to the queue
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, anna, at(5)) })
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.HandBack(c, anna.ID, at(6)), nil })

	c = f.start(4, at(5)) // ended by its operator
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.Take(c, john, at(6)) })
	f.answer(c, john, "Bye", at(7))
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.EndByOperator(c, john, at(8)) })
	om, err := f.s.AddOfflineMessage(f.ctx, desk.OfflineMessage{SiteID: f.out.site.ID, VisitorID: f.out.visitors[7].ID, Name: "Ann",
		Email: "ann@shop.test", Body: "Call me back", Page: desk.Page{URL: "https://shop.test/p1", Title: "Product"}, CreatedAt: at(9)})
	f.must(err)
	_, _, err = f.s.MarkOfflineHandled(f.ctx, om.ID, john.ID, at(10))
	f.must(err)
	f.must(f.s.RateChat(f.ctx, desk.Rating{ChatID: c.ID, Value: desk.RatingGood, Comment: "Quick, \"kind\"", At: at(9)}))

	c = f.start(5, at(6)) // ended for inactivity, never answered
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.EndOverdue(c, at(60)), nil })

	c = f.start(6, at(7)) // ended because the visitor left
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.VisitorLeft(c, at(8), at(8), timeouts), nil })
	f.change(c.ID, func(c desk.Chat) (desk.ChatChange, error) { return desk.EndOverdue(c, at(30)), nil })
	f.start(6, at(40)) // the same visitor came back: a second chat, waiting
}

// invitations leaves one open, one dismissed, one expired, and one accepted
// whose chat went straight to the inviting operator.
func (f *filler) invitations() {
	site, john := f.out.site.ID, f.ops[1]
	add := func(v int, kind desk.InvitationKind, op, rule int64) desk.Invitation {
		inv, err := f.s.CreateInvitation(f.ctx, desk.Invitation{SiteID: site, VisitorID: f.out.visitors[v].ID, Kind: kind, OperatorID: op, RuleID: rule,
			Text: "Hello! John here.", CreatedAt: t0.Add(time.Hour)})
		f.must(err)
		f.out.invitations = append(f.out.invitations, inv.ID)
		return inv
	}
	add(7, desk.InvitationManual, john.ID, 0)
	rules, err := f.s.InvitationRules(f.ctx, site)
	f.must(err)
	inv := add(5, desk.InvitationAutomated, 0, rules[0].ID)
	_, _, err = f.s.CloseInvitation(f.ctx, inv.ID, desk.InvitationDismissed, t0.Add(2*time.Hour))
	f.must(err)
	inv = add(4, desk.InvitationAutomated, 0, rules[0].ID)
	_, _, err = f.s.CloseInvitation(f.ctx, inv.ID, desk.InvitationExpired, t0.Add(2*time.Hour))
	f.must(err)
	inv = add(4, desk.InvitationManual, john.ID, 0)
	v := f.out.visitors[4]
	_, _, err = f.s.CreateChat(f.ctx, store.NewChat{AcceptInvitation: inv.ID, Build: func() (desk.Chat, []desk.Message) {
		return desk.StartChat(desk.ChatStart{Visitor: v, Page: desk.Page{URL: "https://shop.test/"}, Invitation: &inv, InviterOnline: true,
			First: desk.Message{Author: desk.AuthorVisitor, Body: "Yes please", ClientID: "accept"}, Timeouts: timeouts}, t0.Add(3*time.Hour))
	}})
	f.must(err)
}
