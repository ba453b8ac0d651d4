package app

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// Settings is GET /api/settings.
func (a *App) Settings() protocol.Settings {
	site, s := a.siteNow()
	return protocol.SettingsOf(s, site)
}

// UpdateSettings is PATCH /api/settings. Switching to Automatic moves the
// queue at once.
func (a *App) UpdateSettings(ctx context.Context, by desk.Operator, p protocol.SettingsPatch) (protocol.Settings, error) {
	if err := requireAdmin(by); err != nil {
		return protocol.Settings{}, err
	}
	site, s := a.siteNow()
	if p.ChatRule != nil {
		switch r := desk.ChatRule(*p.ChatRule); r {
		case desk.ChatRuleManual, desk.ChatRuleAutomatic:
			s.ChatRule = r
		default:
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "Chat Rule must be Manual or Automatic")
		}
	}
	if p.InvitationText != nil {
		t := strings.TrimSpace(*p.InvitationText)
		if t == "" || len(t) > 1000 {
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "Chat Invitation Text must be 1 to 1000 characters")
		}
		s.InvitationText = t
	}
	for _, tc := range []struct {
		in  *int
		out *time.Duration
		nm  string
	}{{p.InactivityTimeoutSeconds, &s.InactivityTimeout, "Inactivity timeout"}, {p.LeftTimeoutSeconds, &s.LeftTimeout, "Visitor left timeout"}} {
		if tc.in == nil {
			continue
		}
		if *tc.in < 1 || *tc.in > 86400 {
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "%s must be 1 to 86400 seconds", tc.nm)
		}
		*tc.out = time.Duration(*tc.in) * time.Second
	}
	if p.AllowedOrigins != nil {
		origins, err := cleanOrigins(*p.AllowedOrigins)
		if err != nil {
			return protocol.Settings{}, err
		}
		if err := a.store.SetAllowedOrigins(ctx, site.ID, origins); err != nil {
			return protocol.Settings{}, err
		}
		site.AllowedOrigins = origins
	}
	if err := a.store.SaveSettings(ctx, site.ID, s); err != nil {
		return protocol.Settings{}, err
	}
	a.changed(bus.KindSettings, a.reloadSite)
	a.moveQueue(ctx)
	return protocol.SettingsOf(s, site), nil
}

