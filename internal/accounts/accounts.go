// Package accounts is operators' accounts and sessions: the first admin,
// log-in and log-out, the accounts an admin manages, each operator's chosen
// status, and the status and load every console shows of them.
package accounts

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// Deps are what the service needs.
type Deps struct {
	// Life (required) is what the service's own work runs under; app.Close
	// cancels it once that work is stopped and drained.
	Life     context.Context
	Store    store.Store
	Clock    clock.Clock
	Log      *slog.Logger
	Announce bus.Announcer
	SiteID   func() int64
	// Cost is bcrypt's cost for new passwords.
	Cost int
	// SessionTTL is how long a log-in lasts; LoadEvery how often consoles
	// get operators' changed chat counts.
	SessionTTL, LoadEvery time.Duration
	// Connected reports whether a console of the operator is open on any
	// node.
	Connected func(operatorID int64) bool
	// HandBack returns an operator's chats to the queue (they went Offline);
	// QueueMayMove runs when an operator may have gained room.
	HandBack     func(ctx context.Context, operatorID int64)
	QueueMayMove func(ctx context.Context)
	// Node is this node's id in the cluster: log-in attempts it announces
	// carry it, so that it does not count its own twice.
	Node string
}

// Service is the accounts of one site.
type Service struct {
	d        Deps
	load     load
	throttle *throttle
}

// New builds the service.
func New(d Deps) *Service {
	s := &Service{d: d, throttle: newThrottle()}
	s.load = load{s: s, changed: map[int64]bool{}}
	return s
}

// Stop stops the load batching timer (shutdown).
func (s *Service) Stop() { s.load.stop() }

// Create validates and stores a new account; first makes it the first
// account, which only succeeds while there is none.
func (s *Service) Create(ctx context.Context, o desk.Operator, password string, first bool) (desk.Operator, error) {
	siteID := s.d.SiteID()
	o.SiteID, o.CreatedAt, o.Email = siteID, s.d.Clock.Now(), strings.TrimSpace(strings.ToLower(o.Email))
	if o.Status == "" {
		o.Status = desk.StatusOnline
	}
	if err := desk.ValidateOperator(o, password, true); err != nil {
		return o, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.d.Cost)
	if err != nil {
		return o, err
	}
	o.PasswordHash = string(hash)
	if first {
		return s.d.Store.CreateFirstOperator(ctx, o)
	}
	return s.d.Store.CreateOperator(ctx, o)
}

// NeedsAdmin is true until the first account exists.
func (s *Service) NeedsAdmin(ctx context.Context) (bool, error) {
	n, err := s.d.Store.CountOperators(ctx)
	return n == 0, err
}

// CreateFirstAdmin creates the first account, an admin, and logs it in.
func (s *Service) CreateFirstAdmin(ctx context.Context, name, email, password string) (desk.Operator, desk.Session, string, error) {
	op, err := s.Create(ctx, desk.Operator{Name: name, Email: email, Role: desk.RoleAdmin, PriorityLevel: 1, ChatLimit: 5}, password, true)
	if err != nil {
		return op, desk.Session{}, "", err
	}
	se, token, err := s.newSession(ctx, op)
	return op, se, token, err
}
