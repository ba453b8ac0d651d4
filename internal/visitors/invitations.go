package visitors

import (
	"context"
	"errors"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// Invite is an operator's "Invite" on a Visitor List row (SPEC 4). The
// visitor may be on any node: the invitation reaches their tabs by the bus.
func (s *Service) Invite(ctx context.Context, op desk.Operator, visitorID int64) (protocol.Invitation, error) {
	if op.EffectiveStatus(s.d.Presence.Operator(op.ID).Connected()) == desk.StatusOffline {
		return protocol.Invitation{}, desk.Errorf(desk.CodeForbidden, "Go Online or Away to invite visitors")
	}
	s.mu.Lock()
	vs := s.visits[visitorID]
	present := vs != nil && vs.present
	canInvite := present && vs.loaded && vs.act().CanInvite()
	s.mu.Unlock()
	if !present {
		return protocol.Invitation{}, desk.Errorf(desk.CodeNotFound, "The visitor is not on the site")
	}
	if !canInvite {
		return protocol.Invitation{}, desk.Errorf(desk.CodeConflict, "The visitor already has an open invitation or chat")
	}
	if _, err := s.d.Store.OpenChatOf(ctx, visitorID); err == nil {
		return protocol.Invitation{}, desk.Errorf(desk.CodeConflict, "The visitor already has an open invitation or chat")
	} else if !errors.Is(err, desk.ErrNotFound) {
		return protocol.Invitation{}, err
	}
	site, settings := s.d.Site()
	inv, err := s.d.Store.CreateInvitation(ctx, desk.Invitation{SiteID: site.ID, VisitorID: visitorID, Kind: desk.InvitationManual,
		OperatorID: op.ID, Text: desk.ManualInvitationText(settings.InvitationText, desk.VisitorOperatorName(op.Name, settings.Appearance.OperatorNames)), CreatedAt: s.d.Clock.Now()})
	if err != nil {
		return protocol.Invitation{}, err
	}
	s.d.Announce.Invitation(inv)
	return protocol.InvitationOf(inv), nil
}

// DismissInvitation is the widget's "Dismiss".
func (s *Service) DismissInvitation(ctx context.Context, v desk.Visitor, id int64) error {
	inv, err := s.d.Store.Invitation(ctx, id)
	if err != nil || inv.VisitorID != v.ID || inv.State != desk.InvitationOpen {
		return desk.Errorf(desk.CodeNotFound, "There is no open invitation %d", id)
	}
	inv, changed, err := s.d.Store.CloseInvitation(ctx, id, desk.InvitationDismissed, s.d.Clock.Now())
	if err != nil {
		return err
	}
	if changed {
		s.d.Announce.Invitation(inv)
	}
	return nil
}

// expireInvitation closes a visitor's open invitation (they left).
func (s *Service) expireInvitation(ctx context.Context, visitorID int64) {
	inv, err := s.d.Store.OpenInvitationOf(ctx, visitorID)
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			s.d.Log.Error("expire invitation", "err", err)
		}
		return
	}
	if inv, changed, err := s.d.Store.CloseInvitation(ctx, inv.ID, desk.InvitationExpired, s.d.Clock.Now()); err == nil && changed {
		s.d.Announce.Invitation(inv)
	}
}

// visitStateLocked is what the invitation trigger knows of a visit.
func (s *Service) visitStateLocked(visitorID int64, vs *visit) desk.VisitState {
	act, shown := vs.act(), vs.shown
	return desk.VisitState{
		Page: desk.Page(shown.Page), PageStartedAt: time.Time(shown.PageStartedAt), PagesViewed: shown.PagesViewed,
		HasOpenChat:       act.ChatState == desk.ChatWaiting || act.ChatState == desk.ChatActive,
		HasOpenInvitation: act.Invitation == desk.InvitationOpen,
		FiredRules:        vs.fired, LastDismissedAt: s.lastDismissed[visitorID],
	}
}

// evaluate arms the visitor's automated invitation timer for the rule that
// fires first on this page view, or fires it now (SPEC 4). The server
// decides, on its clock, so every widget behaves the same. Of all nodes,
// the one holding the tab the visitor looks at decides: one node, so one
// invitation.
func (s *Service) evaluate(visitorID int64) {
	rules := s.d.Rules()
	s.mu.Lock()
	vs := s.visits[visitorID]
	if vs == nil || s.stopped {
		s.mu.Unlock()
		return
	}
	stopTimer(&vs.inviteTimer)
	if !vs.loaded || !vs.present || vs.node != s.d.Presence.Node() {
		s.mu.Unlock()
		return
	}
	now := s.d.Clock.Now()
	rule, at, ok := desk.NextInvitation(rules, s.visitStateLocked(visitorID, vs), s.d.Cooldown)
	if !ok {
		s.mu.Unlock()
		return
	}
	if wait := at.Sub(now); wait > 0 {
		vs.inviteTimer = s.d.Clock.AfterFunc(wait, func() { s.evaluate(visitorID) })
		s.mu.Unlock()
		return
	}
	// due now: claim the rule for this visit before sending, so it fires once
	vs.fire(rule.ID)
	act := vs.changeAct()
	act.Invitation, act.InvitationAt = desk.InvitationOpen, now
	s.mu.Unlock()
	s.sendAutomated(visitorID, rule)
}

func (s *Service) sendAutomated(visitorID int64, rule desk.InvitationRule) {
	ctx := s.d.Life
	site, _ := s.d.Site()
	inv, err := s.d.Store.CreateInvitation(ctx, desk.Invitation{SiteID: site.ID, VisitorID: visitorID, Kind: desk.InvitationAutomated,
		RuleID: rule.ID, Text: rule.Message, CreatedAt: s.d.Clock.Now()})
	if err != nil {
		if !errors.Is(err, desk.ErrConflict) {
			s.d.Log.Error("automated invitation", "rule", rule.ID, "err", err)
		}
		// an invitation is open already: let the row show the truth again
		if open, err := s.d.Store.OpenInvitationOf(ctx, visitorID); err == nil {
			s.InvitationChanged(open)
		}
		return
	}
	s.d.Announce.Invitation(inv)
}

// RulesChanged re-arms every present visitor's invitation timer for the
// "Send Invitation" rules as they are now.
func (s *Service) RulesChanged() {
	s.mu.Lock()
	ids := make([]int64, 0, len(s.visits))
	for id := range s.visits {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		s.evaluate(id)
	}
}
