package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// dummyHash is compared against when an email is unknown, so a login takes
// as long whether or not the account exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such account"), bcrypt.MinCost)

// createOperator validates and stores a new account.
func (a *App) createOperator(ctx context.Context, o desk.Operator, password string, first bool) (desk.Operator, error) {
	site, _ := a.siteNow()
	o.SiteID, o.CreatedAt, o.Email = site.ID, a.clock.Now(), strings.TrimSpace(strings.ToLower(o.Email))
	if o.Status == "" {
		o.Status = desk.StatusOnline
	}
	if err := desk.ValidateOperator(o, password, true); err != nil {
		return o, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
	if err != nil {
		return o, err
	}
	o.PasswordHash = string(hash)
	if first {
		return a.store.CreateFirstOperator(ctx, o)
	}
	return a.store.CreateOperator(ctx, o)
}

// NeedsAdmin is true until the first account exists.
func (a *App) NeedsAdmin(ctx context.Context) (bool, error) {
	n, err := a.store.CountOperators(ctx)
	return n == 0, err
}

// CreateFirstAdmin creates the first account, an admin, and logs it in.
func (a *App) CreateFirstAdmin(ctx context.Context, name, email, password string) (desk.Operator, desk.Session, string, error) {
	op, err := a.createOperator(ctx, desk.Operator{Name: name, Email: email, Role: desk.RoleAdmin, PriorityLevel: 1, ChatLimit: 5}, password, true)
	if err != nil {
		return op, desk.Session{}, "", err
	}
	se, token, err := a.newSession(ctx, op)
	return op, se, token, err
}

// Login checks a password and starts a session.
func (a *App) Login(ctx context.Context, email, password string) (desk.Operator, desk.Session, string, error) {
	wrong := desk.Errorf(desk.CodeUnauthorized, "Wrong email or password")
	op, err := a.store.OperatorByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, desk.ErrNotFound) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return op, desk.Session{}, "", wrong
	}
	if err != nil {
		return op, desk.Session{}, "", err
	}
	if bcrypt.CompareHashAndPassword([]byte(op.PasswordHash), []byte(password)) != nil {
		return op, desk.Session{}, "", wrong
	}
	se, token, err := a.newSession(ctx, op)
	return op, se, token, err
}

func (a *App) newSession(ctx context.Context, op desk.Operator) (desk.Session, string, error) {
	now := a.clock.Now()
	token := randomToken("")
	se := desk.Session{TokenHash: hashToken(token), OperatorID: op.ID, CSRFToken: randomToken(""), CreatedAt: now, ExpiresAt: now.Add(a.cfg.SessionTTL)}
	if err := a.store.CreateSession(ctx, se); err != nil {
		return se, "", err
	}
	a.store.DeleteExpiredSessions(ctx, now) // housekeeping, best effort
	return se, token, nil
}

// Logout ends a session and closes its console sockets.
func (a *App) Logout(ctx context.Context, se desk.Session) error {
	if err := a.store.DeleteSession(ctx, se.TokenHash); err != nil {
		return err
	}
	// its consoles may be on any node: every node closes its own
	site, _ := a.siteNow()
	a.announce.SessionEnded(site.ID, se.TokenHash)
	return nil
}

// Authenticate finds the operator of the request's session cookie.
func (a *App) Authenticate(ctx context.Context, r *http.Request) (desk.Operator, desk.Session, error) {
	ck, err := r.Cookie(protocol.SessionCookie)
	if err != nil || ck.Value == "" {
		return desk.Operator{}, desk.Session{}, desk.Errorf(desk.CodeUnauthorized, "Not logged in")
	}
	se, err := a.store.Session(ctx, hashToken(ck.Value))
	if errors.Is(err, desk.ErrNotFound) {
		return desk.Operator{}, se, desk.Errorf(desk.CodeUnauthorized, "Not logged in")
	}
	if err != nil {
		return desk.Operator{}, se, err
	}
	if !a.clock.Now().Before(se.ExpiresAt) {
		a.store.DeleteSession(ctx, se.TokenHash)
		return desk.Operator{}, se, desk.Errorf(desk.CodeSessionExpired, "Your session has expired. Please log in again.")
	}
	op, err := a.store.Operator(ctx, se.OperatorID)
	if errors.Is(err, desk.ErrNotFound) {
		return op, se, desk.Errorf(desk.CodeUnauthorized, "Not logged in")
	}
	return op, se, err
}

// ListOperators shows every operator with status and load.
func (a *App) ListOperators(ctx context.Context) ([]protocol.Operator, error) {
	site, _ := a.siteNow()
	ops, err := a.store.Operators(ctx, site.ID)
	if err != nil {
		return nil, err
	}
	counts, err := a.store.ActiveChatCounts(ctx, site.ID)
	if err != nil {
		return nil, err
	}
	out := make([]protocol.Operator, len(ops))
	for i, op := range ops {
		out[i] = a.operatorView(op, counts[op.ID])
	}
	return out, nil
}

// OperatorView shows one operator with status and load.
func (a *App) OperatorView(ctx context.Context, op desk.Operator) (protocol.Operator, error) {
	counts, err := a.store.ActiveChatCounts(ctx, op.SiteID)
	return a.operatorView(op, counts[op.ID]), err
}

// CreateOperator is an admin adding an account.
func (a *App) CreateOperator(ctx context.Context, by desk.Operator, in protocol.OperatorInput) (protocol.Operator, error) {
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
	op, err := a.createOperator(ctx, o, password, false)
	if err != nil {
		return protocol.Operator{}, err
	}
	a.announceOperators(op)
	return a.OperatorView(ctx, op)
}

// UpdateOperator is an admin changing an account. Raising a chat limit may
// move the queue.
func (a *App) UpdateOperator(ctx context.Context, by desk.Operator, id int64, p protocol.OperatorInput) (protocol.Operator, error) {
	if err := desk.RequireAdmin(by); err != nil {
		return protocol.Operator{}, err
	}
	op, err := a.store.Operator(ctx, id)
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
		hash, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
		if err != nil {
			return protocol.Operator{}, err
		}
		op.PasswordHash = string(hash)
	}
	if op, err = a.store.UpdateOperator(ctx, op); err != nil {
		return protocol.Operator{}, err
	}
	a.announceOperators(op)
	if op.ChatLimit > oldLimit {
		a.moveQueue(ctx)
	}
	return a.OperatorView(ctx, op)
}

// SetStatus is an operator choosing "Online", "Away" or "Offline". Going
// Offline hands their chats back; coming Online may move the queue.
func (a *App) SetStatus(ctx context.Context, op desk.Operator, status desk.Status) (protocol.Operator, error) {
	op.Status = status
	op, err := a.store.UpdateOperator(ctx, op)
	if err != nil {
		return protocol.Operator{}, err
	}
	a.announceOperators(op)
	switch status {
	case desk.StatusOffline:
		a.handBack(ctx, op.ID)
	case desk.StatusOnline:
		a.moveQueue(ctx)
	}
	return a.OperatorView(ctx, op)
}

// sessionLeft is how long a session has left.
func sessionLeft(se desk.Session, now time.Time) time.Duration { return se.ExpiresAt.Sub(now) }
