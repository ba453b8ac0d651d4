package sqlstore

import (
	"context"
	"strings"

	"outputdesk/internal/desk"
)

const operatorColumns = `id, site_id, name, email, password_hash, role, priority_level, chat_limit, status, last_assigned_at, created_at`

func scanOperator(row scanner) (desk.Operator, error) {
	var o desk.Operator
	var role, status string
	var last, created int64
	err := row.Scan(&o.ID, &o.SiteID, &o.Name, &o.Email, &o.PasswordHash, &role, &o.PriorityLevel, &o.ChatLimit, &status, &last, &created)
	o.Role, o.Status = desk.Role(role), desk.Status(status)
	o.LastAssignedAt, o.CreatedAt = fromMS(last), fromMS(created)
	return o, notFound(err, "operator")
}

func (s *DB) insertOperator(r run, o desk.Operator) (desk.Operator, error) {
	o.Email = strings.ToLower(o.Email)
	err := r.row(`INSERT INTO operators (site_id, name, email, password_hash, role, priority_level, chat_limit, status, last_assigned_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.SiteID, o.Name, o.Email, o.PasswordHash, string(o.Role), o.PriorityLevel, o.ChatLimit,
		string(o.Status), ms(o.LastAssignedAt), ms(o.CreatedAt)).Scan(&o.ID)
	if s.d.IsUnique(err) {
		return o, desk.Errorf(desk.CodeConflict, "The email %s is already in use", o.Email)
	}
	return o, err
}

func (s *DB) CreateOperator(ctx context.Context, o desk.Operator) (desk.Operator, error) {
	return s.insertOperator(s.write(ctx), o)
}

func (s *DB) CreateFirstOperator(ctx context.Context, o desk.Operator) (desk.Operator, error) {
	var out desk.Operator
	err := s.tx(ctx, func(r run) error {
		// Hold the site so that two first admins created at once queue up
		// here and the second finds the first.
		if _, err := r.exec(`UPDATE sites SET name = name WHERE id = ?`, o.SiteID); err != nil {
			return err
		}
		var n int
		if err := r.row(`SELECT count(*) FROM operators`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return desk.Errorf(desk.CodeConflict, "An admin account already exists")
		}
		var err error
		out, err = s.insertOperator(r, o)
		return err
	})
	return out, err
}

func (s *DB) Operator(ctx context.Context, id int64) (desk.Operator, error) {
	return scanOperator(s.read(ctx).row(`SELECT `+operatorColumns+` FROM operators WHERE id = ?`, id))
}

func (s *DB) OperatorByEmail(ctx context.Context, email string) (desk.Operator, error) {
	return scanOperator(s.read(ctx).row(`SELECT `+operatorColumns+` FROM operators WHERE email = ?`, strings.ToLower(email)))
}

func (s *DB) Operators(ctx context.Context, siteID int64) ([]desk.Operator, error) {
	return operatorsOf(s.read(ctx), siteID)
}

func operatorsOf(r run, siteID int64) ([]desk.Operator, error) {
	rows, err := r.query(`SELECT `+operatorColumns+` FROM operators WHERE site_id = ? ORDER BY id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.Operator
	for rows.Next() {
		o, err := scanOperator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *DB) CountOperators(ctx context.Context) (int, error) {
	var n int
	err := s.read(ctx).row(`SELECT count(*) FROM operators`).Scan(&n)
	return n, err
}

func (s *DB) UpdateOperator(ctx context.Context, o desk.Operator) (desk.Operator, error) {
	o.Email = strings.ToLower(o.Email)
	out, err := scanOperator(s.write(ctx).row(`UPDATE operators SET name = ?, email = ?, password_hash = ?, role = ?, priority_level = ?, chat_limit = ?, status = ?
		WHERE id = ? RETURNING `+operatorColumns, o.Name, o.Email, o.PasswordHash, string(o.Role), o.PriorityLevel, o.ChatLimit, string(o.Status), o.ID))
	if s.d.IsUnique(err) {
		return o, desk.Errorf(desk.CodeConflict, "The email %s is already in use", o.Email)
	}
	return out, err
}

func (s *DB) ActiveChatCounts(ctx context.Context, siteID int64) (map[int64]int, error) {
	return activeCounts(s.read(ctx), siteID)
}

// activeCounts reads only the index of active chats (chats_active), never
// the ended ones: its cost does not grow with history.
func activeCounts(r run, siteID int64) (map[int64]int, error) {
	rows, err := r.query(`SELECT operator_id, count(*) FROM chats WHERE site_id = ? AND state = 'active' GROUP BY operator_id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
