package sqlite

import (
	"context"
	"time"

	"outputdesk/internal/desk"
)

func (s *Store) CreateSession(ctx context.Context, se desk.Session) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, operator_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		se.TokenHash, se.OperatorID, se.CSRFToken, ms(se.CreatedAt), ms(se.ExpiresAt))
	return err
}

func (s *Store) Session(ctx context.Context, tokenHash string) (desk.Session, error) {
	var se desk.Session
	var created, expires int64
	err := s.r.QueryRowContext(ctx, `SELECT token_hash, operator_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&se.TokenHash, &se.OperatorID, &se.CSRFToken, &created, &expires)
	se.CreatedAt, se.ExpiresAt = fromMS(created), fromMS(expires)
	return se, notFound(err, "session")
}

func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, ms(now))
	return err
}
