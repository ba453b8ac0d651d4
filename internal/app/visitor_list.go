package app

import (
	"sort"
	"sync"

	"github.com/gorilla/websocket"

	"outputdesk/internal/clock"
	"outputdesk/internal/protocol"
	"outputdesk/internal/realtime"
)

// visitorList is the console's Visitor List on this node: every present
// visitor's row, and the consoles watching it. Changes are batched: the
// first change arms a timer for one interval, and when it fires every
// console gets one frame, encoded once for all of them, however many
// visitors changed — at most one frame per interval, and none while nothing
// changes (SPEC 4, "thousands of visitors").
type visitorList struct {
	a *App

	mu      sync.Mutex
	rows    map[int64]protocol.VisitorRow
	changed map[int64]bool
	removed map[int64]bool
	subs    map[*realtime.Conn]bool
	timer   clock.Timer // armed while changes wait for their batch
	stopped bool
}

func newVisitorList(a *App) *visitorList {
	return &visitorList{a: a, rows: map[int64]protocol.VisitorRow{}, changed: map[int64]bool{}, removed: map[int64]bool{}, subs: map[*realtime.Conn]bool{}}
}

func (l *visitorList) upsert(row protocol.VisitorRow) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rows[row.ID] = row
	l.changed[row.ID] = true
	delete(l.removed, row.ID)
	l.armLocked()
}

func (l *visitorList) remove(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.rows[id]; !ok {
		return
	}
	delete(l.rows, id)
	delete(l.changed, id)
	l.removed[id] = true
	l.armLocked()
}

// armLocked schedules the next batch, unless one is scheduled already.
func (l *visitorList) armLocked() {
	if l.timer == nil && !l.stopped {
		l.timer = l.a.clock.AfterFunc(l.a.cfg.VisitorListEvery, l.flush)
	}
}

// SubscribeVisitors sends the whole list to a console, then its changes.
func (a *App) SubscribeVisitors(c *realtime.Conn) {
	l := a.list
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.subs[c] {
		return
	}
	l.subs[c] = true
	rows := make([]protocol.VisitorRow, 0, len(l.rows))
	for _, r := range l.rows {
		rows = append(rows, r)
	}
	sortRows(rows)
	// sent under the lock, so no batch can overtake it
	c.Send(protocol.VisitorsFrame(true, rows, nil, a.clock.Now()))
}

// UnsubscribeVisitors stops a console's Visitor List frames.
func (a *App) UnsubscribeVisitors(c *realtime.Conn) {
	a.list.mu.Lock()
	defer a.list.mu.Unlock()
	delete(a.list.subs, c)
}

// stop ends the batches (shutdown).
func (l *visitorList) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	if l.timer != nil {
		l.timer.Stop()
	}
}

// flush sends what changed since the last batch to every subscribed console.
func (l *visitorList) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.timer = nil
	if len(l.changed) == 0 && len(l.removed) == 0 {
		return
	}
	upsert := make([]protocol.VisitorRow, 0, len(l.changed))
	for id := range l.changed {
		upsert = append(upsert, l.rows[id])
	}
	sortRows(upsert)
	remove := make([]int64, 0, len(l.removed))
	for id := range l.removed {
		remove = append(remove, id)
	}
	sort.Slice(remove, func(i, j int) bool { return remove[i] < remove[j] })
	l.changed, l.removed = map[int64]bool{}, map[int64]bool{}
	if len(l.subs) == 0 {
		return
	}
	frame := protocol.VisitorsFrame(false, upsert, remove, l.a.clock.Now())
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, frame)
	if err != nil {
		l.a.log.Error("visitor list batch", "err", err)
		return
	}
	for c := range l.subs {
		c.SendPrepared(pm, len(frame))
	}
}

func sortRows(rows []protocol.VisitorRow) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
}
