package app

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// Invite is an operator's "Invite" on a Visitor List row (SPEC 4).
func (a *App) Invite(ctx context.Context, op desk.Operator, visitorID int64) (protocol.Invitation, error) {
	if op.EffectiveStatus(a.operators.connected(op.ID)) == desk.StatusOffline {
		return protocol.Invitation{}, desk.Errorf(desk.CodeForbidden, "Go Online or Away to invite visitors")
	}
	p := a.visitors
	p.mu.Lock()
	vs := p.visits[visitorID]
	canInvite := vs != nil && vs.activity.CanInvite()
	p.mu.Unlock()
	if vs == nil {
		return protocol.Invitation{}, desk.Errorf(desk.CodeNotFound, "The visitor is not on the site")
	}
	if !canInvite {
		return protocol.Invitation{}, desk.Errorf(desk.CodeConflict, "The visitor already has an open invitation or chat")
	}
	if _, err := a.store.OpenChatOf(ctx, visitorID); err == nil {
		return protocol.Invitation{}, desk.Errorf(desk.CodeConflict, "The visitor already has an open invitation or chat")
	} else if !errors.Is(err, desk.ErrNotFound) {
		return protocol.Invitation{}, err
	}
	site, settings := a.siteNow()
	inv, err := a.store.CreateInvitation(ctx, desk.Invitation{SiteID: site.ID, VisitorID: visitorID, Kind: desk.InvitationManual,
		OperatorID: op.ID, Text: desk.ManualInvitationText(settings.InvitationText, op.Name), CreatedAt: a.clock.Now()})
	if err != nil {
		return protocol.Invitation{}, err
	}
	a.announceInvitation(inv)
	return protocol.InvitationOf(inv), nil
}

// DismissInvitation is the widget's "Dismiss".
func (a *App) DismissInvitation(ctx context.Context, v desk.Visitor, id int64) error {
	inv, err := a.store.Invitation(ctx, id)
	if err != nil || inv.VisitorID != v.ID || inv.State != desk.InvitationOpen {
		return desk.Errorf(desk.CodeNotFound, "There is no open invitation %d", id)
	}
	inv, changed, err := a.store.CloseInvitation(ctx, id, desk.InvitationDismissed, a.clock.Now())
	if err != nil {
		return err
	}
	if changed {
		a.announceInvitation(inv)
	}
	return nil
}

// expireInvitation closes a visitor's open invitation when they leave.
func (a *App) expireInvitation(ctx context.Context, visitorID int64) {
	inv, err := a.store.OpenInvitationOf(ctx, visitorID)
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			a.log.Error("expire invitation", "err", err)
		}
		return
	}
	if inv, changed, err := a.store.CloseInvitation(ctx, inv.ID, desk.InvitationExpired, a.clock.Now()); err == nil && changed {
		a.announceInvitation(inv)
	}
}

// visitState is what the invitation trigger knows of a visit.
func (p *visitorPresence) visitStateLocked(visitorID int64, vs *visit) desk.VisitState {
	act := vs.activity
	return desk.VisitState{
		Page: vs.page, PageStartedAt: vs.pageStartedAt, PagesViewed: vs.pageCount,
		HasOpenChat:       act.ChatState == desk.ChatWaiting || act.ChatState == desk.ChatActive,
		HasOpenInvitation: act.Invitation == desk.InvitationOpen,
		FiredRules:        vs.fired, LastDismissedAt: p.lastDismissed[visitorID],
	}
}

// evaluateInvitations arms the visitor's automated invitation timer for the
// rule that fires first on this page view, or fires it now (SPEC 4). The
// server decides, on its clock, so every widget behaves the same.
func (a *App) evaluateInvitations(visitorID int64) {
	p := a.visitors
	a.siteMu.RLock()
	rules := a.invRules
	a.siteMu.RUnlock()
	p.mu.Lock()
	vs := p.visits[visitorID]
	if vs == nil {
		p.mu.Unlock()
		return
	}
	if vs.inviteTimer != nil {
		vs.inviteTimer.Stop()
		vs.inviteTimer = nil
	}
	rule, at, ok := desk.NextInvitation(rules, p.visitStateLocked(visitorID, vs), a.cfg.InvitationCooldown)
	if !ok {
		p.mu.Unlock()
		return
	}
	wait := at.Sub(a.clock.Now())
	if wait > 0 {
		vs.inviteTimer = a.clock.AfterFunc(wait, func() { a.evaluateInvitations(visitorID) })
		p.mu.Unlock()
		return
	}
	// due now: claim the rule for this visit before sending, so it fires once
	vs.fired[rule.ID] = true
	vs.activity.Invitation, vs.activity.InvitationAt = desk.InvitationOpen, a.clock.Now()
	p.mu.Unlock()
	a.sendAutomatedInvitation(visitorID, rule)
}

func (a *App) sendAutomatedInvitation(visitorID int64, rule desk.InvitationRule) {
	ctx := bg()
	site, _ := a.siteNow()
	inv, err := a.store.CreateInvitation(ctx, desk.Invitation{SiteID: site.ID, VisitorID: visitorID, Kind: desk.InvitationAutomated,
		RuleID: rule.ID, Text: rule.Message, CreatedAt: a.clock.Now()})
	if err != nil {
		if !errors.Is(err, desk.ErrConflict) {
			a.log.Error("automated invitation", "rule", rule.ID, "err", err)
		}
		// an invitation is open already: let the row show the truth again
		if open, err := a.store.OpenInvitationOf(ctx, visitorID); err == nil {
			a.visitors.invitationChanged(open)
		}
		return
	}
	a.announceInvitation(inv)
}

// setInvitationRules refreshes the rules the trigger uses and re-arms every
// present visitor's timer.
func (a *App) setInvitationRules(rules []desk.InvitationRule) {
	a.siteMu.Lock()
	a.invRules = rules
	a.siteMu.Unlock()
	a.visitors.mu.Lock()
	ids := make([]int64, 0, len(a.visitors.visits))
	for id := range a.visitors.visits {
		ids = append(ids, id)
	}
	a.visitors.mu.Unlock()
	for _, id := range ids {
		a.evaluateInvitations(id)
	}
}
