package app

import "outputdesk/internal/realtime"

// Test-only views of the app's bookkeeping, for tests that must know the
// server has seen something no frame reports (a socket's end).

// OpenTabs is how many tabs of a visitor hold a socket, on any node.
func (a *App) OpenTabs(visitorID int64) int {
	v, _ := a.presence.Visitor(visitorID)
	return len(v.Tabs)
}

// ConsolesOf is how many console sockets an operator holds, on any node.
func (a *App) ConsolesOf(operatorID int64) int {
	return len(a.presence.Operator(operatorID).Consoles)
}

// SetFrameLimits changes the sockets' frame limits (the flood benchmark
// turns them off for its comparison).
func (a *App) SetFrameLimits(visitor, console realtime.FrameLimit) {
	a.hub.SetFrameLimits(visitor, console)
}

// LifeDone is closed once the services' own work's context is cancelled.
func (a *App) LifeDone() <-chan struct{} { return a.life.Done() }

// NewVisitorsWaiting is how many new visitors wait for the commit they
// share (--new-visitor-wait).
func (a *App) NewVisitorsWaiting() int { return a.visitors.NewVisitorsWaiting() }
