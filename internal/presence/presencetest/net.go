package presencetest

import (
	"bytes"
	"context"
	"sync"

	"outputdesk/internal/bus"
)

// Net stands between one node and its bus, so that a test can make the
// node miss what is published: drop the payloads that contain a string on
// their way in (a lost message), or cut the node off both ways (a lost
// connection: it hears nothing and nothing it says gets out).
//
// A factory wraps each node's bus in one; on a bus shared by every node
// (bus.Memory), each node's Net still filters only what that node hears.
type Net struct {
	bus.Bus

	mu      sync.Mutex
	match   []byte
	cut     bool
	dropped int
	onDrop  func() // the suite's wake-up: a drop may be what it waits for
}

// NewNet wraps b; it lets everything through until told otherwise.
func NewNet(b bus.Bus) *Net { return &Net{Bus: b} }

// Drop drops the incoming payloads that contain s, until Heal.
func (n *Net) Drop(s string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.match = []byte(s)
}

// Cut drops everything, both ways, until Heal. Publish still succeeds, as
// it does on a NATS connection that is reconnecting.
func (n *Net) Cut() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cut = true
}

// Heal lets everything through again.
func (n *Net) Heal() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cut, n.match = false, nil
}

// Dropped counts the incoming payloads dropped so far.
func (n *Net) Dropped() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.dropped
}

func (n *Net) Publish(ctx context.Context, subject string, data []byte) error {
	n.mu.Lock()
	cut := n.cut
	n.mu.Unlock()
	if cut {
		return nil
	}
	return n.Bus.Publish(ctx, subject, data)
}

func (n *Net) Subscribe(subject string, handler func([]byte)) (bus.Subscription, error) {
	return n.Bus.Subscribe(subject, func(data []byte) {
		if n.drops(data) {
			return
		}
		handler(data)
	})
}

func (n *Net) drops(data []byte) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cut || n.match != nil && bytes.Contains(data, n.match) {
		n.dropped++
		if n.onDrop != nil {
			n.onDrop()
		}
		return true
	}
	return false
}

func (n *Net) setOnDrop(fn func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.onDrop = fn
}
