package httpapi

import (
	"context"
	"net/http"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// CannedService: "Canned Replies", shared and personal. Any operator may
// call each endpoint; the service lets admins change shared replies and
// owners their personal ones.
type CannedService interface {
	CannedReplies(ctx context.Context, op desk.Operator) ([]protocol.CannedReply, error)
	CreateCannedReply(ctx context.Context, op desk.Operator, in protocol.CannedReplyInput) (protocol.CannedReply, error)
	UpdateCannedReply(ctx context.Context, op desk.Operator, id int64, in protocol.CannedReplyInput) (protocol.CannedReply, error)
	DeleteCannedReply(ctx context.Context, op desk.Operator, id int64) error
}

func (s *server) listCannedReplies(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	replies, err := s.svc.CannedReplies(r.Context(), op)
	s.respond(w, r, 200, map[string]any{"replies": replies}, err)
}

func (s *server) createCannedReply(w http.ResponseWriter, r *http.Request, op desk.Operator, in protocol.CannedReplyInput) {
	saved, err := s.svc.CreateCannedReply(r.Context(), op, in)
	s.respond(w, r, 201, saved, err)
}

func (s *server) updateCannedReply(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.CannedReplyInput) {
	saved, err := s.svc.UpdateCannedReply(r.Context(), op, id, in)
	s.respond(w, r, 200, saved, err)
}

func (s *server) deleteCannedReply(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	s.respond(w, r, http.StatusNoContent, nil, s.svc.DeleteCannedReply(r.Context(), op, id))
}
