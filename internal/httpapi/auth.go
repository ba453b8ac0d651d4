package httpapi

import (
	"crypto/subtle"
	"net/http"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/proxies"
)

type operatorHandler func(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session)

// withOperator requires a valid session; changes also need the session's
// CSRF token in X-CSRF-Token, and admin routes an admin.
func (s *server) withOperator(h operatorHandler, adminOnly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		op, se, err := s.svc.Authenticate(r.Context(), r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			token := r.Header.Get("X-CSRF-Token")
			if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(se.CSRFToken)) != 1 {
				s.writeError(w, r, desk.Errorf(desk.CodeForbidden, "Missing or wrong CSRF token"))
				return
			}
		}
		if adminOnly && op.Role != desk.RoleAdmin {
			s.writeError(w, r, desk.Errorf(desk.CodeForbidden, "Only an admin can do this"))
			return
		}
		h(w, r, op, se)
	}
}

// sessionBody is what logging in, creating the first admin and GET
// /api/session answer.
func (s *server) sessionBody(r *http.Request, op desk.Operator, se desk.Session) (map[string]any, error) {
	view, err := s.svc.OperatorView(r.Context(), op)
	return map[string]any{"operator": view, "csrf_token": se.CSRFToken, "expires_at": protocol.Time(se.ExpiresAt)}, err
}

// setSessionCookie sets (or, with an empty token, clears) the session
// cookie. It is Secure whenever browsers reach us over HTTPS: a public URL
// of https://…, TLS on this connection, or a trusted proxy's word.
func (s *server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: protocol.SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.httpsPublic || s.proxies.HTTPS(r)})
}

func (s *server) setupStatus(w http.ResponseWriter, r *http.Request) {
	needs, err := s.svc.NeedsAdmin(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]bool{"needs_admin": needs})
}

func (s *server) createFirstAdmin(w http.ResponseWriter, r *http.Request) {
	var in protocol.LoginRequest
	if err := readJSON(w, r, &in, protocol.SetupAdminMembers...); err != nil {
		s.writeError(w, r, err)
		return
	}
	op, se, token, err := s.svc.CreateFirstAdmin(r.Context(), in.Name, in.Email, in.Password)
	s.startSession(w, r, 201, op, se, token, err)
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var in protocol.LoginRequest
	if err := readJSON(w, r, &in, protocol.LoginMembers...); err != nil {
		s.writeError(w, r, err)
		return
	}
	op, se, token, err := s.svc.Login(r.Context(), in.Email, in.Password)
	s.startSession(w, r, 200, op, se, token, err)
}

func (s *server) startSession(w http.ResponseWriter, r *http.Request, status int, op desk.Operator, se desk.Session, token string, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := s.sessionBody(r, op, se)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.setSessionCookie(w, r, token, se.ExpiresAt)
	s.log.Info("operator logged in", "operator", op.ID, "client", proxies.ClientOf(r.Context()))
	writeJSON(w, status, body)
}

func (s *server) currentSession(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	body, err := s.sessionBody(r, op, se)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, body)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	if err := s.svc.Logout(r.Context(), se); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.setSessionCookie(w, r, "", time.Unix(0, 0))
	s.log.Info("operator logged out", "operator", op.ID, "client", proxies.ClientOf(r.Context()))
	w.WriteHeader(http.StatusNoContent)
}
