package accounts

import (
	"context"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// ListOperators shows every operator with status and load.
func (s *Service) ListOperators(ctx context.Context) ([]protocol.Operator, error) {
	siteID := s.d.SiteID()
	ops, err := s.d.Store.Operators(ctx, siteID)
	if err != nil {
		return nil, err
	}
	counts, err := s.d.Store.ActiveChatCounts(ctx, siteID)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.Operator, len(ops))
	for i, op := range ops {
		out[i] = s.view(op, counts[op.ID])
	}
	return out, nil
}

// OperatorView shows one operator with status and load.
func (s *Service) OperatorView(ctx context.Context, op desk.Operator) (protocol.Operator, error) {
	counts, err := s.d.Store.ActiveChatCounts(ctx, op.SiteID)
	return s.view(op, counts[op.ID]), err
}

// CreateOperator is an admin adding an account.
func (s *Service) CreateOperator(ctx context.Context, by desk.Operator, in protocol.OperatorInput) (protocol.Operator, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return protocol.Operator{}, err
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return strings.TrimSpace(*p)
	}
	num := func(p *int, def int) int {
		if p == nil {
			return def
		}
		return *p
	}
	o := desk.Operator{Name: str(in.Name), Email: str(in.Email), Role: desk.Role(str(in.Role)), PriorityLevel: num(in.PriorityLevel, 1), ChatLimit: num(in.ChatLimit, 3)}
	if o.Role == "" {
		o.Role = desk.RoleOperator
	}
	password := ""
	if in.Password != nil {
		password = *in.Password
	}
	op, err := s.Create(ctx, o, password, false)
	if err != nil {
		return protocol.Operator{}, err
	}
	s.Announce(op)
	return s.OperatorView(ctx, op)
}

// UpdateOperator is an admin changing an account. Raising a chat limit may
// move the queue.
func (s *Service) UpdateOperator(ctx context.Context, by desk.Operator, id int64, p protocol.OperatorInput) (protocol.Operator, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return protocol.Operator{}, err
	}
	op, err := s.d.Store.Operator(ctx, id)
	if err != nil {
		return protocol.Operator{}, err
	}
	if op.SiteID != by.SiteID {
		return protocol.Operator{}, desk.NotFound("operator")
	}
	oldLimit := op.ChatLimit
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&op.Name, p.Name)
	set(&op.Email, p.Email)
	op.Email = strings.ToLower(op.Email)
	if p.Role != nil {
		if by.ID == op.ID && desk.Role(*p.Role) != desk.RoleAdmin {
			return protocol.Operator{}, desk.Errorf(desk.CodeInvalid, "You cannot remove your own admin role")
		}
		op.Role = desk.Role(*p.Role)
	}
	if p.PriorityLevel != nil {
		op.PriorityLevel = *p.PriorityLevel
	}
	if p.ChatLimit != nil {
		op.ChatLimit = *p.ChatLimit
	}
	password := ""
	if p.Password != nil {
		password = *p.Password
	}
	if err := desk.ValidateOperator(op, password, false); err != nil {
		return protocol.Operator{}, err
	}
	if password != "" {
		hash, err := bcrypt.GenerateFromPassword([]byte(password), s.d.Cost)
		if err != nil {
			return protocol.Operator{}, err
		}
		op.PasswordHash = string(hash)
	}
	if op, err = s.d.Store.UpdateOperator(ctx, op); err != nil {
		return protocol.Operator{}, err
	}
	s.Announce(op)
	if op.ChatLimit > oldLimit {
		s.d.QueueMayMove(ctx)
	}
	return s.OperatorView(ctx, op)
}

// SetStatus is an operator choosing "Online", "Away" or "Offline". Going
// Offline hands their chats back; coming Online may move the queue.
func (s *Service) SetStatus(ctx context.Context, op desk.Operator, status desk.Status) (protocol.Operator, error) {
	op.Status = status
	op, err := s.d.Store.UpdateOperator(ctx, op)
	if err != nil {
		return protocol.Operator{}, err
	}
	s.Announce(op)
	switch status {
	case desk.StatusOffline:
		s.d.HandBack(ctx, op.ID)
	case desk.StatusOnline:
		s.d.QueueMayMove(ctx)
	}
	return s.OperatorView(ctx, op)
}
