package visitors

import (
	"context"

	"outputdesk/internal/desk"
	"outputdesk/internal/presence"
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
// carry it in presence, so every node's Visitor List row shows it. (A scan
// of this node's tabs: a name is given rarely, a page view often.)
func (s *Service) Renamed(visitorID int64, name string) {
	pv, here := s.d.Presence.Visitor(visitorID)
	if !here {
		return
	}
	s.mu.Lock()
	mine := make(map[presence.ConnID]bool, len(pv.Tabs))
	for _, conn := range s.tabs {
		for _, t := range pv.Tabs {
			if t.Conn == conn {
				mine[conn] = true
			}
		}
	}
	s.mu.Unlock()
	for _, t := range pv.Tabs {
		if mine[t.Conn] && t.Name != name {
			t.Name = name
			s.d.Presence.SetTab(t)
		}
	}
}
