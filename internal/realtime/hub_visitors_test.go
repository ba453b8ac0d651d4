package realtime

import (
	"testing"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
)

const otherToken = "vt_other"

// A visitor's tabs hear their own chat and invitations from the site
// subject, every tab of them, and never another visitor's; a closed tab
// leaves the index.
func TestVisitorHearsOnlyItsOwnEvents(t *testing.T) {
	s := newTestServer(t)
	mine, _, _ := s.visitor(true)
	mineAgain, _, _ := s.visitor(true) // a second tab of the same visitor
	other := s.dial(true)
	other.send(map[string]any{"type": "hello", "token": otherToken, "page": map[string]any{"url": testOrigin + "/pricing"}})
	if w := other.nextType("welcome"); w.obj("visitor").num("id") != otherVisitor.ID {
		t.Fatalf("welcome = %v, want the other visitor", w)
	}

	s.invite(1, "for the test visitor")
	for i, p := range []*peer{mine, mineAgain} {
		if f := p.nextType("invitation"); f.obj("invitation").str("text") != "for the test visitor" {
			t.Fatalf("tab %d: invitation = %v", i+1, f)
		}
	}
	if got := other.roundTrip(); len(got) != 0 {
		t.Fatalf("the other visitor heard %v", got)
	}

	chat := desk.Chat{ID: 77, SiteID: 1, VisitorID: otherVisitor.ID, State: desk.ChatWaiting, StartedBy: desk.AuthorVisitor, Version: 1}
	s.publish(bus.SiteSubject(1), bus.Event{Kind: bus.KindChat, SiteID: 1, Chat: &chat})
	if f := other.nextType("chat"); f.obj("chat").num("id") != 77 {
		t.Fatalf("the other visitor's chat frame = %v", f)
	}
	for i, p := range []*peer{mine, mineAgain} {
		if got := p.roundTrip(); len(got) != 0 {
			t.Fatalf("tab %d of the test visitor heard %v", i+1, got)
		}
	}

	other.ws.Close()
	waitFor(t, "the other visitor's tab to leave the index", func() bool {
		s.hub.mu.RLock()
		defer s.hub.mu.RUnlock()
		sc := s.hub.subjects[bus.SiteSubject(1)]
		return sc != nil && len(sc.visitors[otherVisitor.ID]) == 0 && len(sc.visitors[testVisitor.ID]) == 2
	})
}
