package settings

import (
	"context"
	"strings"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// ActionRules lists the Chat Routing rules in order.
func (s *Service) ActionRules(ctx context.Context) ([]protocol.ActionRule, error) {
	site, _ := s.Site()
	rules, err := s.d.Store.ActionRules(ctx, site.ID)
	out := make([]protocol.ActionRule, len(rules))
	for i, r := range rules {
		out[i] = protocol.ActionRuleOf(r)
	}
	return out, err
}

// SaveActionRule creates (id 0) or updates a rule.
func (s *Service) SaveActionRule(ctx context.Context, by desk.Operator, in protocol.ActionRule) (protocol.ActionRule, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return in, err
	}
	r := in.Desk(by.SiteID)
	r.Name = strings.TrimSpace(r.Name)
	if err := r.Validate(); err != nil {
		return in, err
	}
	if target, err := s.d.Store.Operator(ctx, r.TargetOperatorID); err != nil || target.SiteID != by.SiteID {
		return in, desk.Errorf(desk.CodeInvalid, "The target operator does not exist")
	}
	var err error
	if r.ID == 0 {
		r, err = s.d.Store.CreateActionRule(ctx, r)
	} else {
		r, err = s.d.Store.UpdateActionRule(ctx, r)
	}
	if err != nil {
		return in, err
	}
	s.changed(bus.KindActionRules)
	s.d.QueueMayMove(ctx)
	return protocol.ActionRuleOf(r), nil
}

// DeleteActionRule removes a rule.
func (s *Service) DeleteActionRule(ctx context.Context, by desk.Operator, id int64) error {
	if err := desk.RequireAdmin(by); err != nil {
		return err
	}
	if err := s.d.Store.DeleteActionRule(ctx, by.SiteID, id); err != nil {
		return err
	}
	s.changed(bus.KindActionRules)
	return nil
}

// MoveActionRule moves a rule up or down.
func (s *Service) MoveActionRule(ctx context.Context, by desk.Operator, id int64, direction string) ([]protocol.ActionRule, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return nil, err
	}
	delta := map[string]int{"up": -1, "down": 1}[direction]
	if delta == 0 {
		return nil, desk.Errorf(desk.CodeInvalid, `direction must be "up" or "down"`)
	}
	if err := s.d.Store.MoveActionRule(ctx, by.SiteID, id, delta); err != nil {
		return nil, err
	}
	s.changed(bus.KindActionRules)
	s.d.QueueMayMove(ctx)
	return s.ActionRules(ctx)
}

// InvitationRules lists the "Send Invitation" chat rules.
func (s *Service) InvitationRules() []protocol.InvitationRule {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]protocol.InvitationRule, len(s.invRules))
	for i, r := range s.invRules {
		out[i] = protocol.InvitationRuleOf(r)
	}
	return out
}

// SaveInvitationRule creates (id 0) or updates a rule.
func (s *Service) SaveInvitationRule(ctx context.Context, by desk.Operator, in protocol.InvitationRule) (protocol.InvitationRule, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return in, err
	}
	r := in.Desk(by.SiteID)
	r.Name, r.Message = strings.TrimSpace(r.Name), strings.TrimSpace(r.Message)
	if err := r.Validate(); err != nil {
		return in, err
	}
	var err error
	if r.ID == 0 {
		r, err = s.d.Store.CreateInvitationRule(ctx, r)
	} else {
		r, err = s.d.Store.UpdateInvitationRule(ctx, r)
	}
	if err != nil {
		return in, err
	}
	s.changed(bus.KindInviteRules)
	return protocol.InvitationRuleOf(r), nil
}

// DeleteInvitationRule removes a rule.
func (s *Service) DeleteInvitationRule(ctx context.Context, by desk.Operator, id int64) error {
	if err := desk.RequireAdmin(by); err != nil {
		return err
	}
	if err := s.d.Store.DeleteInvitationRule(ctx, by.SiteID, id); err != nil {
		return err
	}
	s.changed(bus.KindInviteRules)
	return nil
}
