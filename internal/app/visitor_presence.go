package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// visitorPresence follows visitors on the site (SPEC 1): a visitor is on the
// site while one of its tabs holds a socket, and has left once the last tab
// has been gone for the presence grace, so a page navigation is not a
// departure. It keeps each visit's pages and the row the Visitor List shows.
type visitorPresence struct {
	a *App

	mu     sync.Mutex
	visits map[int64]*visit
	// lastDismissed outlives visits: the invitation cool-down holds across
	// a quick return.
	lastDismissed map[int64]time.Time
	// startupLeft are the graces given, after a restart, to visitors with an
	// open chat who have not reconnected yet.
	startupLeft map[int64]clock.Timer
}

type visit struct {
	visitor   desk.Visitor
	id        string
	startedAt time.Time
	tabs      map[uint64]*tab
	pages     map[string]time.Time // page-load id → start, this visit
	pageCount int
	referrer  string // of the visit's first page
	browser   string
	os        string

	page          desk.Page // the current page: the tab shown last
	pageStartedAt time.Time
	shown         uint64 // counts tabs being shown, to order them

	leaveTimer clock.Timer
	leftAt     time.Time // when the last tab closed; zero while one is open

	activity    desk.VisitorActivity
	fired       map[int64]bool // automated invitation rules fired this visit
	inviteTimer clock.Timer
}

type tab struct {
	pageID    string
	page      desk.Page
	startedAt time.Time
	visible   bool
	shownSeq  uint64 // when it loaded or last became visible, in visit.shown counts
}

func newVisitorPresence(a *App) *visitorPresence {
	return &visitorPresence{a: a, visits: map[int64]*visit{}, lastDismissed: map[int64]time.Time{}, startupLeft: map[int64]clock.Timer{}}
}

// IdentifyVisitor finds the visitor of a widget token, or makes a new one.
func (a *App) IdentifyVisitor(ctx context.Context, site desk.Site, token, ua string) (desk.Visitor, string, error) {
	if token != "" {
		v, err := a.store.VisitorByToken(ctx, site.ID, hashToken(token))
		if err == nil {
			if ua != "" && ua != v.UserAgent {
				v.UserAgent = ua
				if err := a.store.SetVisitorUserAgent(ctx, v.ID, ua); err != nil {
					return v, token, err
				}
			}
			return v, token, nil
		}
		if !errors.Is(err, desk.ErrNotFound) {
			return v, token, err
		}
	}
	token = randomToken("vt_")
	v, err := a.store.CreateVisitor(ctx, desk.Visitor{SiteID: site.ID, TokenHash: hashToken(token), Name: "Visitor " + shortID(), UserAgent: ua, CreatedAt: a.clock.Now()})
	return v, token, err
}

// TabOpened: a tab connected with a page. A visitor with no visit starts
// one; a visitor in its grace is back (a navigation).
func (a *App) TabOpened(v desk.Visitor, tabID uint64, in protocol.PageIn, visible bool) {
	p, now := a.visitors, a.clock.Now()
	page, pageID := in.Desk(), pageIDOf(in, tabID)
	p.mu.Lock()
	vs := p.visits[v.ID]
	arrived := vs == nil
	if arrived {
		vs = &visit{id: randomHex(8), startedAt: now, tabs: map[uint64]*tab{}, pages: map[string]time.Time{}, fired: map[int64]bool{}}
		vs.browser, vs.os = desk.BrowserAndOS(v.UserAgent)
		p.visits[v.ID] = vs
		if t := p.startupLeft[v.ID]; t != nil {
			t.Stop()
			delete(p.startupLeft, v.ID)
		}
	}
	if vs.leaveTimer != nil {
		vs.leaveTimer.Stop()
		vs.leaveTimer = nil
	}
	vs.visitor, vs.leftAt = v, time.Time{}
	start, newPage := vs.viewPage(pageID, page, now)
	vs.shown++
	vs.tabs[tabID] = &tab{pageID: pageID, page: page, startedAt: start, visible: visible, shownSeq: vs.shown}
	vs.refreshCurrent()
	row, visitID := p.rowLocked(v.ID, vs), vs.id
	p.mu.Unlock()

	if newPage {
		a.recordPageView(v.ID, visitID, page, start)
	}
	if arrived {
		a.visitorArrived(v)
	}
	a.list.upsert(row)
	a.evaluateInvitations(v.ID)
}

// TabPage: a tab's visibility changed, or a single-page site moved to a new
// page (a new page id).
func (a *App) TabPage(v desk.Visitor, tabID uint64, in protocol.PageIn, visible bool) {
	p, now := a.visitors, a.clock.Now()
	page, pageID := in.Desk(), pageIDOf(in, tabID)
	p.mu.Lock()
	vs := p.visits[v.ID]
	t := (*tab)(nil)
	if vs != nil {
		t = vs.tabs[tabID]
	}
	if t == nil {
		p.mu.Unlock()
		return
	}
	var start time.Time
	newPage := false
	if pageID != t.pageID {
		start, newPage = vs.viewPage(pageID, page, now)
		t.pageID, t.page, t.startedAt = pageID, page, start
	}
	if newPage || visible && !t.visible {
		vs.shown++
		t.shownSeq = vs.shown
	}
	t.visible = visible
	vs.refreshCurrent()
	row, visitID := p.rowLocked(v.ID, vs), vs.id
	p.mu.Unlock()
	if newPage {
		a.recordPageView(v.ID, visitID, page, start)
	}
	a.list.upsert(row)
	a.evaluateInvitations(v.ID)
}

