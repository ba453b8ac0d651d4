package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) listOperators(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	ops, err := s.svc.ListOperators(r.Context())
	s.respond(w, r, 200, map[string]any{"operators": ops}, err)
}

func (s *server) createOperator(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.OperatorInput) {
	created, err := s.svc.CreateOperator(r.Context(), op, in)
	s.respond(w, r, 201, created, err)
}

func (s *server) updateOperator(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.OperatorInput) {
	updated, err := s.svc.UpdateOperator(r.Context(), op, id, in)
	s.respond(w, r, 200, updated, err)
}

func (s *server) setStatus(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.StatusRequest) {
	status, ok := desk.ParseStatus(in.Status)
	if !ok {
		s.writeError(w, r, desk.Errorf(desk.CodeInvalid, `Status must be "Online", "Away" or "Offline"`))
		return
	}
	view, err := s.svc.SetStatus(r.Context(), op, status)
	s.respond(w, r, 200, view, err)
}
