// Package visitorlist is the console's Visitor List on one node (SPEC 4):
// every visitor on the site — on any node — as a row, and the consoles of
// this node watching it.
//
// Changes are batched: the first change arms a timer for one interval, and
// when it fires every console gets one frame, encoded once for all of them,
// however many visitors changed — at most one frame per interval, and none
// while nothing changes. A console that subscribes late gets the whole list
// as of the last batch, then the batches. The whole list is encoded from a
// copy, under no lock: 50,000 rows being encoded for a new console hold up
// neither a visitor nor the other consoles' batches.
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

	batchMu sync.Mutex // one batch at a time; never held while the whole list is encoded
	// view holds rows by pointer: they are never changed in place, and a
	// map slot of 8 bytes beats one of 200 for every visitor of the cluster.
	view    map[int64]*protocol.VisitorRow
	gen     uint64 // batches applied to view so far
	subs    map[Conn]bool
	joining map[Conn][]preparedFrame // consoles whose whole list is being encoded, and the batches they will get after it
	full    *preparedFrame           // the whole view as of gen, encoded once for the consoles that join before it changes
	fullGen uint64
}

type preparedFrame struct {
	pm   *websocket.PreparedMessage
	size int
}

// New returns an empty list that sends its batches every interval.
func New(clk clock.Clock, every time.Duration, log *slog.Logger) *List {
	return &List{clock: clk, every: every, log: log, pending: map[int64]*protocol.VisitorRow{},
		view: map[int64]*protocol.VisitorRow{}, subs: map[Conn]bool{}, joining: map[Conn][]preparedFrame{}}
}

// Upsert adds or changes a visitor's row in the next batch. The list keeps
// row itself, so neither it nor the caller may change it after.
func (l *List) Upsert(row *protocol.VisitorRow) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending[row.ID] = row
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
// every batch after it. The whole list (tens of thousands of rows) is
// encoded outside the batch lock, from a copy of the view: batches go on
// meanwhile, and the ones this console would miss wait for it in order.
func (l *List) Subscribe(c Conn) {
	l.batchMu.Lock()
	if l.subs[c] || l.joining[c] != nil {
		l.batchMu.Unlock()
		return
	}
	if l.full != nil && l.fullGen == l.gen {
		l.subs[c] = true
		c.SendPrepared(l.full.pm, l.full.size)
		l.batchMu.Unlock()
		return
	}
	gen := l.gen
	rows := make([]protocol.VisitorRow, 0, len(l.view))
	for _, r := range l.view {
		rows = append(rows, *r)
	}
	l.joining[c] = []preparedFrame{}
	l.batchMu.Unlock()

	sortRows(rows)
	frame := protocol.VisitorsFrame(true, rows, nil, l.clock.Now())
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, frame)

	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	missed, still := l.joining[c]
	delete(l.joining, c)
	if err != nil {
		l.log.Error("visitor list", "err", err)
		return
	}
	full := &preparedFrame{pm: pm, size: len(frame)}
	if gen == l.gen {
		l.full, l.fullGen = full, gen
	}
	if !still {
		return // unsubscribed meanwhile
	}
	l.subs[c] = true
	c.SendPrepared(full.pm, full.size)
	for _, f := range missed {
		c.SendPrepared(f.pm, f.size)
	}
}

// Unsubscribe stops a console's frames.
func (l *List) Unsubscribe(c Conn) {
	l.batchMu.Lock()
	defer l.batchMu.Unlock()
	delete(l.subs, c)
	delete(l.joining, c)
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
			l.view[id] = row
			upsert = append(upsert, *row)
		case had:
			delete(l.view, id)
			remove = append(remove, id)
		}
	}
	if len(upsert) == 0 && len(remove) == 0 {
		return
	}
	l.gen++
	l.full = nil
	if len(l.subs) == 0 && len(l.joining) == 0 {
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
	for c, missed := range l.joining {
		l.joining[c] = append(missed, preparedFrame{pm: pm, size: len(frame)})
	}
}

func sortRows(rows []protocol.VisitorRow) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
}
