// Package preferences is each operator's notification preferences: sound,
// browser notifications, the count in the tab title, and which events
// alert. desk holds the defaults and checks a change; the store keeps
// them; every change is announced to the operator's own consoles, on
// whichever node they are, so a change on one browser reaches the others.
package preferences

import (
	"context"
	"errors"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// Deps are what the service needs.
type Deps struct {
	Store    store.OperatorPreferences
	Announce bus.Announcer
	Clock    clock.Clock
}

// Service reads and changes operators' own preferences.
type Service struct{ d Deps }

func New(d Deps) *Service { return &Service{d: d} }

// Preferences are op's preferences: the saved ones, or the defaults.
func (s *Service) Preferences(ctx context.Context, op desk.Operator) (protocol.Preferences, error) {
	p, err := s.d.Store.Preferences(ctx, op.ID)
	if errors.Is(err, desk.ErrNotFound) {
		p, err = desk.DefaultPreferences(op.ID), nil
	}
	return protocol.PreferencesOf(p), err
}

// ChangePreferences applies a patch to op's preferences. A refused patch
// changes nothing; an empty one changes nothing and announces nothing.
func (s *Service) ChangePreferences(ctx context.Context, op desk.Operator, in protocol.PreferencesPatch) (protocol.Preferences, error) {
	c, err := desk.CleanPreferencesPatch(in.Patch())
	if err != nil {
		return protocol.Preferences{}, err
	}
	if c.Empty() {
		return s.Preferences(ctx, op)
	}
	p, err := s.d.Store.ChangePreferences(ctx, desk.DefaultPreferences(op.ID), c, s.d.Clock.Now())
	if err != nil {
		return protocol.Preferences{}, err
	}
	s.d.Announce.Preferences(op.SiteID, op.ID)
	return protocol.PreferencesOf(p), nil
}
