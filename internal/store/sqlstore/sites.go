package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"outputdesk/internal/desk"
)

func (s *DB) EnsureSite(ctx context.Context, site desk.Site, set desk.Settings) (desk.Site, error) {
	var out desk.Site
	err := s.tx(ctx, func(r run) error {
		var id int64
		err := r.row(`SELECT id FROM sites ORDER BY id LIMIT 1`).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			origins, _ := json.Marshal(site.AllowedOrigins)
			err = r.row(`INSERT INTO sites (key, name, allowed_origins, chat_rule, invitation_text, inactivity_timeout_ms, left_timeout_ms, message_preview, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, site.Key, site.Name, string(origins), string(set.ChatRule), set.InvitationText,
				set.InactivityTimeout.Milliseconds(), set.LeftTimeout.Milliseconds(), b2i(set.MessagePreview), ms(site.CreatedAt)).Scan(&id)
		}
		if err != nil {
			return err
		}
		out, err = scanSite(r.row(`SELECT `+siteColumns+` FROM sites WHERE id = ?`, id))
		return err
	})
	return out, err
}

const siteColumns = `id, key, name, allowed_origins, created_at`

func scanSite(row scanner) (desk.Site, error) {
	var s desk.Site
	var origins string
	var created int64
	if err := row.Scan(&s.ID, &s.Key, &s.Name, &origins, &created); err != nil {
		return s, notFound(err, "site")
	}
	s.CreatedAt = fromMS(created)
	return s, json.Unmarshal([]byte(origins), &s.AllowedOrigins)
}

func (s *DB) Site(ctx context.Context, id int64) (desk.Site, error) {
	return scanSite(s.read(ctx).row(`SELECT `+siteColumns+` FROM sites WHERE id = ?`, id))
}

func (s *DB) SiteByKey(ctx context.Context, key string) (desk.Site, error) {
	return scanSite(s.read(ctx).row(`SELECT `+siteColumns+` FROM sites WHERE key = ?`, key))
}

func (s *DB) SetAllowedOrigins(ctx context.Context, siteID int64, origins []string) error {
	b, err := json.Marshal(origins)
	if err != nil {
		return err
	}
	return s.write(ctx).exec1("site", `UPDATE sites SET allowed_origins = ? WHERE id = ?`, string(b), siteID)
}

func (s *DB) Settings(ctx context.Context, siteID int64) (desk.Settings, error) {
	return settingsOf(s.read(ctx), siteID)
}

func settingsOf(r run, siteID int64) (desk.Settings, error) {
	var set desk.Settings
	var rule string
	var inactivity, left, preview int64
	var pcName, pcEmail, pcQuestion string
	err := r.row(`SELECT chat_rule, invitation_text, inactivity_timeout_ms, left_timeout_ms, message_preview,
		prechat_name, prechat_email, prechat_question, notify_email, launcher_offset FROM sites WHERE id = ?`, siteID).
		Scan(&rule, &set.InvitationText, &inactivity, &left, &preview, &pcName, &pcEmail, &pcQuestion, &set.NotifyEmail, &set.LauncherOffset)
	mode := func(s string) desk.FieldMode { m, _ := desk.ParseFieldMode(s); return m }
	set.PreChat = desk.PreChatForm{Name: mode(pcName), Email: mode(pcEmail), Question: mode(pcQuestion)}
	set.MessagePreview = preview != 0
	set.ChatRule = desk.ChatRule(rule)
	set.InactivityTimeout = time.Duration(inactivity) * time.Millisecond
	set.LeftTimeout = time.Duration(left) * time.Millisecond
	if err == nil {
		err = fileSettingsOf(r, siteID, &set)
	}
	if err == nil {
		set.Appearance, err = appearanceOf(r, siteID)
	}
	return set, notFound(err, "site")
}

func (s *DB) SaveSettings(ctx context.Context, siteID int64, set desk.Settings) error {
	return s.tx(ctx, func(r run) error {
		if err := saveSettings(r, siteID, set); err != nil {
			return err
		}
		if err := saveFileSettings(r, siteID, set); err != nil {
			return err
		}
		return saveAppearance(r, siteID, set.Appearance)
	})
}

func saveSettings(r run, siteID int64, set desk.Settings) error {
	pc := set.PreChat
	return r.exec1("site", `UPDATE sites SET chat_rule = ?, invitation_text = ?, inactivity_timeout_ms = ?, left_timeout_ms = ?, message_preview = ?,
		prechat_name = ?, prechat_email = ?, prechat_question = ?, notify_email = ?, launcher_offset = ? WHERE id = ?`,
		string(set.ChatRule), set.InvitationText, set.InactivityTimeout.Milliseconds(), set.LeftTimeout.Milliseconds(), b2i(set.MessagePreview),
		pc.Name.String(), pc.Email.String(), pc.Question.String(), set.NotifyEmail, set.LauncherOffset, siteID)
}
