package realtime

// Sockets is how many sockets this node holds — each one accepted, whether
// or not it has said hello yet — and the cap on them (0: none), for the
// metrics: a node near its cap refuses new sockets with 503.
func (h *Hub) Sockets() (open, limit int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.conns), h.maxConns
}
