package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"outputdesk/internal/desk"
)

const operatorColumns = `id, site_id, name, email, password_hash, role, priority_level, chat_limit, status, last_assigned_at, created_at`

func scanOperator(row interface{ Scan(...any) error }) (desk.Operator, error) {
	var o desk.Operator
	var role, status string
	var last, created int64
	err := row.Scan(&o.ID, &o.SiteID, &o.Name, &o.Email, &o.PasswordHash, &role, &o.PriorityLevel, &o.ChatLimit, &status, &last, &created)
	o.Role, o.Status = desk.Role(role), desk.Status(status)
	o.LastAssignedAt, o.CreatedAt = fromMS(last), fromMS(created)
	return o, notFound(err, "operator")
}

func insertOperator(ctx context.Context, q querier, o desk.Operator) (desk.Operator, error) {
	o.Email = strings.ToLower(o.Email)
	res, err := q.ExecContext(ctx, `INSERT INTO operators (site_id, name, email, password_hash, role, priority_level, chat_limit, status, last_assigned_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.SiteID, o.Name, o.Email, o.PasswordHash, string(o.Role), o.PriorityLevel, o.ChatLimit,
		string(o.Status), ms(o.LastAssignedAt), ms(o.CreatedAt))
	if isUnique(err) {
		return o, desk.Errorf(desk.CodeConflict, "The email %s is already in use", o.Email)
	}
	if err != nil {
		return o, err
	}
	o.ID, err = res.LastInsertId()
	return o, err
}

func (s *Store) CreateOperator(ctx context.Context, o desk.Operator) (desk.Operator, error) {
	return insertOperator(ctx, s.w, o)
}

func (s *Store) CreateFirstOperator(ctx context.Context, o desk.Operator) (desk.Operator, error) {
	var out desk.Operator
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM operators`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return desk.Errorf(desk.CodeConflict, "An admin account already exists")
		}
		var err error
		out, err = insertOperator(ctx, tx, o)
		return err
	})
	return out, err
}

func (s *Store) Operator(ctx context.Context, id int64) (desk.Operator, error) {
	return scanOperator(s.r.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, id))
}

func (s *Store) OperatorByEmail(ctx context.Context, email string) (desk.Operator, error) {
	return scanOperator(s.r.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE email = ?`, strings.ToLower(email)))
}

func (s *Store) Operators(ctx context.Context, siteID int64) ([]desk.Operator, error) {
	return operatorsOf(ctx, s.r, siteID)
}

func operatorsOf(ctx context.Context, q querier, siteID int64) ([]desk.Operator, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE site_id = ? ORDER BY id`, siteID)
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

func (s *Store) CountOperators(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM operators`).Scan(&n)
	return n, err
}

func (s *Store) UpdateOperator(ctx context.Context, o desk.Operator) (desk.Operator, error) {
	o.Email = strings.ToLower(o.Email)
	res, err := s.w.ExecContext(ctx, `UPDATE operators SET name = ?, email = ?, password_hash = ?, role = ?, priority_level = ?, chat_limit = ?, status = ? WHERE id = ?`,
		o.Name, o.Email, o.PasswordHash, string(o.Role), o.PriorityLevel, o.ChatLimit, string(o.Status), o.ID)
	if isUnique(err) {
		return o, desk.Errorf(desk.CodeConflict, "The email %s is already in use", o.Email)
	}
	if err != nil {
		return o, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return o, desk.NotFound("operator")
	}
	return scanOperator(s.w.QueryRowContext(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = ?`, o.ID))
}

func (s *Store) ActiveChatCounts(ctx context.Context, siteID int64) (map[int64]int, error) {
	return activeCounts(ctx, s.r, siteID)
}

func activeCounts(ctx context.Context, q querier, siteID int64) (map[int64]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT operator_id, count(*) FROM chats WHERE site_id = ? AND state = 'active' GROUP BY operator_id`, siteID)
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
