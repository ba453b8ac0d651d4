package app

// Test-only views of the app's bookkeeping, for tests that must know the
// server has seen something no frame reports (a socket's end).

// OpenTabs is how many tabs of a visitor hold a socket.
func (a *App) OpenTabs(visitorID int64) int {
	a.visitors.mu.Lock()
	defer a.visitors.mu.Unlock()
	if vs := a.visitors.visits[visitorID]; vs != nil {
		return len(vs.tabs)
	}
	return -1
}

// ConsolesOf is how many console sockets an operator holds.
func (a *App) ConsolesOf(operatorID int64) int {
	a.operators.mu.Lock()
	defer a.operators.mu.Unlock()
	return len(a.operators.conns[operatorID])
}
