// Package canned is the "Canned Replies" service: listing, creating,
// editing and deleting shared and personal replies. desk decides what is
// valid and who may do what; the store keeps them; every change is
// announced so that the consoles concerned (every console of the site for
// a shared reply, the owner's for a personal one) read them again, on
// whichever node they are.
package canned

import (
	"context"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Deps are what the service needs.
type Deps struct {
	Store    store.CannedReplies
	Announce bus.Announcer
	Clock    clock.Clock
	// MaxMessageBytes bounds a reply's text: it becomes a message.
	MaxMessageBytes int
}

// Service is the canned replies' application logic.
type Service struct{ d Deps }

func New(d Deps) *Service { return &Service{d: d} }

// CannedReplies lists the site's shared replies and op's own.
func (s *Service) CannedReplies(ctx context.Context, op desk.Operator) ([]protocol.CannedReply, error) {
	rs, err := s.d.Store.CannedReplies(ctx, op.SiteID, op.ID)
	out := make([]protocol.CannedReply, len(rs))
	for i, r := range rs {
		out[i] = protocol.CannedReplyOf(r)
	}
	return out, err
}

// CreateCannedReply adds a personal reply of op's, or a shared one (admins).
func (s *Service) CreateCannedReply(ctx context.Context, op desk.Operator, in protocol.CannedReplyInput) (protocol.CannedReply, error) {
	shared := in.Shared != nil && *in.Shared
	if err := desk.CanCreateCannedReply(op, shared); err != nil {
		return protocol.CannedReply{}, err
	}
	now := s.d.Clock.Now()
	r := desk.CannedReply{SiteID: op.SiteID, OwnerID: op.ID, Shortcut: in.Shortcut, Text: in.Text, CreatedAt: now, UpdatedAt: now}
	if shared {
		r.OwnerID = 0
	}
	r, err := desk.CleanCannedReply(r, s.d.MaxMessageBytes)
	if err != nil {
		return protocol.CannedReply{}, err
	}
	if r, err = s.d.Store.CreateCannedReply(ctx, r); err != nil {
		return protocol.CannedReply{}, err
	}
	s.d.Announce.CannedReplies(r.SiteID, r.OwnerID)
	return protocol.CannedReplyOf(r), nil
}

// UpdateCannedReply changes a reply's shortcut and text; it stays shared
// or personal.
func (s *Service) UpdateCannedReply(ctx context.Context, op desk.Operator, id int64, in protocol.CannedReplyInput) (protocol.CannedReply, error) {
	r, err := s.changeable(ctx, op, id)
	if err != nil {
		return protocol.CannedReply{}, err
	}
	if in.Shared != nil && *in.Shared != r.Shared() {
		return protocol.CannedReply{}, desk.Errorf(desk.CodeInvalid, "A canned reply stays shared or personal: create a new one instead")
	}
	r.Shortcut, r.Text, r.UpdatedAt = in.Shortcut, in.Text, s.d.Clock.Now()
	if r, err = desk.CleanCannedReply(r, s.d.MaxMessageBytes); err != nil {
		return protocol.CannedReply{}, err
	}
	if r, err = s.d.Store.UpdateCannedReply(ctx, r); err != nil {
		return protocol.CannedReply{}, err
	}
	s.d.Announce.CannedReplies(r.SiteID, r.OwnerID)
	return protocol.CannedReplyOf(r), nil
}

// DeleteCannedReply removes a reply.
func (s *Service) DeleteCannedReply(ctx context.Context, op desk.Operator, id int64) error {
	r, err := s.changeable(ctx, op, id)
	if err != nil {
		return err
	}
	if err := s.d.Store.DeleteCannedReply(ctx, r.SiteID, r.ID); err != nil {
		return err
	}
	s.d.Announce.CannedReplies(r.SiteID, r.OwnerID)
	return nil
}

// changeable reads a reply op may change: another operator's personal
// reply is not found, a shared one forbidden to a non-admin.
func (s *Service) changeable(ctx context.Context, op desk.Operator, id int64) (desk.CannedReply, error) {
	r, err := s.d.Store.CannedReply(ctx, op.SiteID, id)
	if err != nil {
		return r, err
	}
	return r, desk.CanChangeCannedReply(op, r)
}
