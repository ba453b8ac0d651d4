package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/config"
	"outputdesk/internal/ids"
	"outputdesk/internal/testwait"
)

// visitors waits for the next Visitor List frame.
func (c *console) visitors() frame {
	c.t.Helper()
	return c.nextType("visitors")
}

// rowOf finds a visitor's row in a visitors frame.
func rowOf(f frame, visitorID int64) frame {
	for _, r := range f.list("upsert") {
		if r.num("id") == visitorID {
			return r
		}
	}
	return nil
}

func removed(f frame, visitorID int64) bool {
	for _, id := range f["remove"].([]any) {
		if int64(id.(float64)) == visitorID {
			return true
		}
	}
	return false
}

// visitorID is the visitor's id, from its welcome.
func (w *widget) visitorID() int64 { return w.welcome.obj("visitor").num("id") }

// batch advances the clock by one Visitor List interval and returns the
// batch the console gets then; batches sent before are skipped.
func (s *server) batch(c *console) frame {
	s.t.Helper()
	c.sync()
	for _, f := range c.drain() {
		if f.str("type") != "visitors" {
			c.pending = append(c.pending, f)
		}
	}
	s.advance(s.cfg.VisitorListEvery)
	return c.visitors()
}

func addInvitationRule(t *testing.T, admin *operator, url string, seconds, pages int, message string) {
	t.Helper()
	admin.mustDo("POST", "/api/invitation-rules", map[string]any{"name": "Rule " + message, "enabled": true,
		"url": map[string]string{"op": "contains", "value": url}, "min_time_on_page_seconds": seconds, "min_pages_viewed": pages, "message": message}, 201, nil)
}

// A visitor who stays on the page past the rule's N seconds gets exactly one
// invitation with the rule's text; one who leaves the page first gets none.
func TestAutomatedInvitation(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	addInvitationRule(t, admin, "/product", 10, 0, "Questions about the kettle?")

	stays := s.visitor("/demo/product")
	leaves := s.visitor("/demo/product")
	s.advance(6 * time.Second)
	// the second visitor moves on to pricing before 10 s on the page
	leaves.send(map[string]any{"type": "page", "page": map[string]any{"id": "pv-next", "url": s.base + "/demo/pricing", "title": "Pricing"}, "visible": true})
	leaves.sync()
	s.advance(4 * time.Second)

	inv := stays.nextType("invitation").obj("invitation")
	if inv.str("text") != "Questions about the kettle?" || inv.str("kind") != "automated" || inv.obj("operator") != nil {
		t.Fatalf("invitation = %v", inv)
	}
	s.advance(time.Hour)
	for _, w := range []*widget{stays, leaves} {
		w.sync()
		for _, f := range w.drain() {
			if f.str("type") == "invitation" {
				t.Fatalf("an invitation too many: %v", f)
			}
		}
	}
	// it is accepted by replying; the chat is routed like a visitor's (Manual: waits)
	stays.say("Yes: is it dishwasher safe?")
	c, msgs := admin.chat(stays.chatID)
	if c.StartedBy != "operator" || c.State != "waiting" || len(msgs) != 2 || msgs[0].Body != "Questions about the kettle?" || msgs[0].Author != "system" {
		t.Fatalf("accepted automated invitation: %+v %+v", c, msgs)
	}
	stays.nextType("invitation.closed")
}

