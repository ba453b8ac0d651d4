package sqlstore

import (
	"context"
	"time"

	"outputdesk/internal/desk"
)

func (s *DB) CreateSession(ctx context.Context, se desk.Session) error {
	_, err := s.write(ctx).exec(`INSERT INTO sessions (token_hash, operator_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		se.TokenHash, se.OperatorID, se.CSRFToken, ms(se.CreatedAt), ms(se.ExpiresAt))
	return err
}

func (s *DB) Session(ctx context.Context, tokenHash string) (desk.Session, error) {
	var se desk.Session
	var created, expires int64
	err := s.read(ctx).row(`SELECT token_hash, operator_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&se.TokenHash, &se.OperatorID, &se.CSRFToken, &created, &expires)
	se.CreatedAt, se.ExpiresAt = fromMS(created), fromMS(expires)
	return se, notFound(err, "session")
}

func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.write(ctx).exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

func (s *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := s.write(ctx).exec(`DELETE FROM sessions WHERE expires_at <= ?`, ms(now))
	return err
}
