package sqlstore

import (
	"context"

	"outputdesk/internal/desk"
)

const visitorColumns = `id, site_id, token_hash, name, user_agent, created_at`

func scanVisitor(row scanner) (desk.Visitor, error) {
	var v desk.Visitor
	var created int64
	err := row.Scan(&v.ID, &v.SiteID, &v.TokenHash, &v.Name, &v.UserAgent, &created)
	v.CreatedAt = fromMS(created)
	return v, notFound(err, "visitor")
}

func (s *DB) CreateVisitor(ctx context.Context, v desk.Visitor) (desk.Visitor, error) {
	err := s.write(ctx).row(`INSERT INTO visitors (site_id, token_hash, name, user_agent, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		v.SiteID, v.TokenHash, v.Name, v.UserAgent, ms(v.CreatedAt)).Scan(&v.ID)
	if s.d.IsUnique(err) {
		return v, desk.Errorf(desk.CodeConflict, "visitor token already in use")
	}
	return v, err
}

func (s *DB) Visitor(ctx context.Context, id int64) (desk.Visitor, error) {
	return scanVisitor(s.read(ctx).row(`SELECT `+visitorColumns+` FROM visitors WHERE id = ?`, id))
}

func (s *DB) VisitorByToken(ctx context.Context, siteID int64, tokenHash string) (desk.Visitor, error) {
	return scanVisitor(s.read(ctx).row(`SELECT `+visitorColumns+` FROM visitors WHERE site_id = ? AND token_hash = ?`, siteID, tokenHash))
}

func (s *DB) SetVisitorUserAgent(ctx context.Context, id int64, ua string) error {
	return s.write(ctx).exec1("visitor", `UPDATE visitors SET user_agent = ? WHERE id = ?`, ua, id)
}

func (s *DB) AddPageView(ctx context.Context, pv desk.PageView) (desk.PageView, error) {
	err := s.write(ctx).row(`INSERT INTO page_views (visitor_id, visit_id, url, title, referrer, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		pv.VisitorID, pv.VisitID, pv.Page.URL, pv.Page.Title, pv.Page.Referrer, ms(pv.StartedAt)).Scan(&pv.ID)
	return pv, err
}

func (s *DB) PageViews(ctx context.Context, visitorID int64, visitID string) ([]desk.PageView, error) {
	rows, err := s.read(ctx).query(`SELECT id, visitor_id, visit_id, url, title, referrer, started_at FROM page_views
		WHERE visitor_id = ? AND visit_id = ? ORDER BY id`, visitorID, visitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.PageView
	for rows.Next() {
		var pv desk.PageView
		var started int64
		if err := rows.Scan(&pv.ID, &pv.VisitorID, &pv.VisitID, &pv.Page.URL, &pv.Page.Title, &pv.Page.Referrer, &started); err != nil {
			return nil, err
		}
		pv.StartedAt = fromMS(started)
		out = append(out, pv)
	}
	return out, rows.Err()
}
