package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) getSettings(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	writeJSON(w, 200, s.svc.Settings())
}

func (s *server) updateSettings(w http.ResponseWriter, r *http.Request, op desk.Operator, p protocol.SettingsPatch) {
	set, err := s.svc.UpdateSettings(r.Context(), op, p)
	s.respond(w, r, 200, set, err)
}

func (s *server) install(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	writeJSON(w, 200, map[string]string{"snippet": s.svc.Snippet(), "site_key": s.svc.Settings().SiteKey})
}

func (s *server) listActionRules(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	rules, err := s.svc.ActionRules(r.Context())
	s.respond(w, r, 200, map[string]any{"rules": rules}, err)
}

func (s *server) createActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.ActionRule) {
	in.ID = 0
	saved, err := s.svc.SaveActionRule(r.Context(), op, in)
	s.respond(w, r, 201, saved, err)
}

func (s *server) updateActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.ActionRule) {
	in.ID = id
	saved, err := s.svc.SaveActionRule(r.Context(), op, in)
	s.respond(w, r, 200, saved, err)
}

func (s *server) deleteActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	s.respond(w, r, http.StatusNoContent, nil, s.svc.DeleteActionRule(r.Context(), op, id))
}

func (s *server) moveActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.MoveRequest) {
	rules, err := s.svc.MoveActionRule(r.Context(), op, id, in.Direction)
	s.respond(w, r, 200, map[string]any{"rules": rules}, err)
}

func (s *server) testActionRules(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.Page) {
	res, err := s.svc.TestRoute(r.Context(), desk.Page{URL: in.URL, Title: in.Title, Referrer: in.Referrer})
	s.respond(w, r, 200, res, err)
}

func (s *server) listInvitationRules(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	writeJSON(w, 200, map[string]any{"rules": s.svc.InvitationRules()})
}

func (s *server) createInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.InvitationRule) {
	in.ID = 0
	saved, err := s.svc.SaveInvitationRule(r.Context(), op, in)
	s.respond(w, r, 201, saved, err)
}

func (s *server) updateInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.InvitationRule) {
	in.ID = id
	saved, err := s.svc.SaveInvitationRule(r.Context(), op, in)
	s.respond(w, r, 200, saved, err)
}

func (s *server) deleteInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	s.respond(w, r, http.StatusNoContent, nil, s.svc.DeleteInvitationRule(r.Context(), op, id))
}
