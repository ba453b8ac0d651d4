package visitors

import (
	"context"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// rowLocked is the visitor's Visitor List row: the page of the tab shown
// last on any node, the visit's pages, the latest chat and invitation.
// It is a new row, never changed after: the Visitor List keeps it as is.
func (s *Service) rowLocked(visitorID int64, vs *visit) *protocol.VisitorRow {
	act := vs.act()
	row := *vs.shown
	row.ID, row.Status, row.CanInvite, row.ChatID, row.InvitationID = visitorID, act.Status(), act.CanInvite(), nil, nil
	if act.ChatID != 0 {
		id := act.ChatID
		row.ChatID = &id
	}
	if act.Invitation == desk.InvitationOpen {
		id := act.InvitationID
		row.InvitationID = &id
	}
	return &row
}

// VisitorPages is a present visitor's row and this visit's page views.
func (s *Service) VisitorPages(ctx context.Context, visitorID int64) (*protocol.VisitorRow, []desk.PageView, error) {
	s.mu.Lock()
	vs := s.visits[visitorID]
	if vs == nil || !vs.present {
		s.mu.Unlock()
		return nil, nil, desk.Errorf(desk.CodeNotFound, "The visitor is not on the site")
	}
	row, visitID := s.rowLocked(visitorID, vs), vs.id
	s.mu.Unlock()
	pvs, err := s.d.Store.PageViews(ctx, visitorID, visitID)
	return row, pvs, err
}
