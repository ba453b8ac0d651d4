// Package settings keeps this node's copy of the site, its settings and
// its rules — the "Chat Routing" action rules and the "Send Invitation"
// chat rules — and changes them for admins. Routing and the invitation
// triggers read the copy for every decision, so it lives in memory; every
// node reloads it when it hears, on the bus, that one of them changed.
package settings

import (
	"context"
	"log/slog"
	"sync"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Deps are what the service needs.
type Deps struct {
	// Life (required) is what the service's own work runs under; app.Close
	// cancels it once that work is stopped and drained.
	Life     context.Context
	Store    store.Store
	Announce bus.Announcer
	Log      *slog.Logger
	// BaseURL is where browsers reach this server (the snippet's src).
	BaseURL func() string
	// QueueMayMove runs after a change that may let waiting chats be
	// assigned (the chat rule, action rules).
	QueueMayMove func(ctx context.Context)
	// InvitationRulesChanged runs after this node's copy of the "Send
	// Invitation" rules changed, here or on another node.
	InvitationRulesChanged func()
}

// Service is the copy and the changes to it.
type Service struct {
	d Deps

	mu       sync.RWMutex
	site     desk.Site
	settings desk.Settings
	actRules []desk.ActionRule // in order: routing reads them for every chat
	invRules []desk.InvitationRule
}

// Load reads the site's settings and rules.
func Load(ctx context.Context, d Deps, site desk.Site) (*Service, error) {
	s := &Service{d: d, site: site}
	var err error
	if s.settings, err = d.Store.Settings(ctx, site.ID); err != nil {
		return nil, err
	}
	if s.actRules, err = d.Store.ActionRules(ctx, site.ID); err != nil {
		return nil, err
	}
	if s.invRules, err = d.Store.InvitationRules(ctx, site.ID); err != nil {
		return nil, err
	}
	return s, nil
}

// Site returns the site and its settings.
func (s *Service) Site() (desk.Site, desk.Settings) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.site, s.settings
}

// SiteID is the site's id.
func (s *Service) SiteID() int64 {
	site, _ := s.Site()
	return site.ID
}

// ForRouting returns the site, its settings and the action rules in order.
func (s *Service) ForRouting() (desk.Site, desk.Settings, []desk.ActionRule) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.site, s.settings, s.actRules
}

// Timeouts are the chat deadlines' periods.
func (s *Service) Timeouts() desk.Timeouts {
	_, set := s.Site()
	return set.Timeouts()
}

// PreChat is Settings > "Pre-chat form", each field's mode spelled out.
func (s *Service) PreChat() protocol.PreChat {
	_, set := s.Site()
	return protocol.PreChatOf(set.PreChat)
}

// LauncherOffset is Settings > Appearance > "Launcher offset", in pixels.
func (s *Service) LauncherOffset() int {
	_, set := s.Site()
	return set.LauncherOffset
}

// Appearance is Settings > Appearance as the widget shows it.
func (s *Service) Appearance() desk.Appearance {
	_, set := s.Site()
	return set.Appearance
}

// NotifyEmail is where each offline message is mailed ("": nowhere).
func (s *Service) NotifyEmail() string {
	_, set := s.Site()
	return set.NotifyEmail
}

// MessagePreview is Settings > "Message preview".
func (s *Service) MessagePreview() bool {
	_, set := s.Site()
	return set.MessagePreview
}

// InvitationRuleList is the "Send Invitation" rules, in order.
func (s *Service) InvitationRuleList() []desk.InvitationRule {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.invRules
}

// Reload reads again what kind says changed (a bus event from any node).
func (s *Service) Reload(kind bus.Kind) {
	var err error
	switch kind {
	case bus.KindSettings:
		err = s.reloadSite()
	case bus.KindActionRules:
		err = s.reloadActionRules()
	case bus.KindInviteRules:
		err = s.reloadInvitationRules()
	}
	if err != nil {
		s.d.Log.Error("reloading "+string(kind), "err", err)
	}
}

// changed reloads this node's copy at once and tells every node (this one
// too: it reloads again, harmlessly) to do the same.
func (s *Service) changed(kind bus.Kind) {
	s.Reload(kind)
	s.d.Announce.Site(s.SiteID(), kind)
}

func (s *Service) reloadSite() error {
	ctx, id := s.d.Life, s.SiteID()
	site, err := s.d.Store.Site(ctx, id)
	if err != nil {
		return err
	}
	set, err := s.d.Store.Settings(ctx, id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.site, s.settings = site, set
	s.mu.Unlock()
	return nil
}

func (s *Service) reloadActionRules() error {
	rules, err := s.d.Store.ActionRules(s.d.Life, s.SiteID())
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.actRules = rules
	s.mu.Unlock()
	return nil
}

// reloadInvitationRules also re-arms the invitation triggers.
func (s *Service) reloadInvitationRules() error {
	rules, err := s.d.Store.InvitationRules(s.d.Life, s.SiteID())
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.invRules = rules
	s.mu.Unlock()
	if s.d.InvitationRulesChanged != nil {
		s.d.InvitationRulesChanged()
	}
	return nil
}