// TabClosed: a tab's socket ended. When it was the last, the visitor has
// left once the grace passes without a tab coming back.
func (a *App) TabClosed(v desk.Visitor, tabID uint64) {
	p, now := a.visitors, a.clock.Now()
	p.mu.Lock()
	vs := p.visits[v.ID]
	if vs == nil {
		p.mu.Unlock()
		return
	}
	delete(vs.tabs, tabID)
	if len(vs.tabs) == 0 {
		vs.leftAt = now
		vs.leaveTimer = a.clock.AfterFunc(a.cfg.PresenceGrace, func() { a.visitorLeft(v.ID, vs) })
		p.mu.Unlock()
		return
	}
	vs.refreshCurrent()
	row := p.rowLocked(v.ID, vs)
	p.mu.Unlock()
	a.list.upsert(row)
}

// visitorLeft ends the visit once the presence grace has passed: the row
// goes, an open invitation expires, and an open chat starts its left-site
// countdown now (SPEC 5). The visitor has left only now, so with the
// defaults a chat ends 20 min 10 s after its last tab closed.
func (a *App) visitorLeft(visitorID int64, vs *visit) {
	p := a.visitors
	p.mu.Lock()
	if p.visits[visitorID] != vs || len(vs.tabs) > 0 || vs.leftAt.IsZero() {
		p.mu.Unlock()
		return
	}
	delete(p.visits, visitorID)
	if vs.inviteTimer != nil {
		vs.inviteTimer.Stop()
	}
	p.mu.Unlock()

	a.list.remove(visitorID)
	a.expireInvitation(bg(), visitorID)
	a.markChatLeft(bg(), visitorID, a.clock.Now())
}

// markChatLeft starts the left-site countdown of the visitor's open chat.
func (a *App) markChatLeft(ctx context.Context, visitorID int64, at time.Time) {
	a.setVisitorLeft(ctx, store.ChatRef{OpenOf: visitorID}, at)
}

// setVisitorLeft records a visitor leaving (at non-zero) or coming back on
// their chat (SPEC 5).
func (a *App) setVisitorLeft(ctx context.Context, ref store.ChatRef, at time.Time) {
	now, t := a.clock.Now(), a.timeouts()
	res, err := a.store.ChangeChat(ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.VisitorLeft(tx.Chat(), at, now, t), nil
	})
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			a.log.Error("visitor presence on chat", "err", err)
		}
		return
	}
	if res.Changed {
		a.announceChange(res)
	}
}

// visitorArrived starts a visit's record: a chat the visitor left is open
// again, and an invitation left open by a restart expires.
func (a *App) visitorArrived(v desk.Visitor) {
	ctx := bg()
	a.expireInvitation(ctx, v.ID)
	chat, err := a.store.OpenChatOf(ctx, v.ID)
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			a.log.Error("visitor arrived: open chat", "err", err)
		}
		return
	}
	a.visitors.chatChanged(chat)
	if !chat.VisitorLeftAt.IsZero() {
		a.setVisitorLeft(ctx, store.ChatRef{ID: chat.ID}, time.Time{})
	}
}

func (a *App) recordPageView(visitorID int64, visitID string, page desk.Page, at time.Time) {
	if _, err := a.store.AddPageView(bg(), desk.PageView{VisitorID: visitorID, VisitID: visitID, Page: page, StartedAt: at}); err != nil {
		a.log.Error("page view", "err", err)
	}
}

// viewPage notes a page of this visit; a page id seen before (a socket that
// reconnected on the same page) keeps its start and is not counted again.
func (vs *visit) viewPage(pageID string, page desk.Page, now time.Time) (start time.Time, isNew bool) {
	if start, seen := vs.pages[pageID]; seen {
		return start, false
	}
	vs.pages[pageID] = now
	vs.pageCount++
	if vs.pageCount == 1 {
		vs.referrer = page.Referrer
	}
	return now, true
}

// refreshCurrent makes the page of the tab shown last the visitor's page.
func (vs *visit) refreshCurrent() {
	var best *tab
	for _, t := range vs.tabs {
		if best == nil || t.shownSeq > best.shownSeq {
			best = t
		}
	}
	if best != nil {
		vs.page, vs.pageStartedAt = best.page, best.startedAt
	}
}

func pageIDOf(in protocol.PageIn, tabID uint64) string {
	if in.ID != "" && len(in.ID) <= 64 {
		return in.ID
	}
	return fmt.Sprintf("tab-%d", tabID)
}

