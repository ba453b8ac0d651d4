package accounts

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"outputdesk/internal/desk"
	"outputdesk/internal/ids"
	"outputdesk/internal/protocol"
	"outputdesk/internal/proxies"
)

// dummyHash is compared against when an email is unknown, so a login takes
// as long whether or not the account exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such account"), bcrypt.MinCost)

// Login checks a password and starts a session.
// An account or client address with too many failed log-ins must wait
// first (throttle.go); the client's address is the one in ctx.
func (s *Service) Login(ctx context.Context, email, password string) (desk.Operator, desk.Session, string, error) {
	if wait := s.throttle.wait(emailKey(email), proxies.ClientOf(ctx), s.d.Clock.Now()); wait > 0 {
		return desk.Operator{}, desk.Session{}, "", tooMany(wait)
	}
	wrong := desk.Errorf(desk.CodeUnauthorized, "Wrong email or password")
	op, err := s.d.Store.OperatorByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, desk.ErrNotFound) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		s.loginAttempt(ctx, email, true)
		return op, desk.Session{}, "", wrong
	}
	if err != nil {
		return op, desk.Session{}, "", err
	}
	if bcrypt.CompareHashAndPassword([]byte(op.PasswordHash), []byte(password)) != nil {
		s.loginAttempt(ctx, email, true)
		return op, desk.Session{}, "", wrong
	}
	se, token, err := s.newSession(ctx, op)
	if err == nil {
		s.loginAttempt(ctx, email, false)
	}
	return op, se, token, err
}

func (s *Service) newSession(ctx context.Context, op desk.Operator) (desk.Session, string, error) {
	now := s.d.Clock.Now()
	token := ids.Token("")
	se := desk.Session{TokenHash: ids.Hash(token), OperatorID: op.ID, CSRFToken: ids.Token(""), CreatedAt: now, ExpiresAt: now.Add(s.d.SessionTTL)}
	if err := s.d.Store.CreateSession(ctx, se); err != nil {
		return se, "", err
	}
	s.d.Store.DeleteExpiredSessions(ctx, now) // housekeeping, best effort
	return se, token, nil
}

// Logout ends a session and closes its console sockets.
func (s *Service) Logout(ctx context.Context, se desk.Session) error {
	if err := s.d.Store.DeleteSession(ctx, se.TokenHash); err != nil {
		return err
	}
	// its consoles may be on any node: every node closes its own
	siteID := s.d.SiteID()
	s.d.Announce.SessionEnded(siteID, se.TokenHash)
	return nil
}

// Authenticate finds the operator of the request's session cookie.
func (s *Service) Authenticate(ctx context.Context, r *http.Request) (desk.Operator, desk.Session, error) {
	ck, err := r.Cookie(protocol.SessionCookie)
	if err != nil || ck.Value == "" {
		return desk.Operator{}, desk.Session{}, desk.Errorf(desk.CodeUnauthorized, "Not logged in")
	}
	se, err := s.d.Store.Session(ctx, ids.Hash(ck.Value))
	if errors.Is(err, desk.ErrNotFound) {
		return desk.Operator{}, se, desk.Errorf(desk.CodeUnauthorized, "Not logged in")
	}
	if err != nil {
		return desk.Operator{}, se, err
	}
	if !s.d.Clock.Now().Before(se.ExpiresAt) {
		s.d.Store.DeleteSession(ctx, se.TokenHash)
		return desk.Operator{}, se, desk.Errorf(desk.CodeSessionExpired, "Your session has expired. Please log in again.")
	}
	op, err := s.d.Store.Operator(ctx, se.OperatorID)
	if errors.Is(err, desk.ErrNotFound) {
		return op, se, desk.Errorf(desk.CodeUnauthorized, "Not logged in")
	}
	return op, se, err
}
