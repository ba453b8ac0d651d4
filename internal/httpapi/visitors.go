package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) visitorPages(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	row, pages, err := s.svc.VisitorPages(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"visitor": row, "pages": protocol.PageViewsOf(pages)})
}

func (s *server) invite(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	inv, err := s.svc.Invite(r.Context(), op, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 201, inv)
}
