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
			a.deadlines.Wake(c.Deadline)
		}
	case bus.KindInvitation:
		a.visitors.InvitationChanged(*e.Invitation)
	case bus.KindVisitorRenamed:
		if e.Renamed != nil {
			a.visitors.Renamed(e.Renamed.VisitorID, e.Renamed.Name)
		}
	case bus.KindSettings, bus.KindActionRules, bus.KindInviteRules:
		a.siteSettings.Reload(e.Kind)
		a.hub.Local(bus.SiteSubject(e.SiteID), e)
	case bus.KindSessionEnded:
		a.operators.CloseSession(e.SessionHash)
	case bus.KindLogin:
		if e.Login != nil {
			a.accounts.HeardLogin(*e.Login)
		}
	case bus.KindOperator:
		a.heardOperator(e)
	case bus.KindMessage, bus.KindCannedReplies, bus.KindRating, bus.KindOfflineMessage, bus.KindPreferences:
	default:
		a.log.Warn("site event of an unknown kind", "kind", e.Kind)
	}
}
