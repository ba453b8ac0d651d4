package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) listOperators(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	ops, err := s.svc.ListOperators(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"operators": ops})
}

func (s *server) createOperator(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	var in protocol.OperatorInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	created, err := s.svc.CreateOperator(r.Context(), op, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 201, created)
}

func (s *server) updateOperator(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	var in protocol.OperatorInput
	if err == nil {
		err = readJSON(w, r, &in)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	updated, err := s.svc.UpdateOperator(r.Context(), op, id, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, updated)
}

func (s *server) setStatus(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	var in protocol.StatusRequest
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	status, ok := desk.ParseStatus(in.Status)
	if !ok {
		s.writeError(w, r, desk.Errorf(desk.CodeInvalid, `Status must be "Online", "Away" or "Offline"`))
		return
	}
	view, err := s.svc.SetStatus(r.Context(), op, status)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, view)
}
