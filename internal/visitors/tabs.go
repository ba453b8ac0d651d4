package visitors

import (
	"context"
	"errors"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/ids"
	"outputdesk/internal/presence"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// IdentifyVisitor finds the visitor of a widget token, or makes a new one,
// with the page it opens on: a new visitor's first page view is recorded
// with it, in the commit of the new visitors that arrive with it
// (newcomers), and its tab opens on that view (TabOpened).
func (s *Service) IdentifyVisitor(ctx context.Context, site desk.Site, token, ua string, in protocol.PageIn) (desk.Visitor, string, error) {
	if token != "" {
		v, err := s.d.Store.VisitorByToken(ctx, site.ID, ids.Hash(token))
		if err == nil {
			if ua != "" && ua != v.UserAgent {
				v.UserAgent = ua
				if err := s.d.Store.SetVisitorUserAgent(ctx, v.ID, ua); err != nil {
					return v, token, err
				}
			}
			return v, token, nil
		}
		if !errors.Is(err, desk.ErrNotFound) {
			return v, token, err
		}
	}
	token = ids.Token("vt_")
	now, conn := s.d.Clock.Now(), s.d.Presence.NewConn()
	page := in.Desk()
	first := opening{conn: conn, pageID: pageIDOf(in, conn), visitID: ids.Hex(8), referrer: page.Referrer,
		visitStart: now, start: now, viewed: 1, isNew: true}
	v, err := s.newcomers.create(store.NewVisitor{Visitor: desk.Visitor{SiteID: site.ID, TokenHash: ids.Hash(token), Name: "Visitor " + ids.Short(),
		UserAgent: ua, CreatedAt: now}, First: desk.PageView{VisitID: first.visitID, PageID: first.pageID, Page: page, StartedAt: now}})
	if err == nil {
		s.mu.Lock()
		s.created[v.ID] = first
		s.mu.Unlock()
	}
	return v, token, err
}

// opening is where a tab opens: its connection, its page view and the
// visit it joins.
type opening struct {
	conn                      presence.ConnID
	pageID, visitID, referrer string
	visitStart, start         time.Time // the visit's start and the page's
	viewed                    int       // the visit's pages, this one included
	arrived                   bool      // the visit starts with this tab
	isNew                     bool      // a new visitor's: recorded with it, nothing to read
}

// TabOpened: a tab of this node connected with a page. A visitor on no node
// and in no grace arrives: a visit starts.
func (s *Service) TabOpened(v desk.Visitor, tabID uint64, in protocol.PageIn, visible bool) {
	now, page := s.d.Clock.Now(), in.Desk()
	o := s.openingOf(v.ID, in, page, now)
	browser, os := desk.BrowserAndOS(v.UserAgent)
	t := presence.Tab{Conn: o.conn, SiteID: v.SiteID, VisitorID: v.ID, Name: v.Name, Browser: browser, OS: os,
		VisitID: o.visitID, VisitStartedAt: o.visitStart, Referrer: o.referrer, PagesViewed: o.viewed,
		PageID: o.pageID, Page: page, PageStartedAt: o.start, Visible: visible, ShownAt: now}
	s.mu.Lock()
	s.tabs[tabID] = o.conn
	vs := s.visits[v.ID]
	if vs == nil || vs.id != o.visitID {
		vs = s.startVisitLocked(v.ID, o.visitID, o.visitStart, o.referrer, o.isNew)
	}
	s.mu.Unlock()
	// the tab's own node reads the visitor's chat and invitation before the
	// row shows, so its row is right from the first batch; a new visitor
	// has neither
	s.load.now([]int64{v.ID})
	if o.arrived {
		s.arrived(v.ID)
	}
	s.d.Presence.SetTab(t)
}

// openingOf is where a tab opens: for a new visitor's first tab, the visit
// and page view IdentifyVisitor recorded; otherwise the visit the tab joins
// and its page view, recorded now.
func (s *Service) openingOf(visitorID int64, in protocol.PageIn, page desk.Page, now time.Time) opening {
	s.mu.Lock()
	first, isNew := s.created[visitorID]
	delete(s.created, visitorID)
	s.mu.Unlock()
	if isNew {
		return first
	}
	o := opening{conn: s.d.Presence.NewConn()}
	o.pageID = pageIDOf(in, o.conn)
	o.visitID, o.visitStart, o.referrer, o.arrived = s.visitFor(visitorID, page, now)
	o.start, o.viewed = s.viewPage(visitorID, o.visitID, o.pageID, page, now)
	return o
}

// visitFor is the visit a new tab joins: the one the visitor's tabs on any
// node make up, or the one in its grace here, or a new one.
func (s *Service) visitFor(visitorID int64, page desk.Page, now time.Time) (id string, start time.Time, referrer string, arrived bool) {
	if pv, ok := s.d.Presence.Visitor(visitorID); ok {
		first := pv.Visit()
		return first.VisitID, first.VisitStartedAt, first.Referrer, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if vs := s.visits[visitorID]; vs != nil {
		return vs.id, vs.startedAt(), vs.referrer(), false
	}
	return ids.Hex(8), now, page.Referrer, true
}

// viewPage records a page view once per page load: a tab that reconnects on
// the same page, here or on another node, keeps its start and is not
// counted again. It returns the page's start and the visit's page count.
//
// Past desk.MaxPageViews for the visit (the count this node's visit holds,
// as presence last said it for any node) nothing is stored: the page
// starts now and the count stays.
func (s *Service) viewPage(visitorID int64, visitID, pageID string, page desk.Page, now time.Time) (time.Time, int) {
	s.mu.Lock()
	vs := s.visits[visitorID]
	full := vs != nil && vs.id == visitID && vs.pages() >= desk.MaxPageViews
	s.mu.Unlock()
	if full {
		return now, desk.MaxPageViews
	}
	added, err := s.d.Store.AddPageView(s.d.Life, desk.PageView{VisitorID: visitorID, VisitID: visitID, PageID: pageID, Page: page, StartedAt: now})
	if err != nil {
		s.d.Log.Error("page view", "err", err)
		return now, 1
	}
	return added.View.StartedAt, added.PagesViewed
}

// TabPage: a tab's visibility changed, or a single-page site moved to a new
// page (a new page id).
func (s *Service) TabPage(v desk.Visitor, tabID uint64, in protocol.PageIn, visible bool) {
	now := s.d.Clock.Now()
	s.mu.Lock()
	conn, open := s.tabs[tabID]
	s.mu.Unlock()
	if !open {
		return
	}
	t, ok := s.tabOf(v.ID, conn)
	if !ok {
		return
	}
	page, pageID := in.Desk(), pageIDOf(in, t.Conn)
	if pageID != t.PageID {
		t.PageID, t.Page = pageID, page
		t.PageStartedAt, t.PagesViewed = s.viewPage(v.ID, t.VisitID, pageID, page, now)
		t.ShownAt = now
	}
	if visible && !t.Visible {
		t.ShownAt = now
	}
	t.Visible = visible
	s.mu.Lock()
	if _, open := s.tabs[tabID]; !open { // closed meanwhile
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	s.d.Presence.SetTab(t)
}

// tabOf is one of this node's tabs as presence holds it.
func (s *Service) tabOf(visitorID int64, conn presence.ConnID) (presence.Tab, bool) {
	pv, _ := s.d.Presence.Visitor(visitorID)
	for _, t := range pv.Tabs {
		if t.Conn == conn {
			return t, true
		}
	}
	return presence.Tab{}, false
}

// TabClosed: a tab's socket on this node ended.
func (s *Service) TabClosed(v desk.Visitor, tabID uint64) {
	s.mu.Lock()
	conn, open := s.tabs[tabID]
	delete(s.tabs, tabID)
	s.mu.Unlock()
	if open {
		s.d.Presence.Remove(conn)
	}
}

// arrived: a visit starts. A chat the visitor left is open again, and an
// invitation left open (by a restart) expires.
func (s *Service) arrived(visitorID int64) {
	ctx := s.d.Life
	s.expireInvitation(ctx, visitorID)
	chat, err := s.d.Store.OpenChatOf(ctx, visitorID)
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			s.d.Log.Error("visitor arrived: open chat", "err", err)
		}
		return
	}
	if !chat.VisitorLeftAt.IsZero() {
		s.setLeft(ctx, store.ChatRef{ID: chat.ID}, time.Time{})
	}
}

// setLeft records a visitor leaving (at non-zero) or coming back on their
// chat (SPEC 5).
func (s *Service) setLeft(ctx context.Context, ref store.ChatRef, at time.Time) {
	_, settings := s.d.Site()
	now, t := s.d.Clock.Now(), settings.Timeouts()
	res, err := s.d.Store.ChangeChat(ctx, ref, func(tx store.ChatTx) (desk.ChatChange, error) {
		return desk.VisitorLeft(tx.Chat(), at, now, t), nil
	})
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			s.d.Log.Error("visitor presence on chat", "err", err)
		}
		return
	}
	if res.Changed {
		s.d.Announce.Change(res.Before, res.Chat, res.Lines)
	}
}

// pageIDOf is the page load's id as the widget sent it; a client that sent
// none gets one per socket, unique in the cluster.
func pageIDOf(in protocol.PageIn, conn presence.ConnID) string {
	if in.ID != "" && len(in.ID) <= 64 {
		return in.ID
	}
	return "conn-" + string(conn)
}
