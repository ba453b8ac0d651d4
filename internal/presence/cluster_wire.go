package presence

import (
	"encoding/json"
	"strconv"
	"sync"
)

// The messages on Subject, as JSON. Every one carries its sender's node id
// (n), epoch (e: random per process, so a node restarted under the same id
// is a new node) and kind (k):
//
//	h  hello      {"n","e","k":"h","s":0}: the first message of a node;
//	              every node that hears it answers with a snapshot.
//	d  delta      {"n","e","k":"d","f":first,"s":last,"o":[op...]}: ops
//	              numbered f..s, one per Set or Remove, in order.
//	b  heartbeat  {"n","e","k":"b","s":last}: every TTL/3.
//	q  request    {"n","e","k":"q","s":last,"to":node}: asks node for a
//	              snapshot.
//	s  snapshot   {"n","e","k":"s","s":seq,"to":node,"p":part,"l":last,
//	              "o":[op...]}: every entry of the sender as of op seq, in
//	              parts of at most maxPayload bytes published back to back.
//	x  bye        {"n","e","k":"x","s":last}: the sender has closed.
//
// An op is {"c":Console}, {"t":Tab} or {"r":ConnID} (removed). In h, b, q
// and x, s is the last op the sender has published before this message, so
// a receiver that has applied less has missed a delta. A snapshot's s may
// run ahead of the deltas published before it (it is taken when sent, and
// ops already queued follow it): a receiver that applies it skips those.
const (
	kindHello = "h"
	kindDelta = "d"
	kindBeat  = "b"
	kindAsk   = "q"
	kindSnap  = "s"
	kindBye   = "x"
)

// maxPayload bounds every message, so that a big node's snapshot never
// meets a bus's payload limit (NATS: 1 MiB by default); opsBudget leaves
// room for the header around the ops.
const (
	maxPayload = 256 << 10
	opsBudget  = maxPayload - 2<<10
)

type header struct {
	Node  string `json:"n"` // first: selfPrefix relies on it
	Epoch uint32 `json:"e"`
	Kind  string `json:"k"`
	Seq   uint64 `json:"s"`
	First uint64 `json:"f,omitempty"`
	To    string `json:"to,omitempty"`
	Part  int    `json:"p,omitempty"`
	Last  bool   `json:"l,omitempty"`
}

type message struct {
	header
	Ops []op `json:"o,omitempty"`
}

type op struct {
	Console *Console `json:"c,omitempty"`
	Tab     *Tab     `json:"t,omitempty"`
	Remove  ConnID   `json:"r,omitempty"`
}

// selfPrefix is how every payload of this node begins. The bus hands a
// node its own payloads too; this skips them without decoding.
func selfPrefix(node string, epoch uint32) []byte {
	n, _ := json.Marshal(node)
	return []byte(`{"n":` + string(n) + `,"e":` + strconv.FormatUint(uint64(epoch), 10) + `,`)
}

const (
	opConsole byte = iota + 1
	opTab
	opRemove
)

// outItem is one queued message, or one op of a delta. It holds the entry
// by value so that queueing a Set allocates nothing.
type outItem struct {
	kind    string
	seq     uint64 // delta: the op's number
	to      string // request, snapshot: the other node
	what    byte   // delta: opConsole, opTab or opRemove
	console Console
	tab     Tab
	remove  ConnID
}

// outbox queues messages for the outbound goroutine without bound, so that
// a bus handler (which must not block) can always queue an answer.
type outbox struct {
	mu     sync.Mutex
	items  []outItem
	spare  []outItem
	wake   chan struct{}
	closed bool
}

func (o *outbox) init() { o.wake = make(chan struct{}, 1) }

// put queues it; it reports false once the outbox is closed.
func (o *outbox) put(it outItem) bool {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return false
	}
	o.items = append(o.items, it)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return true
}

func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// take waits for queued items and returns them all; false once closed and
// drained. The returned slice is valid until the next take.
func (o *outbox) take() ([]outItem, bool) {
	for {
		o.mu.Lock()
		if len(o.items) > 0 {
			items := o.items
			o.items = o.spare[:0]
			o.spare = items
			o.mu.Unlock()
			return items, true
		}
		closed := o.closed
		o.mu.Unlock()
		if closed {
			return nil, false
		}
		<-o.wake
	}
}
