package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) visitorPages(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	row, pages, err := s.svc.VisitorPages(r.Context(), id)
	s.respond(w, r, 200, map[string]any{"visitor": row, "pages": protocol.PageViewsOf(pages)}, err)
}

func (s *server) invite(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	inv, err := s.svc.Invite(r.Context(), op, id)
	s.respond(w, r, 201, inv, err)
}
