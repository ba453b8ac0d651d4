package httpapi

import (
	"context"
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// PreferencesService: an operator's own notification preferences. There
// is no route to another operator's: each reads and changes only theirs.
type PreferencesService interface {
	Preferences(ctx context.Context, op desk.Operator) (protocol.Preferences, error)
	ChangePreferences(ctx context.Context, op desk.Operator, in protocol.PreferencesPatch) (protocol.Preferences, error)
}

func (s *server) getPreferences(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	p, err := s.svc.Preferences(r.Context(), op)
	s.respond(w, r, 200, p, err)
}

func (s *server) changePreferences(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.PreferencesPatch) {
	p, err := s.svc.ChangePreferences(r.Context(), op, in)
	s.respond(w, r, 200, p, err)
}
