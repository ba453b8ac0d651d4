package visitors

import (
	"context"

	"outputdesk/internal/desk"
)

// IdentifyAs keeps the name and email a visitor gives (OutputDesk.identify
// on the site, the pre-chat form) and tells every node, whose Visitor List
// rows then show the name.
func (s *Service) IdentifyAs(ctx context.Context, v desk.Visitor, name, email string) (desk.Visitor, error) {
	cur, err := s.d.Store.Visitor(ctx, v.ID)
	if err != nil {
		return v, err
	}
	next, err := desk.Identify(cur, name, email)
	if err != nil {
		return cur, err
	}
	if next == cur {
		return cur, nil
	}
	if err := s.d.Store.SetVisitorIdentity(ctx, v.ID, next.Name, next.Email); err != nil {
		return cur, err
	}
	s.d.Announce.VisitorRenamed(next.SiteID, next.ID, next.Name)
	return next, nil
}

// Renamed: a visitor gave a name, on some node. This node's tabs of theirs
// (presence marks each with its node) carry it in presence, so every node's
// Visitor List row shows it.
func (s *Service) Renamed(visitorID int64, name string) {
	pv, _ := s.d.Presence.Visitor(visitorID)
	me := s.d.Presence.Node()
	for _, t := range pv.Tabs {
		if t.Node == me && t.Name != name {
			t.Name = name
			s.d.Presence.SetTab(t)
		}
	}
}
