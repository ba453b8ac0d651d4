package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"outputdesk/internal/desk"
)

const offlineSelect = `SELECT m.id, m.site_id, m.visitor_id, m.name, m.email, m.body, m.page_url, m.page_title, m.created_at,
	m.handled_at, COALESCE(m.handled_by, 0), COALESCE(o.name, '') FROM offline_messages m LEFT JOIN operators o ON o.id = m.handled_by`

func scanOffline(row scanner) (desk.OfflineMessage, error) {
	var m desk.OfflineMessage
	var created int64
	var handled sql.NullInt64
	err := row.Scan(&m.ID, &m.SiteID, &m.VisitorID, &m.Name, &m.Email, &m.Body, &m.Page.URL, &m.Page.Title, &created,
		&handled, &m.HandledBy, &m.HandledByName)
	m.CreatedAt, m.HandledAt = fromMS(created), fromNullMS(handled)
	return m, notFound(err, "offline message")
}

func (s *DB) AddOfflineMessage(ctx context.Context, m desk.OfflineMessage) (desk.OfflineMessage, error) {
	err := s.write(ctx).row(`INSERT INTO offline_messages (site_id, visitor_id, name, email, body, page_url, page_title, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.SiteID, m.VisitorID, m.Name, m.Email, m.Body, m.Page.URL, m.Page.Title, ms(m.CreatedAt)).Scan(&m.ID)
	return m, err
}

func (s *DB) OfflineMessage(ctx context.Context, id int64) (desk.OfflineMessage, error) {
	return scanOffline(s.read(ctx).row(offlineSelect+` WHERE m.id = ?`, id))
}

func (s *DB) OfflineMessages(ctx context.Context, siteID int64, limit int) ([]desk.OfflineMessage, error) {
	return all(s.read(ctx), scanOffline, offlineSelect+` WHERE m.site_id = ? ORDER BY m.id DESC LIMIT ?`, siteID, limit)
}

func (s *DB) MarkOfflineHandled(ctx context.Context, id, by int64, at time.Time) (desk.OfflineMessage, bool, error) {
	var out desk.OfflineMessage
	var changed bool
	err := s.tx(ctx, func(r run) error {
		res, err := r.exec(`UPDATE offline_messages SET handled_at = ?, handled_by = ? WHERE id = ? AND handled_at IS NULL`, ms(at), by, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		changed = n == 1
		out, err = scanOffline(r.row(offlineSelect+` WHERE m.id = ?`, id))
		return err
	})
	return out, changed, err
}
