package settings

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
func (s *Service) Settings() protocol.Settings {
	site, set := s.Site()
	return protocol.SettingsOf(set, site)
}

// UpdateSettings is PATCH /api/settings. Switching to Automatic moves the
// queue at once.
func (s *Service) UpdateSettings(ctx context.Context, by desk.Operator, p protocol.SettingsPatch) (protocol.Settings, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return protocol.Settings{}, err
	}
	site, set := s.Site()
	if p.ChatRule != nil {
		switch r := desk.ChatRule(*p.ChatRule); r {
		case desk.ChatRuleManual, desk.ChatRuleAutomatic:
			set.ChatRule = r
		default:
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "Chat Rule must be Manual or Automatic")
		}
	}
	if p.InvitationText != nil {
		t := strings.TrimSpace(*p.InvitationText)
		if t == "" || len(t) > 1000 {
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "Chat Invitation Text must be 1 to 1000 characters")
		}
		set.InvitationText = t
	}
	for _, tc := range []struct {
		in  *int
		out *time.Duration
		nm  string
	}{{p.InactivityTimeoutSeconds, &set.InactivityTimeout, "Inactivity timeout"}, {p.LeftTimeoutSeconds, &set.LeftTimeout, "Visitor left timeout"}} {
		if tc.in == nil {
			continue
		}
		if *tc.in < 1 || *tc.in > 86400 {
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "%s must be 1 to 86400 seconds", tc.nm)
		}
		*tc.out = time.Duration(*tc.in) * time.Second
	}
	if p.MessagePreview != nil {
		set.MessagePreview = *p.MessagePreview
	}
	if p.LauncherOffset != nil {
		if *p.LauncherOffset < 0 || *p.LauncherOffset > desk.MaxLauncherOffset {
			return protocol.Settings{}, desk.Errorf(desk.CodeInvalid, "Launcher offset must be 0 to %d pixels", desk.MaxLauncherOffset)
		}
		set.LauncherOffset = *p.LauncherOffset
	}
	look, err := set.Appearance.Apply(p.AppearancePatch.Change())
	if err != nil {
		return protocol.Settings{}, err
	}
	set.Appearance = look
	if p.NotifyEmail != nil {
		addr := strings.TrimSpace(*p.NotifyEmail)
		if addr != "" {
			if err := desk.CheckEmail(addr); err != nil {
				return protocol.Settings{}, err
			}
		}
		set.NotifyEmail = addr
	}
	if p.PreChat != nil {
		var f desk.PreChatForm
		for _, x := range []struct {
			in  string
			out *desk.FieldMode
		}{{p.PreChat.Name, &f.Name}, {p.PreChat.Email, &f.Email}, {p.PreChat.Question, &f.Question}} {
			m, err := desk.ParseFieldMode(x.in)
			if err != nil {
				return protocol.Settings{}, err
			}
			*x.out = m
		}
		set.PreChat = f
	}
	if err := applyFiles(&set, p.FileSettingsPatch); err != nil {
		return protocol.Settings{}, err
	}
	if p.AllowedOrigins != nil {
		origins, err := cleanOrigins(*p.AllowedOrigins)
		if err != nil {
			return protocol.Settings{}, err
		}
		if err := s.d.Store.SetAllowedOrigins(ctx, site.ID, origins); err != nil {
			return protocol.Settings{}, err
		}
		site.AllowedOrigins = origins
	}
	if err := s.d.Store.SaveSettings(ctx, site.ID, set); err != nil {
		return protocol.Settings{}, err
	}
	s.changed(bus.KindSettings)
	s.d.QueueMayMove(ctx)
	return protocol.SettingsOf(set, site), nil
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
func (s *Service) Snippet() string {
	site, _ := s.Site()
	return fmt.Sprintf(`<script async src="%s/widget.js" data-site-key="%s"></script>`,
		html.EscapeString(s.d.BaseURL()), html.EscapeString(site.Key))
}

// SiteByKey finds a site by its public key.
func (s *Service) SiteByKey(ctx context.Context, key string) (desk.Site, error) {
	site, _ := s.Site()
	if key == site.Key {
		return site, nil
	}
	return desk.Site{}, desk.NotFound("site")
}
