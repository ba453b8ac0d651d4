package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	// nats.go is the NATS project's own Go client and the field's standard
	// one (Centrifugo's NATS broker uses it too): reconnection, a reconnect
	// buffer and draining come with it, and core pub/sub needs nothing else.
	"github.com/nats-io/nats.go"
)

// NATS is the Bus between nodes: every node connects to the same NATS
// server (or cluster) and hears what every node publishes, its own included
// — through the server, so a node cut off from NATS does not hear even its
// own payloads until it is back.
//
// It uses NATS core pub/sub: at most once, no persistence. An event
// published while a node is cut off from NATS is lost to that node, as it
// would be to a node that was down; what must survive is in the store.
//
// Order: one NATS connection delivers one publisher's payloads in order, and
// a node is one connection. Each Subscribe is one NATS subscription, with a
// goroutine and a pending queue of its own inside nats.go, so a handler runs
// in order for its subject and never on the connection's read loop; a handler
// that falls behind by more than the pending limit (512k payloads or 64 MiB)
// loses payloads, which the error handler logs as a slow consumer.
type NATS struct {
	nc     *nats.Conn
	prefix string
	log    *slog.Logger
	closed atomic.Bool
	done   chan struct{} // closed by nats.go's closed handler
}

var _ Bus = (*NATS)(nil)

// NATSOption changes how Dial connects.
type NATSOption func(*natsSettings)

type natsSettings struct {
	name   string
	prefix string
}

// WithPrefix puts prefix before every subject, so that two installs — or two
// tests — sharing one NATS server do not hear each other. It must end in a
// dot: "test-abc." turns od.chat.1 into test-abc.od.chat.1.
func WithPrefix(prefix string) NATSOption { return func(s *natsSettings) { s.prefix = prefix } }

// WithName names the connection as NATS monitoring shows it (default
// "outputdesk"); a node's host name is a good choice.
func WithName(name string) NATSOption { return func(s *natsSettings) { s.name = name } }

// The reconnect buffer keeps what is published while NATS is unreachable and
// sends it on reconnection; past it Publish fails. Events are small (a chat
// message is at most a few KiB), so this holds thousands of them: seconds of a
// busy node's traffic, enough for a NATS restart.
const natsReconnectBuf = 8 << 20

// Dial connects to the NATS server at serverURL (nats.go accepts a comma-separated
// list of a cluster's servers). The first connection must succeed, so a
// wrong URL stops the start at once; after that the connection is retried
// for ever, with backoff, and subscriptions are restored on reconnection.
func Dial(serverURL string, log *slog.Logger, opts ...NATSOption) (*NATS, error) {
	s := natsSettings{name: "outputdesk"}
	for _, o := range opts {
		o(&s)
	}
	if err := checkPrefix(s.prefix); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	n := &NATS{prefix: s.prefix, log: log, done: make(chan struct{})}
	nc, err := nats.Connect(serverURL,
		nats.Name(s.name),
		nats.MaxReconnects(-1),
		// By default nats.go gives up for good after the same authorization
		// error twice; credentials being fixed on the server should not
		// need every node restarted.
		nats.IgnoreAuthErrorAbort(),
		nats.CustomReconnectDelay(reconnectDelay),
		nats.ReconnectBufSize(natsReconnectBuf),
		// The default (a ping every 2 minutes, 2 missed) takes minutes to
		// notice a dead peer behind a silent network; a live chat should
		// notice within a minute.
		nats.PingInterval(20*time.Second),
		nats.MaxPingsOutstanding(3),
		nats.DisconnectErrHandler(n.onDisconnect),
		nats.ReconnectHandler(n.onReconnect),
		nats.ClosedHandler(n.onClosed),
		nats.ErrorHandler(n.onError),
	)
	if err != nil {
		return nil, fmt.Errorf("bus: connect to NATS at %s: %w", redact(serverURL), err)
	}
	n.nc = nc
	log.Info("nats: connected", "server", nc.ConnectedUrlRedacted(), "prefix", s.prefix)
	return n, nil
}

// reconnectDelay backs off from 100ms to 5s between rounds over the servers,
// with jitter so that nodes cut off together do not all knock at once.
func reconnectDelay(attempts int) time.Duration {
	d := 5 * time.Second
	if attempts < 6 {
		d = 100 * time.Millisecond << attempts
	}
	return d + rand.N(d/4+1)
}