func (p *visitorPresence) rowLocked(visitorID int64, vs *visit) protocol.VisitorRow {
	act := vs.activity
	row := protocol.VisitorRow{
		ID: visitorID, Name: vs.visitor.Name, Page: protocol.PageOf(vs.page), PageStartedAt: protocol.Time(vs.pageStartedAt),
		VisitStartedAt: protocol.Time(vs.startedAt), PagesViewed: vs.pageCount, Referrer: vs.referrer,
		Browser: vs.browser, OS: vs.os, Status: act.Status(), CanInvite: act.CanInvite(),
	}
	if act.ChatID != 0 {
		id := act.ChatID
		row.ChatID = &id
	}
	if act.Invitation == desk.InvitationOpen {
		id := act.InvitationID
		row.InvitationID = &id
	}
	return row
}

// update changes a present visitor's activity and republishes the row.
func (p *visitorPresence) update(visitorID int64, change func(vs *visit)) {
	p.mu.Lock()
	vs := p.visits[visitorID]
	if vs == nil {
		p.mu.Unlock()
		return
	}
	change(vs)
	row := p.rowLocked(visitorID, vs)
	p.mu.Unlock()
	p.a.list.upsert(row)
	p.a.evaluateInvitations(visitorID)
}

// chatChanged follows the visitor's latest chat for the row's status.
func (p *visitorPresence) chatChanged(c desk.Chat) {
	now := p.a.clock.Now()
	p.update(c.VisitorID, func(vs *visit) {
		act := &vs.activity
		if c.ID < act.ChatID {
			return // news of an older chat
		}
		act.ChatID, act.ChatState, act.OperatorName, act.EndReason, act.ChatChangedAt = c.ID, c.State, c.OperatorName, c.EndReason, now
	})
}

// invitationChanged follows the visitor's latest invitation.
func (p *visitorPresence) invitationChanged(inv desk.Invitation) {
	now := p.a.clock.Now()
	if inv.State == desk.InvitationDismissed {
		p.mu.Lock()
		p.lastDismissed[inv.VisitorID] = now
		p.mu.Unlock()
	}
	p.update(inv.VisitorID, func(vs *visit) {
		act := &vs.activity
		if inv.ID < act.InvitationID {
			return
		}
		act.InvitationID, act.Invitation, act.InvitationAt = inv.ID, inv.State, now
	})
}

// currentPage is the page a present visitor is on.
func (p *visitorPresence) currentPage(visitorID int64) (desk.Page, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if vs := p.visits[visitorID]; vs != nil {
		return vs.page, true
	}
	return desk.Page{}, false
}

// seemsToChat tells, from what this node has heard, whether a present
// visitor has an open chat. It is a hint for where to send their message
// first (a wrong guess costs one more try), never a decision.
func (p *visitorPresence) seemsToChat(visitorID int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	vs := p.visits[visitorID]
	return vs == nil || vs.activity.ChatState == desk.ChatWaiting || vs.activity.ChatState == desk.ChatActive
}

// VisitorPages is a present visitor's row and this visit's page views.
func (a *App) VisitorPages(ctx context.Context, visitorID int64) (*protocol.VisitorRow, []desk.PageView, error) {
	p := a.visitors
	p.mu.Lock()
	vs := p.visits[visitorID]
	if vs == nil {
		p.mu.Unlock()
		return nil, nil, desk.Errorf(desk.CodeNotFound, "The visitor is not on the site")
	}
	row, visitID := p.rowLocked(visitorID, vs), vs.id
	p.mu.Unlock()
	pvs, err := a.store.PageViews(ctx, visitorID, visitID)
	return &row, pvs, err
}

// startupGrace: after a restart nobody is connected yet; a visitor with an
// open chat who does not come back within the grace has left, as one
// whose last tab closed at start.
func (p *visitorPresence) startupGrace(ctx context.Context) {
	site, _ := p.a.siteNow()
	open, err := p.a.store.ListChats(ctx, store.ChatFilter{SiteID: site.ID, States: []desk.ChatState{desk.ChatWaiting, desk.ChatActive}})
	if err != nil {
		p.a.log.Error("startup visitor grace", "err", err)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range open {
		vid := c.VisitorID
		if p.visits[vid] != nil || p.startupLeft[vid] != nil || !c.VisitorLeftAt.IsZero() {
			continue
		}
		p.startupLeft[vid] = p.a.clock.AfterFunc(p.a.cfg.PresenceGrace, func() {
			p.mu.Lock()
			_, pending := p.startupLeft[vid]
			delete(p.startupLeft, vid)
			p.mu.Unlock()
			if pending {
				p.a.markChatLeft(bg(), vid, p.a.clock.Now())
			}
		})
	}
}

func (p *visitorPresence) stopAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, vs := range p.visits {
		if vs.leaveTimer != nil {
			vs.leaveTimer.Stop()
		}
		if vs.inviteTimer != nil {
			vs.inviteTimer.Stop()
		}
	}
	for _, t := range p.startupLeft {
		t.Stop()
	}
}
