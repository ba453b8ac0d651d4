// Package visitors follows the visitors on the site (SPEC 1, 4): a visitor
// is on the site while one of its tabs — on any node — holds a socket, and
// has left once the last one has been gone for the presence grace, so a
// page navigation is not a departure. Each node keeps every present
// visitor's visit and Visitor List row, fed only by presence (who is here,
// on which page) and by bus events (their chats and invitations): nothing
// in it depends on a call another node would not see.
//
// It also runs what hangs on a visit: manual invitations, the automated
// invitation triggers, and what a visitor leaving or coming back does to
// their chat.
package visitors

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
	"outputdesk/internal/visitorlist"
)

// Deps are what the service needs.
type Deps struct {
	// Life (required) is what the service's own work runs under; app.Close
	// cancels it once that work is stopped and drained.
	Life     context.Context
	Store    store.Store
	Presence presence.Presence
	List     *visitorlist.List
	Announce bus.Announcer
	Clock    clock.Clock
	Log      *slog.Logger
	// Grace is how long a visitor with no tab is still on the site.
	Grace time.Duration
	// Cooldown is how long automated invitations wait after a dismissal.
	Cooldown time.Duration
	// Site is the cached site and settings; Rules the "Send Invitation"
	// rules, in order.
	Site  func() (desk.Site, desk.Settings)
	Rules func() []desk.InvitationRule
	// NewVisitorWait is how long a new visitor's record waits for others
	// to share its commit (0: none waits).
	NewVisitorWait time.Duration
	// Hears reports whether this node hears every other node now (nil:
	// always). A grace that runs out while it does not is given again:
	// presence may be stale, and a visitor on another node is not gone.
	Hears func() bool
}

func (s *Service) hears() bool { return s.d.Hears == nil || s.d.Hears() }

// Service is one node's view of the site's visitors.
type Service struct {
	d Deps

	mu     sync.Mutex
	visits map[int64]*visit
	// tabs are this node's tabs, by socket: presence holds what they show
	tabs map[uint64]presence.ConnID
	// lastDismissed outlives visits: the invitation cool-down holds across
	// a quick return.
	lastDismissed map[int64]time.Time
	// startupLeft are the graces given, after a start, to visitors with an
	// open chat who are on no node yet.
	startupLeft map[int64]clock.Timer
	// created are visitors IdentifyVisitor made just now, until their
	// first tab opens: they have no chat and no invitation to read.
	created   map[int64]opening
	newcomers newcomers
	load      loader
	stopped   bool
}

// visit is a visitor's visit as this node sees it: present on some node,
// or in its leave grace.
type visit struct {
	id string
	// What presence said of the visitor's tabs, as last heard: one tab,
	// not all of them, because every node keeps a visit for every visitor
	// of the cluster. present is false during the grace.
	present bool
	node    string // of the tab shown last
	// shown is the visit's Visitor List row as last built: the page of the
	// tab shown last (its page is the visitor's), the visit's start,
	// referrer and pages. The Visitor List holds the same row, and a row is
	// never changed in place (a change makes a new one), so a visit keeps
	// these once, not twice, for every visitor of the cluster.
	shown *protocol.VisitorRow

	// loaded is set once the visitor's chat and invitation have been read
	// (store.RecentOf); until then the row is not shown and no invitation
	// is decided, rather than shown wrong.
	loaded bool
	// activity is the visit's chat and invitation as last heard; nil while
	// there is none. Most visitors never chat nor are invited, and every
	// node keeps a visit for every visitor of the cluster: 8 bytes, not
	// 136, for each of them.
	activity *desk.VisitorActivity
	fired    map[int64]bool // automated invitation rules fired this visit; nil until one fires

	leaveTimer  clock.Timer
	leftAt      time.Time // when the last tab went; zero while one is open
	inviteTimer clock.Timer
}

// act is the visit's activity: the zero value while there is none.
func (vs *visit) act() desk.VisitorActivity {
	if vs.activity == nil {
		return desk.VisitorActivity{}
	}
	return *vs.activity
}

// changeAct is the visit's activity to change, made at the first change.
func (vs *visit) changeAct() *desk.VisitorActivity {
	if vs.activity == nil {
		vs.activity = &desk.VisitorActivity{}
	}
	return vs.activity
}

func (vs *visit) startedAt() time.Time { return time.Time(vs.shown.VisitStartedAt) }
func (vs *visit) referrer() string     { return vs.shown.Referrer }
func (vs *visit) pages() int           { return vs.shown.PagesViewed }

// show makes the visit's row show tab, the tab shown last, and the visit's
// referrer and pages.
func (vs *visit) show(t presence.Tab, referrer string, pages int) {
	r := *vs.shown
	r.Name, r.Browser, r.OS, r.Referrer, r.PagesViewed = t.Name, t.Browser, t.OS, referrer, pages
	r.Page, r.PageStartedAt = protocol.PageOf(t.Page), protocol.Time(t.PageStartedAt)
	vs.shown, vs.node = &r, t.Node
}

// New returns the service and starts following presence.
func New(d Deps) *Service {
	s := &Service{d: d, visits: map[int64]*visit{}, tabs: map[uint64]presence.ConnID{},
		lastDismissed: map[int64]time.Time{}, startupLeft: map[int64]clock.Timer{}, created: map[int64]opening{}}
	s.load.s = s
	s.newcomers = newcomers{store: d.Store, clock: d.Clock, wait: d.NewVisitorWait, life: d.Life}
	d.Presence.Watch(func(ch presence.Change) {
		if ch.VisitorID != 0 {
			s.follow(ch.VisitorID)
		}
	})
	return s
}

