package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

const visitorColumns = `id, site_id, token_hash, name, email, user_agent, created_at`

func scanVisitor(row scanner) (desk.Visitor, error) {
	var v desk.Visitor
	var created int64
	err := row.Scan(&v.ID, &v.SiteID, &v.TokenHash, &v.Name, &v.Email, &v.UserAgent, &created)
	v.CreatedAt = fromMS(created)
	return v, notFound(err, "visitor")
}

func (s *DB) CreateVisitor(ctx context.Context, v desk.Visitor) (desk.Visitor, error) {
	err := insertVisitor(s.write(ctx), &v)
	return v, tokenTaken(s, err)
}

func (s *DB) CreateVisitorsOnPages(ctx context.Context, vs []store.NewVisitor) error {
	err := s.tx(ctx, func(r run) error {
		if err := insertVisitors(r, vs); err != nil {
			return err
		}
		return insertFirstPages(r, vs)
	})
	if err != nil {
		for i := range vs {
			vs[i].Visitor.ID = 0
		}
	}
	return tokenTaken(s, err)
}

// insertVisitors inserts a batch of visitors in one statement, not one
// each (most of a batch's cost was the statements), and sets their ids,
// matched by token hash: the order of RETURNING's rows is not promised.
func insertVisitors(r run, vs []store.NewVisitor) error {
	args := make([]any, 0, 5*len(vs))
	at := make(map[string]int, len(vs))
	for i, nv := range vs {
		v := nv.Visitor
		args = append(args, v.SiteID, v.TokenHash, v.Name, v.UserAgent, ms(v.CreatedAt))
		at[v.TokenHash] = i
	}
	rows, err := r.adhoc(`INSERT INTO visitors (site_id, token_hash, name, user_agent, created_at) VALUES `+
		valueRows(len(vs), 5)+` RETURNING id, token_hash`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	made := 0
	for rows.Next() {
		var id int64
		var hash string
		if err := rows.Scan(&id, &hash); err != nil {
			return err
		}
		if i, ok := at[hash]; ok && vs[i].Visitor.ID == 0 {
			vs[i].Visitor.ID = id
			made++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if made != len(vs) {
		return fmt.Errorf("sqlstore: %d of %d new visitors came back from their insert", made, len(vs))
	}
	return nil
}

// insertFirstPages records each new visitor's first page view, in one
// statement.
func insertFirstPages(r run, vs []store.NewVisitor) error {
	args := make([]any, 0, 7*len(vs))
	for _, nv := range vs {
		pv := nv.First
		args = append(args, nv.Visitor.ID, pv.VisitID, pv.PageID, pv.Page.URL, pv.Page.Title, pv.Page.Referrer, ms(pv.StartedAt))
	}
	_, err := r.execAdhoc(`INSERT INTO page_views (visitor_id, visit_id, page_id, url, title, referrer, started_at) VALUES `+
		valueRows(len(vs), 7), args...)
	return err
}

// insertVisitor inserts v and sets its id.
func insertVisitor(r run, v *desk.Visitor) error {
	return r.row(`INSERT INTO visitors (site_id, token_hash, name, user_agent, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		v.SiteID, v.TokenHash, v.Name, v.UserAgent, ms(v.CreatedAt)).Scan(&v.ID)
}

// tokenTaken is what creating a visitor returns for err: a taken token is
// a conflict.
func tokenTaken(s *DB, err error) error {
	if s.d.IsUnique(err) {
		return desk.Errorf(desk.CodeConflict, "visitor token already in use")
	}
	return err
}

func (s *DB) Visitor(ctx context.Context, id int64) (desk.Visitor, error) {
	return scanVisitor(s.read(ctx).row(`SELECT `+visitorColumns+` FROM visitors WHERE id = ?`, id))
}

func (s *DB) VisitorByToken(ctx context.Context, siteID int64, tokenHash string) (desk.Visitor, error) {
	return scanVisitor(s.read(ctx).row(`SELECT `+visitorColumns+` FROM visitors WHERE site_id = ? AND token_hash = ?`, siteID, tokenHash))
}

func (s *DB) SetVisitorIdentity(ctx context.Context, id int64, name, email string) error {
	return s.write(ctx).exec1("visitor", `UPDATE visitors SET name = ?, email = ? WHERE id = ?`, name, email, id)
}

func (s *DB) SetVisitorUserAgent(ctx context.Context, id int64, ua string) error {
	return s.write(ctx).exec1("visitor", `UPDATE visitors SET user_agent = ? WHERE id = ?`, ua, id)
}

const pageViewColumns = `id, visitor_id, visit_id, page_id, url, title, referrer, started_at`

func scanPageView(row scanner) (desk.PageView, error) {
	var pv desk.PageView
	var started int64
	err := row.Scan(&pv.ID, &pv.VisitorID, &pv.VisitID, &pv.PageID, &pv.Page.URL, &pv.Page.Title, &pv.Page.Referrer, &started)
	pv.StartedAt = fromMS(started)
	return pv, err
}

// AddPageView inserts the view unless its page id was seen this visit (two
// nodes adding one page at once: the unique index lets one in), then reads
// the view as stored and the visit's count.
func (s *DB) AddPageView(ctx context.Context, pv desk.PageView) (store.PageViewAdded, error) {
	var out store.PageViewAdded
	err := s.tx(ctx, func(r run) error {
		err := r.row(`INSERT INTO page_views (visitor_id, visit_id, page_id, url, title, referrer, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (visitor_id, visit_id, page_id) WHERE page_id <> '' DO NOTHING RETURNING id`,
			pv.VisitorID, pv.VisitID, pv.PageID, pv.Page.URL, pv.Page.Title, pv.Page.Referrer, ms(pv.StartedAt)).Scan(&pv.ID)
		switch {
		case err == nil:
			out.View, out.New = pv, true
		case errors.Is(err, sql.ErrNoRows):
			if out.View, err = scanPageView(r.row(`SELECT `+pageViewColumns+` FROM page_views
				WHERE visitor_id = ? AND visit_id = ? AND page_id = ?`, pv.VisitorID, pv.VisitID, pv.PageID)); err != nil {
				return err
			}
		default:
			return err
		}
		return r.row(`SELECT count(*) FROM page_views WHERE visitor_id = ? AND visit_id = ?`, pv.VisitorID, pv.VisitID).Scan(&out.PagesViewed)
	})
	return out, err
}

func (s *DB) PageViews(ctx context.Context, visitorID int64, visitID string) ([]desk.PageView, error) {
	rows, err := s.read(ctx).query(`SELECT `+pageViewColumns+` FROM page_views
		WHERE visitor_id = ? AND visit_id = ? ORDER BY id`, visitorID, visitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.PageView
	for rows.Next() {
		pv, err := scanPageView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, pv)
	}
	return out, rows.Err()
}
