package visitors

import (
	"context"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// StartupGrace: after a start, a visitor with an open chat who is on no
// node has left once the grace passes without them coming back, as one
// whose last tab closed at start. Call it once presence is ready, so that
// visitors on other nodes count as here.
func (s *Service) StartupGrace(ctx context.Context) {
	site, _ := s.d.Site()
	open, err := s.d.Store.ListChats(ctx, store.ChatFilter{SiteID: site.ID, States: []desk.ChatState{desk.ChatWaiting, desk.ChatActive}})
	if err != nil {
		s.d.Log.Error("startup visitor grace", "err", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range open {
		vid := c.VisitorID
		if _, here := s.d.Presence.Visitor(vid); here || s.visits[vid] != nil || s.startupLeft[vid] != nil || !c.VisitorLeftAt.IsZero() {
			continue
		}
		s.armStartupLeftLocked(vid)
	}
}

func (s *Service) armStartupLeftLocked(vid int64) {
	s.startupLeft[vid] = s.d.Clock.AfterFunc(s.d.Grace, func() {
		s.mu.Lock()
		_, pending := s.startupLeft[vid]
		if pending && !s.stopped && !s.hears() {
			s.armStartupLeftLocked(vid)
			s.mu.Unlock()
			return
		}
		delete(s.startupLeft, vid)
		s.mu.Unlock()
		if _, here := s.d.Presence.Visitor(vid); pending && !here {
			s.setLeft(s.d.Life, store.ChatRef{OpenOf: vid}, s.d.Clock.Now())
		}
	})
}
