package app

import (
	"outputdesk/internal/bus"
)

// listenToSite subscribes this node's own views to what happens on its
// site, on every node: the Visitor List rows and invitation triggers follow
// chats and invitations, the deadline timer wakes for chats' deadlines, the
// caches of settings and rules reload, and a logged-out session's sockets
// here close. None of them is updated by a direct call another node would
// not see.
func (a *App) listenToSite() error {
	site, _ := a.siteNow()
	sub, err := a.bus.Subscribe(bus.SiteSubject(site.ID), a.onSiteEvent)
	if err != nil {
		return err
	}
	a.siteSub = sub
	return nil
}

func (a *App) onSiteEvent(data []byte) {
	e, err := bus.DecodeEvent(data)
	if err != nil {
		a.log.Error("site event", "err", err)
		return
	}
	switch e.Kind {
	case bus.KindChat:
		c := *e.Chat
		a.visitors.ChatChanged(c)
		if c.Open() {
			a.deadlines.wake(c.Deadline)
		}
	case bus.KindInvitation:
		a.visitors.InvitationChanged(*e.Invitation)
	case bus.KindSettings:
		a.reload("settings", a.reloadSite)
		a.hub.Local(bus.SiteSubject(e.SiteID), e)
	case bus.KindActionRules:
		a.reload("action rules", a.reloadActionRules)
		a.hub.Local(bus.SiteSubject(e.SiteID), e)
	case bus.KindInviteRules:
		a.reload("invitation rules", a.reloadInvitationRules)
		a.hub.Local(bus.SiteSubject(e.SiteID), e)
	case bus.KindSessionEnded:
		a.operators.CloseSession(e.SessionHash)
	case bus.KindOperator, bus.KindMessage:
	default:
		a.log.Warn("site event of an unknown kind", "kind", e.Kind)
	}
}

// changed reloads what this node caches of the site at once, and tells
// every node (this one too) to do the same.
func (a *App) changed(kind bus.Kind, reload func() error) {
	a.reload(string(kind), reload)
	a.announceSite(kind)
}

func (a *App) reload(what string, fn func() error) {
	if err := fn(); err != nil {
		a.log.Error("reloading "+what, "err", err)
	}
}

// reloadSite reads the site and its settings again.
func (a *App) reloadSite() error {
	site, _ := a.siteNow()
	fresh, err := a.store.Site(bg(), site.ID)
	if err != nil {
		return err
	}
	settings, err := a.store.Settings(bg(), site.ID)
	if err != nil {
		return err
	}
	a.siteMu.Lock()
	a.site, a.settings = fresh, settings
	a.siteMu.Unlock()
	return nil
}