func cleanOrigins(in []string) ([]string, error) {
	out := []string{}
	for _, o := range in {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
				return nil, desk.Errorf(desk.CodeInvalid, "%q is not an origin such as https://www.example.com", o)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// Snippet is what a site owner pastes: Settings > Install and the demo pages
// use this same text.
func (a *App) Snippet() string {
	site, _ := a.siteNow()
	return fmt.Sprintf(`<script async src="%s/widget.js" data-site-key="%s"></script>`,
		html.EscapeString(a.BaseURL()), html.EscapeString(site.Key))
}

// SiteByKey finds a site by its public key.
func (a *App) SiteByKey(ctx context.Context, key string) (desk.Site, error) {
	site, _ := a.siteNow()
	if key == site.Key {
		return site, nil
	}
	return desk.Site{}, desk.NotFound("site")
}

// ActionRules lists the Chat Routing rules in order.
func (a *App) ActionRules(ctx context.Context) ([]protocol.ActionRule, error) {
	site, _ := a.siteNow()
	rules, err := a.store.ActionRules(ctx, site.ID)
	out := make([]protocol.ActionRule, len(rules))
	for i, r := range rules {
		out[i] = protocol.ActionRuleOf(r)
	}
	return out, err
}

// SaveActionRule creates (id 0) or updates a rule.
func (a *App) SaveActionRule(ctx context.Context, by desk.Operator, in protocol.ActionRule) (protocol.ActionRule, error) {
	if err := requireAdmin(by); err != nil {
		return in, err
	}
	r := in.Desk(by.SiteID)
	r.Name = strings.TrimSpace(r.Name)
	if err := r.Validate(); err != nil {
		return in, err
	}
	if target, err := a.store.Operator(ctx, r.TargetOperatorID); err != nil || target.SiteID != by.SiteID {
		return in, desk.Errorf(desk.CodeInvalid, "The target operator does not exist")
	}
	var err error
	if r.ID == 0 {
		r, err = a.store.CreateActionRule(ctx, r)
	} else {
		r, err = a.store.UpdateActionRule(ctx, r)
	}
	if err != nil {
		return in, err
	}
	a.changed(bus.KindActionRules, a.reloadActionRules)
	a.moveQueue(ctx)
	return protocol.ActionRuleOf(r), nil
}

// DeleteActionRule removes a rule.
func (a *App) DeleteActionRule(ctx context.Context, by desk.Operator, id int64) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	if err := a.store.DeleteActionRule(ctx, by.SiteID, id); err != nil {
		return err
	}
	a.changed(bus.KindActionRules, a.reloadActionRules)
	return nil
}

// reloadActionRules refreshes the rules routing reads.
func (a *App) reloadActionRules() error {
	site, _ := a.siteNow()
	rules, err := a.store.ActionRules(bg(), site.ID)
	if err != nil {
		return err
	}
	a.siteMu.Lock()
	a.actRules = rules
	a.siteMu.Unlock()
	return nil
}

// MoveActionRule moves a rule up or down.
func (a *App) MoveActionRule(ctx context.Context, by desk.Operator, id int64, direction string) ([]protocol.ActionRule, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	delta := map[string]int{"up": -1, "down": 1}[direction]
	if delta == 0 {
		return nil, desk.Errorf(desk.CodeInvalid, `direction must be "up" or "down"`)
	}
	if err := a.store.MoveActionRule(ctx, by.SiteID, id, delta); err != nil {
		return nil, err
	}
	a.changed(bus.KindActionRules, a.reloadActionRules)
	a.moveQueue(ctx)
	return a.ActionRules(ctx)
}

// InvitationRules lists the "Send Invitation" chat rules.
func (a *App) InvitationRules() []protocol.InvitationRule {
	a.siteMu.RLock()
	defer a.siteMu.RUnlock()
	out := make([]protocol.InvitationRule, len(a.invRules))
	for i, r := range a.invRules {
		out[i] = protocol.InvitationRuleOf(r)
	}
	return out
}

// SaveInvitationRule creates (id 0) or updates a rule.
func (a *App) SaveInvitationRule(ctx context.Context, by desk.Operator, in protocol.InvitationRule) (protocol.InvitationRule, error) {
	if err := requireAdmin(by); err != nil {
		return in, err
	}
	r := in.Desk(by.SiteID)
	r.Name, r.Message = strings.TrimSpace(r.Name), strings.TrimSpace(r.Message)
	if err := r.Validate(); err != nil {
		return in, err
	}
	var err error
	if r.ID == 0 {
		r, err = a.store.CreateInvitationRule(ctx, r)
	} else {
		r, err = a.store.UpdateInvitationRule(ctx, r)
	}
	if err != nil {
		return in, err
	}
	a.changed(bus.KindInviteRules, a.reloadInvitationRules)
	return protocol.InvitationRuleOf(r), nil
}

// DeleteInvitationRule removes a rule.
func (a *App) DeleteInvitationRule(ctx context.Context, by desk.Operator, id int64) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	if err := a.store.DeleteInvitationRule(ctx, by.SiteID, id); err != nil {
		return err
	}
	a.changed(bus.KindInviteRules, a.reloadInvitationRules)
	return nil
}

// reloadInvitationRules refreshes the rules the invitation trigger reads
// and re-arms every present visitor's timer.
func (a *App) reloadInvitationRules() error {
	site, _ := a.siteNow()
	rules, err := a.store.InvitationRules(bg(), site.ID)
	if err != nil {
		return err
	}
	a.siteMu.Lock()
	a.invRules = rules
	a.siteMu.Unlock()
	a.visitors.RulesChanged()
	return nil
}
