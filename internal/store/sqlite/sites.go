package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"outputdesk/internal/desk"
)

func (s *Store) EnsureSite(ctx context.Context, site desk.Site, set desk.Settings) (desk.Site, error) {
	var out desk.Site
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sites ORDER BY id LIMIT 1`).Scan(&id)
		if err == sql.ErrNoRows {
			origins, _ := json.Marshal(site.AllowedOrigins)
			res, err := tx.ExecContext(ctx, `INSERT INTO sites (key, name, allowed_origins, chat_rule, invitation_text, inactivity_timeout_ms, left_timeout_ms, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, site.Key, site.Name, string(origins), string(set.ChatRule), set.InvitationText,
				set.InactivityTimeout.Milliseconds(), set.LeftTimeout.Milliseconds(), ms(site.CreatedAt))
			if err != nil {
				return err
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		out, err = siteByID(ctx, tx, id)
		return err
	})
	return out, err
}

const siteColumns = `id, key, name, allowed_origins, created_at`

func scanSite(row interface{ Scan(...any) error }) (desk.Site, error) {
	var s desk.Site
	var origins string
	var created int64
	if err := row.Scan(&s.ID, &s.Key, &s.Name, &origins, &created); err != nil {
		return s, notFound(err, "site")
	}
	s.CreatedAt = fromMS(created)
	return s, json.Unmarshal([]byte(origins), &s.AllowedOrigins)
}

func siteByID(ctx context.Context, q querier, id int64) (desk.Site, error) {
	return scanSite(q.QueryRowContext(ctx, `SELECT `+siteColumns+` FROM sites WHERE id = ?`, id))
}

func (s *Store) Site(ctx context.Context, id int64) (desk.Site, error) { return siteByID(ctx, s.r, id) }

func (s *Store) SiteByKey(ctx context.Context, key string) (desk.Site, error) {
	return scanSite(s.r.QueryRowContext(ctx, `SELECT `+siteColumns+` FROM sites WHERE key = ?`, key))
}

func (s *Store) SetAllowedOrigins(ctx context.Context, siteID int64, origins []string) error {
	b, err := json.Marshal(origins)
	if err != nil {
		return err
	}
	return s.exec1(ctx, "site", `UPDATE sites SET allowed_origins = ? WHERE id = ?`, string(b), siteID)
}

func (s *Store) Settings(ctx context.Context, siteID int64) (desk.Settings, error) {
	return settingsOf(ctx, s.r, siteID)
}

func settingsOf(ctx context.Context, q querier, siteID int64) (desk.Settings, error) {
	var set desk.Settings
	var rule string
	var inactivity, left int64
	err := q.QueryRowContext(ctx, `SELECT chat_rule, invitation_text, inactivity_timeout_ms, left_timeout_ms FROM sites WHERE id = ?`, siteID).
		Scan(&rule, &set.InvitationText, &inactivity, &left)
	set.ChatRule = desk.ChatRule(rule)
	set.InactivityTimeout = time.Duration(inactivity) * time.Millisecond
	set.LeftTimeout = time.Duration(left) * time.Millisecond
	return set, notFound(err, "site")
}

func (s *Store) SaveSettings(ctx context.Context, siteID int64, set desk.Settings) error {
	return s.exec1(ctx, "site", `UPDATE sites SET chat_rule = ?, invitation_text = ?, inactivity_timeout_ms = ?, left_timeout_ms = ? WHERE id = ?`,
		string(set.ChatRule), set.InvitationText, set.InactivityTimeout.Milliseconds(), set.LeftTimeout.Milliseconds(), siteID)
}

// exec1 runs a write that must touch exactly one row of what.
func (s *Store) exec1(ctx context.Context, what, query string, args ...any) error {
	res, err := s.w.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return desk.NotFound(what)
	}
	return nil
}
