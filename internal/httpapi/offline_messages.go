package httpapi

import (
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

func (s *server) listOfflineMessages(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	ms, err := s.svc.OfflineMessages(r.Context(), op)
	s.respond(w, r, 200, map[string]any{"offline_messages": protocol.OfflineMessagesOf(ms)}, err)
}

func (s *server) markHandled(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	m, err := s.svc.MarkHandled(r.Context(), op, id)
	s.respond(w, r, 200, protocol.OfflineMessageOf(m), err)
}