func checkPrefix(p string) error {
	if p == "" {
		return nil
	}
	if !strings.HasSuffix(p, ".") || strings.HasPrefix(p, ".") || strings.Contains(p, "..") ||
		strings.ContainsAny(p, " \t\r\n*>") {
		return fmt.Errorf("bus: NATS subject prefix %q must be dot-separated words ending in a dot, without * or >", p)
	}
	return nil
}

func redact(raw string) string {
	parts := strings.Split(raw, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			parts[i] = u.Redacted()
		}
	}
	return strings.Join(parts, ",")
}

func (n *NATS) onDisconnect(_ *nats.Conn, err error) {
	if !n.closed.Load() {
		n.log.Warn("nats: disconnected, reconnecting", "err", err)
	}
}

func (n *NATS) onReconnect(nc *nats.Conn) {
	n.log.Info("nats: reconnected", "server", nc.ConnectedUrlRedacted())
}

// onClosed runs once, after Close — or if nats.go ever gives up, which the
// options above should prevent but which must not go unsaid.
func (n *NATS) onClosed(nc *nats.Conn) {
	if !n.closed.Load() {
		n.log.Error("nats: connection closed for good: this node no longer hears the others", "err", nc.LastError())
	}
	close(n.done)
}

func (n *NATS) onError(_ *nats.Conn, sub *nats.Subscription, err error) {
	if sub != nil {
		n.log.Error("nats: subscription error", "subject", sub.Subject, "err", err)
		return
	}
	n.log.Error("nats: error", "err", err)
}

// Healthy reports whether the node is connected to NATS right now. While it
// is not, other nodes' events do not reach this node.
func (n *NATS) Healthy() error {
	if st := n.nc.Status(); st != nats.CONNECTED {
		if err := n.nc.LastError(); err != nil {
			return fmt.Errorf("bus: NATS is %s: %w", st, err)
		}
		return fmt.Errorf("bus: NATS is %s", st)
	}
	return nil
}

// Publish hands data to the connection's buffer and returns: the payload is
// copied, and sent by nats.go's flusher. While disconnected it waits in the
// reconnect buffer.
func (n *NATS) Publish(ctx context.Context, subject string, data []byte) error {
	if n.closed.Load() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := n.nc.Publish(n.prefix+subject, data); err != nil {
		return n.wrap("publish on "+subject, err)
	}
	return nil
}

// Subscribe returns once the server has the subscription, when connected:
// a payload published afterwards, on any node, reaches handler. While
// disconnected it returns at once; nats.go subscribes again on reconnection.
func (n *NATS) Subscribe(subject string, handler func([]byte)) (Subscription, error) {
	if n.closed.Load() {
		return nil, ErrClosed
	}
	s := &natsSub{}
	s.live.Store(true)
	sub, err := n.nc.Subscribe(n.prefix+subject, func(m *nats.Msg) {
		// Unsubscribe may race a payload already taken off the queue.
		if s.live.Load() {
			handler(m.Data)
		}
	})
	if err != nil {
		return nil, n.wrap("subscribe to "+subject, err)
	}
	s.sub = sub
	if n.nc.IsConnected() {
		if err := n.nc.Flush(); err != nil {
			// The subscription stands and is sent again on reconnection.
			n.log.Warn("nats: subscription not confirmed", "subject", subject, "err", err)
		}
	}
	return s, nil
}

type natsSub struct {
	sub  *nats.Subscription
	live atomic.Bool
}

// Unsubscribe stops delivery: no handler call starts after it returns.
func (s *natsSub) Unsubscribe() error {
	s.live.Store(false)
	if err := s.sub.Unsubscribe(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) && !errors.Is(err, nats.ErrBadSubscription) {
		return fmt.Errorf("bus: unsubscribe from %s: %w", s.sub.Subject, err)
	}
	return nil
}

// Close drains: it stops the subscriptions, lets their handlers finish what is
// queued, sends what was published, then closes the connection (bounded by
// nats.go's 30s drain timeout). Close is safe to call more than once.
func (n *NATS) Close() error {
	n.closed.Store(true)
	if err := n.nc.Drain(); err != nil {
		n.nc.Close() // disconnected or closed already: nothing can be drained
	}
	<-n.done
	return nil
}

func (n *NATS) wrap(what string, err error) error {
	if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrConnectionDraining) {
		return fmt.Errorf("bus: %s: %w", what, ErrClosed)
	}
	return fmt.Errorf("bus: %s: %w", what, err)
}
