// Package visitorlist is the console's Visitor List on one node (SPEC 4):
// every visitor on the site — on any node — as a row, and the consoles of
// this node watching it.
//
// Changes are batched: the first change arms a timer for one interval, and
// when it fires every console gets one frame, encoded once for all of them,
// however many visitors changed — at most one frame per interval, and none
// while nothing changes. A console that subscribes late gets the whole list
// as of the last batch, then the batches: the list is built under the batch
// lock only, never under the lock the changes take, so 50,000 rows being
// encoded for a new console hold up no visitor.
package visitorlist

import (
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/clock"
	"outputdesk/internal/protocol"
)

// Conn is a console socket as the list sends to it.
type Conn interface {
	SendPrepared(pm *websocket.PreparedMessage, size int)
}

// List is one node's Visitor List.
type List struct {
	clock clock.Clock
	every time.Duration
	log   *slog.Logger

	mu      sync.Mutex // changes come in under it
	pending map[int64]*protocol.VisitorRow
	timer   clock.Timer // armed while changes wait for their batch
	stopped bool

	batchMu sync.Mutex // one batch or one late console at a time
	view    map[int64]protocol.VisitorRow
	subs    map[Conn]bool
	full    *fullFrame // the whole view, encoded once for the consoles that join before it changes
}

type fullFrame struct {
	pm   *websocket.PreparedMessage
	size int
}

// New returns an empty list that sends its batches every interval.
func New(clk clock.Clock, every time.Duration, log *slog.Logger) *List {
	return &List{clock: clk, every: every, log: log, pending: map[int64]*protocol.VisitorRow{},
		view: map[int64]protocol.VisitorRow{}, subs: map[Conn]bool{}}
}

// Upsert adds or changes a visitor's row in the next batch.
func (l *List) Upsert(row protocol.VisitorRow) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending[row.ID] = &row
	l.armLocked()
}

// Remove takes a visitor's row out in the next batch.
func (l *List) Remove(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending[id] = nil
	l.armLocked()
}

// armLocked schedules the next batch, unless one is scheduled already.
func (l *List) armLocked() {
	if l.timer == nil && !l.stopped {
		l.timer = l.clock.AfterFunc(l.every, l.flush)
	}
}

// Subscribe sends the whole list, as of the last batch, to a console, then
// every batch after it.
func (l *List) Subscribe(c Conn) {
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	if l.subs[c] {
		return
	}
	if l.full == nil {
		rows := make([]protocol.VisitorRow, 0, len(l.view))
		for _, r := range l.view {
			rows = append(rows, r)
		}
		sortRows(rows)
		frame := protocol.VisitorsFrame(true, rows, nil, l.clock.Now())
		pm, err := websocket.NewPreparedMessage(websocket.TextMessage, frame)
		if err != nil {
			l.log.Error("visitor list", "err", err)
			return
		}
		l.full = &fullFrame{pm: pm, size: len(frame)}
	}
	l.subs[c] = true
	c.SendPrepared(l.full.pm, l.full.size)
}

// Unsubscribe stops a console's frames.
func (l *List) Unsubscribe(c Conn) {
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	delete(l.subs, c)
}

// Len is the number of rows as of the last batch.
func (l *List) Len() int {
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	return len(l.view)
}

// Stop ends the batches (shutdown).
func (l *List) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	if l.timer != nil {
		l.timer.Stop()
	}
}

// flush sends what changed since the last batch to every subscribed
// console, and keeps it in the view late consoles get.
func (l *List) flush() {
	l.mu.Lock()
	changes := l.pending
	l.pending, l.timer = map[int64]*protocol.VisitorRow{}, nil
	l.mu.Unlock()

	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	var upsert []protocol.VisitorRow
	var remove []int64
	for id, row := range changes {
		switch _, had := l.view[id]; {
		case row != nil:
			l.view[id] = *row
			upsert = append(upsert, *row)
		case had:
			delete(l.view, id)
			remove = append(remove, id)
		}
	}
	if len(upsert) == 0 && len(remove) == 0 {
		return
	}
	l.full = nil
	if len(l.subs) == 0 {
		return
	}
	sortRows(upsert)
	sort.Slice(remove, func(i, j int) bool { return remove[i] < remove[j] })
	frame := protocol.VisitorsFrame(false, upsert, remove, l.clock.Now())
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, frame)
	if err != nil {
		l.log.Error("visitor list batch", "err", err)
		return
	}
	for c := range l.subs {
		c.SendPrepared(pm, len(frame))
	}
}

func sortRows(rows []protocol.VisitorRow) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
}