// Dismissing stops automated invitations for the cool-down, and the row says
// so; a chat blocks them.
func TestInvitationDismissAndCooldown(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.InvitationCooldown = 10 * time.Minute })
	admin := s.firstAdmin()
	addInvitationRule(t, admin, "/pricing", 5, 0, "Need a plan?")
	addInvitationRule(t, admin, "/pricing", 60, 0, "Still deciding?")
	con := admin.console(nil, true)
	con.visitors()
	v := s.visitor("/demo/pricing")
	s.advance(5 * time.Second)
	inv := v.nextType("invitation").obj("invitation")
	ref := v.ref()
	v.send(map[string]any{"type": "invitation.dismiss", "ref": ref, "invitation_id": inv.num("id")})
	if r := v.reply(ref); r.str("type") != "ack" {
		t.Fatalf("dismiss = %v", r)
	}
	if f := v.nextType("invitation.closed"); f.str("state") != "dismissed" {
		t.Fatalf("closed = %v", f)
	}
	row := rowOf(s.batch(con), v.visitorID())
	if row.str("status") != "Invitation dismissed" || !row["can_invite"].(bool) {
		t.Fatalf("row after dismissal = %v", row)
	}
	// the 60 s rule would fire at 60 s, but the cool-down holds it to 10 min after the dismissal
	s.advance(2 * time.Minute)
	v.sync()
	for _, f := range v.drain() {
		if f.str("type") == "invitation" {
			t.Fatalf("invited during the cool-down: %v", f)
		}
	}
	s.advance(8 * time.Minute)
	if got := v.nextType("invitation").obj("invitation").str("text"); got != "Still deciding?" {
		t.Fatalf("after the cool-down: %q", got)
	}
}

// "Invite": the widget gets the Chat Invitation Text with the operator's
// name; a reply makes a chat with that operator, started by the operator.
func TestManualInvitation(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	anna := admin.addOperator("Anna Berg", 2, 0) // a manual invitation ignores the chat limit
	admin.patchSettings(map[string]any{"invitation_text": "Hi there! {operator} from Kettle & Bean here."})
	ac := anna.console(nil, true)
	ac.visitors()
	v := s.visitor("/demo/pricing")
	row := rowOf(s.batch(ac), v.visitorID())
	if row.str("status") != "Browsing" || row.obj("page").str("title") != "Pricing" || row.num("pages_viewed") != 1 ||
		row.str("browser") != "Chrome 156" || row.str("os") != "Linux" || !row["can_invite"].(bool) {
		t.Fatalf("row = %v", row)
	}
	var inv map[string]any
	anna.mustDo("POST", fmt.Sprintf("/api/visitors/%d/invite", v.visitorID()), nil, 201, &inv)
	got := v.nextType("invitation").obj("invitation")
	if got.str("text") != "Hi there! Anna Berg from Kettle & Bean here." || got.obj("operator").str("name") != "Anna Berg" || got.str("kind") != "manual" {
		t.Fatalf("invitation = %v", got)
	}
	row = rowOf(s.batch(ac), v.visitorID())
	if row.str("status") != "Invited" || row["can_invite"].(bool) {
		t.Fatalf("row while invited = %v", row)
	}
	if st := anna.do("POST", fmt.Sprintf("/api/visitors/%d/invite", v.visitorID()), nil, nil); st != 409 {
		t.Fatalf("a second invitation while one is open: %d", st)
	}
	v.say("Yes please, which plan fits a café?")
	chat := ac.chatWith(v.chatID, "active", "Anna Berg")
	if chat.str("started_by") != "operator" || chat.num("invitation_id") != int64(inv["id"].(float64)) || lastRouting(chat).str("text") != "Invited by Anna Berg" {
		t.Fatalf("chat = %v", chat)
	}
	if m := ac.message("Yes please, which plan fits a café?"); m.num("seq") != 2 {
		t.Fatalf("reply = %v", m)
	}
	if m := v.message("Hi there! Anna Berg from Kettle & Bean here."); m.str("author") != "operator" {
		t.Fatalf("the invitation line = %v", m)
	}
	row = rowOf(s.batch(ac), v.visitorID())
	if row.str("status") != "Chatting with Anna Berg" || row["can_invite"].(bool) {
		t.Fatalf("row while chatting = %v", row)
	}
	if st := anna.do("POST", "/api/visitors/424242/invite", nil, nil); st != 404 {
		t.Fatalf("inviting a visitor not on the site: %d", st)
	}
}

