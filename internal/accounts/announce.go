package accounts

import (
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// Announce tells every console operators' status and load.
// Operators known only by id are read; the rest are as the caller has them.
func (s *Service) Announce(ops ...desk.Operator) {
	if len(ops) == 0 {
		return
	}
	siteID := s.d.SiteID()
	counts, err := s.d.Store.ActiveChatCounts(s.d.Life, siteID)
	if err != nil {
		s.d.Log.Error("active chat counts", "err", err)
		return
	}
	seen := map[int64]bool{}
	for _, op := range ops {
		if op.ID == 0 || seen[op.ID] {
			continue
		}
		seen[op.ID] = true
		if op.Name == "" {
			id := op.ID
			if op, err = s.d.Store.Operator(s.d.Life, id); err != nil {
				s.d.Log.Error("announce operator", "operator", id, "err", err)
				continue
			}
		}
		op.PasswordHash = ""
		s.d.Announce.Operator(op, op.EffectiveStatus(s.d.Connected(op.ID)), counts[op.ID])
	}
}

// ByID names an operator the caller has not read.
func ByID(id int64) desk.Operator { return desk.Operator{ID: id} }

// view shows an operator as routing sees them now.
func (s *Service) view(op desk.Operator, active int) protocol.Operator {
	return protocol.OperatorOf(op, op.EffectiveStatus(s.d.Connected(op.ID)), active)
}
