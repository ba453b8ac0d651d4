package realtime

import (
	"outputdesk/internal/bus"
)

// A visitor's tabs hear their chat's changes and their invitations from the
// site subject, which every node serving the site hears anyway, through an
// index of this node's visitor sockets by visitor. A visitor then costs no
// bus subscription of its own: on NATS that would be a subscription, a
// goroutine and a round trip to the server for every tab on the site.

// joinVisitor adds c, a tab of visitorID, to the site subject's visitor
// index, subscribing to the subject if no socket here listens to it yet.
func (h *Hub) joinVisitor(c *Conn, siteID, visitorID int64) {
	subject := bus.SiteSubject(siteID)
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.visitorID != 0 || c.isClosed() {
		return
	}
	sc := h.subjectLocked(subject)
	if sc == nil {
		return
	}
	if sc.visitors == nil {
		sc.visitors = map[int64][]*Conn{}
	}
	sc.visitors[visitorID] = append(sc.visitors[visitorID], c)
	c.visitorID, c.visitorSite = visitorID, siteID
}

// leaveVisitorLocked takes c out of the visitor index.
func (h *Hub) leaveVisitorLocked(c *Conn) {
	if c.visitorID == 0 {
		return
	}
	subject := bus.SiteSubject(c.visitorSite)
	sc := h.subjects[subject]
	tabs := sc.visitors[c.visitorID]
	for i, x := range tabs {
		if x == c {
			tabs[i] = tabs[len(tabs)-1]
			tabs[len(tabs)-1] = nil
			tabs = tabs[:len(tabs)-1]
			break
		}
	}
	if len(tabs) == 0 {
		delete(sc.visitors, c.visitorID)
	} else {
		sc.visitors[c.visitorID] = tabs
	}
	c.visitorID = 0
	h.dropIfUnusedLocked(subject, sc)
}

// ToVisitors delivers an event that every visitor tab of the site on this
// node shows (whether an operator is Online), each as its own events.
func (h *Hub) ToVisitors(siteID int64, e bus.Event) {
	h.mu.RLock()
	var conns []*Conn
	if sc := h.subjects[bus.SiteSubject(siteID)]; sc != nil {
		for _, tabs := range sc.visitors {
			conns = append(conns, tabs...)
		}
	}
	h.mu.RUnlock()
	ev := newEvent(&e, h.now())
	for _, c := range conns {
		c.deliver(ev)
	}
}

// visitorOf is the visitor whose tabs an event on a site subject is for:
// a chat's changes and an invitation's; 0 for everything else.
func visitorOf(e *bus.Event) int64 {
	switch {
	case e.Kind == bus.KindChat && e.Chat != nil:
		return e.Chat.VisitorID
	case e.Kind == bus.KindInvitation && e.Invitation != nil:
		return e.Invitation.VisitorID
	}
	return 0
}
