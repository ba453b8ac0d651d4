package bus

import (
	"context"
	"errors"
	"sync"
)

// Memory is the in-process Bus. Publish calls the handlers in the
// publisher's goroutine, so a publisher's payloads arrive in order.
type Memory struct {
	mu     sync.RWMutex
	subs   map[string][]*memorySub
	closed bool
}

var _ Bus = (*Memory)(nil)

// NewMemory returns an empty in-process bus.
func NewMemory() *Memory { return &Memory{subs: map[string][]*memorySub{}} }

// ErrClosed is returned after Close.
var ErrClosed = errors.New("bus: closed")

type memorySub struct {
	bus     *Memory
	subject string
	handler func([]byte)
}

func (m *Memory) Publish(_ context.Context, subject string, data []byte) error {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	subs := m.subs[subject]
	m.mu.RUnlock()
	// subs is never mutated in place (see Subscribe/Unsubscribe), so it is
	// safe to range over without the lock, and handlers may (un)subscribe.
	for _, s := range subs {
		s.handler(data)
	}
	return nil
}

func (m *Memory) Subscribe(subject string, handler func([]byte)) (Subscription, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	s := &memorySub{bus: m, subject: subject, handler: handler}
	old := m.subs[subject]
	next := make([]*memorySub, len(old), len(old)+1)
	copy(next, old)
	m.subs[subject] = append(next, s)
	return s, nil
}

func (s *memorySub) Unsubscribe() error {
	m := s.bus
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.subs[s.subject]
	next := make([]*memorySub, 0, len(old))
	for _, x := range old {
		if x != s {
			next = append(next, x)
		}
	}
	if len(next) == 0 {
		delete(m.subs, s.subject)
	} else {
		m.subs[s.subject] = next
	}
	return nil
}

func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.subs = map[string][]*memorySub{}
	return nil
}