// Presence: two tabs are one row; a navigation within the grace keeps the
// row; closing every tab removes it after the grace. Changes are batched.
func TestPresenceAndVisitorList(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.PresenceGrace = 10 * time.Second })
	admin := s.firstAdmin()
	con := admin.console(nil, true)
	if f := con.visitors(); !f["reset"].(bool) || len(f.list("upsert")) != 0 {
		t.Fatalf("first visitors frame = %v", f)
	}
	home := s.visitor("/demo/")
	id := home.visitorID()
	pricing := home.tab("/demo/pricing")
	if pricing.visitorID() != id {
		t.Fatal("a second tab is a second visitor")
	}
	f := s.batch(con)
	if len(f.list("upsert")) != 1 {
		t.Fatalf("two tabs gave rows %v", f["upsert"])
	}
	if r := rowOf(f, id); r.num("pages_viewed") != 2 || r.obj("page").str("title") != "Pricing" {
		t.Fatalf("row = %v", r)
	}
	// a navigation: the pricing tab goes to the product page (socket closes, a new one opens)
	pricing.close()
	product := home.tab("/demo/product")
	s.advance(30 * time.Second)
	con.sync()
	for _, f := range con.drain() {
		if f.str("type") == "visitors" && removed(f, id) {
			t.Fatal("a navigation removed the row")
		}
	}
	var pages struct {
		Pages []struct{ Title string }
	}
	admin.mustDo("GET", fmt.Sprintf("/api/visitors/%d/pages", id), nil, 200, &pages)
	if fmt.Sprint(pages.Pages) != "[{Home} {Pricing} {Product}]" {
		t.Fatalf("pages viewed = %v", pages.Pages)
	}
	// many changes within one interval: one batch
	for i := 0; i < 10; i++ {
		product.send(map[string]any{"type": "page", "page": map[string]any{"id": fmt.Sprintf("spa-%d", i), "url": fmt.Sprintf("%s/demo/product#%d", s.base, i), "title": "Product"}, "visible": true})
	}
	product.sync()
	f = s.batch(con)
	if r := rowOf(f, id); r == nil || r.num("pages_viewed") != 13 {
		t.Fatalf("batched row = %v", r)
	}
	con.sync()
	for _, f := range con.drain() {
		if f.str("type") == "visitors" {
			t.Fatalf("a second batch within one interval: %v", f)
		}
	}
	// all tabs close: the row goes after the grace, not before
	home.close()
	product.close()
	waitFor(t, "the server to see the tabs go", func() bool { return s.app.OpenTabs(id) == 0 })
	s.advance(9 * time.Second)
	con.sync()
	for _, f := range con.drain() {
		if f.str("type") == "visitors" && removed(f, id) {
			t.Fatal("the row went before the grace")
		}
	}
	s.advance(time.Second)
	f = s.batch(con)
	if !removed(f, id) || rowOf(f, id) != nil {
		t.Fatalf("the row stayed after the grace: %v", f)
	}
}

// New visitors arriving together share a commit: their welcomes wait for
// the --new-visitor-wait to run out, and then each has its own visitor,
// whose token works at once. A returning visitor (its token known) waits
// for nothing.
func TestNewVisitorsShareACommit(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.NewVisitorWait = time.Second })
	u := strings.Replace(s.base, "http", "ws", 1) + "/ws/visitor?site_key=" + url.QueryEscape(s.siteKey())
	var socks []*socket
	for i := range 3 {
		ws := dial(t, u, http.Header{"Origin": {s.base}})
		ws.send(map[string]any{"type": "hello", "page": map[string]any{"id": fmt.Sprintf("pv-%d", i), "url": s.base + "/", "title": "Home"}})
		socks = append(socks, ws)
	}
	testwait.Until(t, "3 new visitors waiting for their commit", func() bool { return s.app.NewVisitorsWaiting() == 3 })
	s.advance(time.Second)
	site, err := s.app.Store().SiteByKey(s.ctx, s.siteKey())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var token string
	for i, ws := range socks {
		w := ws.nextType("welcome")
		id := w.obj("visitor").num("id")
		v, err := s.app.Store().VisitorByToken(s.ctx, site.ID, ids.Hash(w.str("token")))
		if id == 0 || seen[id] || err != nil || v.ID != id {
			t.Fatalf("visitor %d: welcome id %d (seen %v); stored %+v, %v", i, id, seen, v, err)
		}
		seen[id], token = true, w.str("token")
	}
	back := &widget{srv: s, token: token, page: "/"}
	back.connect("/", "pv-back") // no clock moves: it waits for nothing
	if back.visitorID() == 0 || !seen[back.visitorID()] {
		t.Fatalf("returning visitor = %d, want one of %v", back.visitorID(), seen)
	}
}
