package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) getSettings(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	writeJSON(w, 200, s.svc.Settings())
}

func (s *server) updateSettings(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	var p protocol.SettingsPatch
	if err := readJSON(w, r, &p); err != nil {
		s.writeError(w, r, err)
		return
	}
	set, err := s.svc.UpdateSettings(r.Context(), op, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, set)
}

func (s *server) install(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	writeJSON(w, 200, map[string]string{"snippet": s.svc.Snippet(), "site_key": s.svc.Settings().SiteKey})
}

func (s *server) listActionRules(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	rules, err := s.svc.ActionRules(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"rules": rules})
}

func (s *server) createActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	s.saveActionRule(w, r, op, 0, 201)
}

func (s *server) updateActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.saveActionRule(w, r, op, id, 200)
}

func (s *server) saveActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, status int) {
	var in protocol.ActionRule
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	in.ID = id
	saved, err := s.svc.SaveActionRule(r.Context(), op, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, saved)
}

func (s *server) deleteActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.DeleteActionRule(r.Context(), op, id)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) moveActionRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	var in protocol.MoveRequest
	if err == nil {
		err = readJSON(w, r, &in)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rules, err := s.svc.MoveActionRule(r.Context(), op, id, in.Direction)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"rules": rules})
}

func (s *server) testActionRules(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	var in protocol.Page
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.svc.TestRoute(r.Context(), desk.Page{URL: in.URL, Title: in.Title, Referrer: in.Referrer})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, res)
}

func (s *server) listInvitationRules(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	writeJSON(w, 200, map[string]any{"rules": s.svc.InvitationRules()})
}

func (s *server) createInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	s.saveInvitationRule(w, r, op, 0, 201)
}

func (s *server) updateInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.saveInvitationRule(w, r, op, id, 200)
}

func (s *server) saveInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, status int) {
	var in protocol.InvitationRule
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	in.ID = id
	saved, err := s.svc.SaveInvitationRule(r.Context(), op, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, saved)
}

func (s *server) deleteInvitationRule(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err == nil {
		err = s.svc.DeleteInvitationRule(r.Context(), op, id)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
