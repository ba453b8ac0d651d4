package app

import (
	"context"
	"sync"

	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/realtime"
	"outputdesk/internal/store"
)

// operatorPresence knows which operators have a console connected, and runs
// the operator grace: an operator whose last console has been gone longer
// than the grace hands their chats back (SPEC 3.5).
type operatorPresence struct {
	a *App

	mu     sync.Mutex
	conns  map[int64]map[*realtime.Conn]string // operator → socket → session hash
	grace  map[int64]clock.Timer
	expiry map[*realtime.Conn]clock.Timer
}

func newOperatorPresence(a *App) *operatorPresence {
	return &operatorPresence{a: a, conns: map[int64]map[*realtime.Conn]string{}, grace: map[int64]clock.Timer{}, expiry: map[*realtime.Conn]clock.Timer{}}
}

// connected reports whether a console of the operator is connected.
func (p *operatorPresence) connected(opID int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns[opID]) > 0
}

// ConsoleConnected: the operator counts as connected; a grace in progress is
// cancelled; the socket closes when its session expires.
func (a *App) ConsoleConnected(op desk.Operator, se desk.Session, c *realtime.Conn) {
	p := a.operators
	p.mu.Lock()
	first := len(p.conns[op.ID]) == 0
	if p.conns[op.ID] == nil {
		p.conns[op.ID] = map[*realtime.Conn]string{}
	}
	p.conns[op.ID][c] = se.TokenHash
	if t := p.grace[op.ID]; t != nil {
		t.Stop()
		delete(p.grace, op.ID)
	}
	p.expiry[c] = a.clock.AfterFunc(sessionLeft(se, a.clock.Now()), func() {
		c.CloseWith(realtime.CloseUnauthorized, "session expired")
	})
	p.mu.Unlock()
	if first {
		a.announceOperators(op)
		if op.Status == desk.StatusOnline {
			a.moveQueue(bg()) // they came Online
		}
	}
}

// ConsoleDisconnected: when the operator's last console goes, they are
// Offline for routing at once, and their chats go back after the grace.
func (a *App) ConsoleDisconnected(op desk.Operator, c *realtime.Conn) {
	p := a.operators
	p.mu.Lock()
	delete(p.conns[op.ID], c)
	if t := p.expiry[c]; t != nil {
		t.Stop()
		delete(p.expiry, c)
	}
	last := len(p.conns[op.ID]) == 0
	if last {
		delete(p.conns, op.ID)
		p.startGraceLocked(op.ID)
	}
	p.mu.Unlock()
	if last {
		a.announceOperators(op)
	}
}

func (p *operatorPresence) startGraceLocked(opID int64) {
	if p.grace[opID] != nil {
		return
	}
	p.grace[opID] = p.a.clock.AfterFunc(p.a.cfg.OperatorGrace, func() {
		p.mu.Lock()
		delete(p.grace, opID)
		gone := len(p.conns[opID]) == 0
		p.mu.Unlock()
		if gone {
			p.a.handBack(bg(), opID)
		}
	})
}

// startupGrace: after a restart no console is connected yet; operators who
// hold chats get the grace to reconnect, as if they had just dropped.
func (p *operatorPresence) startupGrace(ctx context.Context) {
	site, _ := p.a.siteNow()
	active, err := p.a.store.ListChats(ctx, store.ChatFilter{SiteID: site.ID, States: []desk.ChatState{desk.ChatActive}})
	if err != nil {
		p.a.log.Error("startup grace", "err", err)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range active {
		if len(p.conns[c.OperatorID]) == 0 {
			p.startGraceLocked(c.OperatorID)
		}
	}
}

// closeSession closes the console sockets of a session that logged out.
func (p *operatorPresence) closeSession(tokenHash string) {
	p.mu.Lock()
	var doomed []*realtime.Conn
	for _, conns := range p.conns {
		for c, h := range conns {
			if h == tokenHash {
				doomed = append(doomed, c)
			}
		}
	}
	p.mu.Unlock()
	for _, c := range doomed {
		c.CloseWith(realtime.CloseUnauthorized, "logged out")
	}
}

func (p *operatorPresence) stopAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.grace {
		t.Stop()
	}
	for _, t := range p.expiry {
		t.Stop()
	}
}