// Stop stops every timer (shutdown), and writes the new visitors waiting.
func (s *Service) Stop() {
	s.newcomers.stop()
	s.mu.Lock()
	s.stopped = true
	for _, vs := range s.visits {
		stopTimer(&vs.leaveTimer)
		stopTimer(&vs.inviteTimer)
	}
	for _, t := range s.startupLeft {
		t.Stop()
	}
	s.mu.Unlock()
	s.load.done.Wait()
}

// NewVisitorsWaiting is how many new visitors wait for the commit they
// share (NewVisitorWait).
func (s *Service) NewVisitorsWaiting() int { return s.newcomers.waiting() }

func stopTimer(t *clock.Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}

// follow brings a visitor's visit up to date with presence: a visitor seen
// for the first time starts a visit here, one with no tab left starts its
// grace, one back within it carries on.
func (s *Service) follow(visitorID int64) {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	pv, present := s.d.Presence.Visitor(visitorID)
	vs := s.visits[visitorID]
	if !present {
		if vs != nil && vs.leftAt.IsZero() {
			vs.present = false
			vs.leftAt = s.d.Clock.Now()
			stopTimer(&vs.inviteTimer)
			vs.leaveTimer = s.d.Clock.AfterFunc(s.d.Grace, func() { s.left(visitorID, vs) })
		}
		s.mu.Unlock()
		return
	}
	first := pv.Visit()
	if vs == nil || vs.id != first.VisitID {
		vs = s.startVisitLocked(visitorID, first.VisitID, first.VisitStartedAt, first.Referrer, false)
	}
	stopTimer(&vs.leaveTimer)
	vs.leftAt, vs.present = time.Time{}, true
	vs.show(pv.Current(), first.Referrer, pv.PagesViewed())
	if t := s.startupLeft[visitorID]; t != nil {
		t.Stop()
		delete(s.startupLeft, visitorID)
	}
	s.publishLocked(visitorID, vs)
}

// fire notes that an automated invitation rule fired this visit.
func (vs *visit) fire(ruleID int64) {
	if vs.fired == nil {
		vs.fired = map[int64]bool{}
	}
	vs.fired[ruleID] = true
}

// startVisitLocked starts this node's record of a visit, to be loaded
// unless the visitor is new (nothing to load).
func (s *Service) startVisitLocked(visitorID int64, id string, at time.Time, referrer string, isNew bool) *visit {
	if old := s.visits[visitorID]; old != nil {
		stopTimer(&old.leaveTimer)
		stopTimer(&old.inviteTimer)
	}
	vs := &visit{id: id, shown: &protocol.VisitorRow{ID: visitorID, VisitStartedAt: protocol.Time(at), Referrer: referrer}, loaded: isNew}
	s.visits[visitorID] = vs
	if !isNew {
		s.load.add(visitorID)
	}
	return vs
}

// publishLocked shows the visit's row, and decides its invitations; it
// unlocks s.mu.
func (s *Service) publishLocked(visitorID int64, vs *visit) {
	if !vs.loaded || !vs.present {
		s.mu.Unlock()
		return
	}
	row := s.rowLocked(visitorID, vs)
	vs.shown = row
	s.mu.Unlock()
	s.d.List.Upsert(row)
	s.evaluate(visitorID)
}

// left ends the visit once the grace has passed with no tab back: the row
// goes, an open invitation expires, and an open chat starts its left-site
// countdown now (SPEC 5). Every node that saw the visit does this; the
// store's decisions make the second a no-op.
func (s *Service) left(visitorID int64, vs *visit) {
	s.mu.Lock()
	if s.visits[visitorID] != vs || vs.leftAt.IsZero() || s.stopped {
		s.mu.Unlock()
		return
	}
	if !s.hears() {
		s.d.Log.Info("visitor grace ran out while this node does not hear the others: given again", "visitor", visitorID)
		vs.leaveTimer = s.d.Clock.AfterFunc(s.d.Grace, func() { s.left(visitorID, vs) })
		s.mu.Unlock()
		return
	}
	delete(s.visits, visitorID)
	stopTimer(&vs.inviteTimer)
	act, known := vs.act(), vs.loaded
	s.mu.Unlock()

	s.d.List.Remove(visitorID)
	ctx, now := s.d.Life, s.d.Clock.Now()
	if !known || act.Invitation == desk.InvitationOpen {
		s.expireInvitation(ctx, visitorID)
	}
	if !known || act.ChatState == desk.ChatWaiting || act.ChatState == desk.ChatActive {
		s.setLeft(ctx, store.ChatRef{OpenOf: visitorID}, now)
	}
}

// CurrentPage is the page a present visitor is on.
func (s *Service) CurrentPage(visitorID int64) (desk.Page, bool) {
	pv, ok := s.d.Presence.Visitor(visitorID)
	if !ok {
		return desk.Page{}, false
	}
	return pv.Current().Page, true
}

// SeemsToChat tells, from what this node has heard, whether a visitor has
// an open chat. It is a hint for where to send their message first (a
// wrong guess costs one more try), never a decision.
func (s *Service) SeemsToChat(visitorID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	vs := s.visits[visitorID]
	if vs == nil || !vs.loaded {
		return true
	}
	state := vs.act().ChatState
	return state == desk.ChatWaiting || state == desk.ChatActive
}
