package routing

import "sync"

// queueMover moves the queue on this node one move at a time. A move asked
// for while one runs is made by the next, which takes every chat waiting by
// then: chats started together are routed together, in a few transactions
// rather than one each. Whoever asks with chats waits for a move that began
// after they asked, so when move returns their chats have been routed, or
// wait for room with the reason on them.
type queueMover struct {
	s *Service

	mu      sync.Mutex
	cond    *sync.Cond
	asked   uint64 // moves asked for
	done    uint64 // the last ask the finished moves covered
	running bool
	// pending are chats someone waits on: a move keeps on them the
	// decision that leaves them waiting.
	pending map[int64]bool
	// decided are the chats a move announced that someone waits on, or
	// will: a chat just created may be routed by a move already running
	// before its creator asks.
	decided map[int64]bool
	closed  bool // no more moves: the app is closing
}

func newQueueMover(s *Service) *queueMover {
	m := &queueMover{s: s, pending: map[int64]bool{}, decided: map[int64]bool{}}
	m.cond = sync.NewCond(&m.mu)
	return m
}

// move asks for a move of the queue and waits for it. ids are chats that
// just became waiting; it returns those a move announced.
func (m *queueMover) move(ids []int64) map[int64]bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if !m.decided[id] {
			m.pending[id] = true
		}
	}
	mine := m.askLocked()
	for m.done < mine && !m.allDecided(ids) {
		m.cond.Wait()
	}
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = m.decided[id]
		delete(m.decided, id)
		delete(m.pending, id)
	}
	return out
}

func (m *queueMover) allDecided(ids []int64) bool {
	for _, id := range ids {
		if !m.decided[id] {
			return false
		}
	}
	return len(ids) > 0
}

// nudge asks for a move and does not wait: room appeared (a chat ended, an
// operator came Online…), and whoever made it need not wait for the queue.
func (m *queueMover) nudge() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.askLocked()
}

func (m *queueMover) askLocked() uint64 {
	m.asked++
	if m.closed {
		m.done = m.asked // nobody waits for a move that will not come
		return m.asked
	}
	if !m.running {
		m.running = true
		go m.run()
	}
	return m.asked
}

// run makes moves until every ask is covered.
func (m *queueMover) run() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for m.done < m.asked {
		covers := m.asked
		m.mu.Unlock()
		m.s.moveQueueNow(m)
		m.mu.Lock()
		m.done = covers
		m.cond.Broadcast()
	}
	m.running = false
	m.cond.Broadcast()
}

// idle waits until no move runs, and keeps new ones from starting: the
// app is closing.
func (m *queueMover) idle() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	for m.running {
		m.cond.Wait()
	}
}

// isPending reports whether someone waits on the chat.
func (m *queueMover) isPending(id int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.pending[id]
	return ok
}

// announced notes that a move announced the chat. fresh says no one had
// been told of it before: its creator will ask.
func (m *queueMover) announced(id int64, fresh bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.pending[id]; ok || fresh {
		m.decided[id] = true
		delete(m.pending, id)
		m.cond.Broadcast()
	}
	if len(m.decided) > maxDecided {
		// creators that never asked (a failed request): forget them
		m.decided = map[int64]bool{}
	}
}

// maxDecided bounds the announced chats kept for askers.
const maxDecided = 100_000
