// Package metrics is what Output Desk shows Prometheus: the registry, every
// metric's definition, and the hooks that feed them. It is the one package
// that imports the Prometheus client. The others declare the small
// interface they call where they call it — bus.Observer for what a node
// announces, sqlstore.Observer for the database — and Metrics implements
// them; gauges read presence, the hub and the store when Prometheus
// scrapes, through the functions in Deps.
//
// Per node or cluster-wide: a counter or histogram counts what this node
// did (sum them over nodes); a gauge read from the store or from presence
// is the cluster's, the same on every node (take one, or max).
// docs/operations.md lists every metric.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"outputdesk/internal/presence"
	"outputdesk/internal/store"
)

// Deps are what the gauges read at scrape time, and what else the metrics
// need.
type Deps struct {
	// Now is the app's clock: the chats' times are on it.
	Now func() time.Time
	Log *slog.Logger
	// Presence is this node's consoles and tabs, and the visitors on the site.
	Presence func() presence.Counts
	// Sockets is every socket this node holds, and the cap on them.
	Sockets func() (open, limit int)
	// OpenChats counts the chats in the store, cluster-wide.
	OpenChats func(ctx context.Context) (store.OpenChatCounts, error)
	// StoreOps are the Store's methods: their error counters start at 0,
	// so that an alert sees the first error.
	StoreOps []string
}

// Metrics is one node's registry and its metrics.
type Metrics struct {
	d   Deps
	reg *prometheus.Registry

	routed        *prometheus.CounterVec
	assignWait    *prometheus.HistogramVec
	messages      *prometheus.HistogramVec
	storeOps      *prometheus.HistogramVec
	storeErrors   *prometheus.CounterVec
	publishErrors prometheus.Counter
}

const ns = "outputdesk"

// New builds the registry: the Go runtime's and the process's collectors,
// and Output Desk's own metrics.
func New(d Deps) *Metrics {
	m := &Metrics{d: d, reg: prometheus.NewRegistry()}
	m.routed = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "routing_decisions_total",
		Help: "Routing decisions this node made and recorded on a chat, by kind: action_rule (an action rule assigned it), automatic (the Automatic chat rule assigned it), " +
			"manual (left waiting as a ticket by the Manual chat rule), no_room (Automatic, but nobody had room: left waiting), taken (an operator took the ticket), " +
			"transfer, invitation (an accepted manual invitation went to its operator), handed_back (its operator went away). Per node."},
		[]string{"kind"})
	m.assignWait = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "chat_assignment_wait_seconds",
		Help: "Time from a chat's start (the visitor's first message) to its first assignment to an operator, by how it was assigned: " +
			"action_rule, automatic, taken, invitation (0: an accepted invitation starts with its operator). A chat handed back and assigned again is not counted again. " +
			"On the app's clock. Per node: the node that assigned it.",
		Buckets: []float64{1, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600}},
		[]string{"how"})
	m.messages = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "message_latency_seconds",
		Help: "Time a message a widget or console sent spends in the server, by author (visitor, operator): from the node receiving it " +
			"(its timestamp; for the message that starts a chat, the chat's creation) through validation, the store's commit and routing a new chat, " +
			"to its announcement on the bus having returned. With one node the bus is in process, so at that point the message is queued on every " +
			"socket of this node watching the chat; with NATS, it is handed to NATS (the hop to the other nodes and the socket writes are not included). " +
			"On the app's clock. Per node: the node that received it.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
		[]string{"author"})
	m.storeOps = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "store_operation_seconds",
		Help: "Time of one call into the database, by op, the Store method that made it: a statement outside a transaction until its first row or result, " +
			"or a whole write transaction from asking for it (SQLite: queueing for its one writer) to its commit. Per node.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
		[]string{"op"})
	m.storeErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "store_errors_total",
		Help: "Database statements, begins and commits that failed, by op, the Store method (not: no row found, a uniqueness conflict, a cancelled request). Per node."},
		[]string{"op"})
	m.publishErrors = prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "bus_publish_errors_total",
		Help: "Events this node failed to publish on the bus (NATS, or the in-process bus after shutdown): other nodes' sockets and views missed them. Per node."})

	for _, k := range routingKinds {
		m.routed.WithLabelValues(k)
	}
	for _, k := range assignedHow {
		m.assignWait.WithLabelValues(k)
	}
	for _, a := range authors {
		m.messages.WithLabelValues(a)
	}
	for _, op := range d.StoreOps {
		m.storeErrors.WithLabelValues(op)
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.routed, m.assignWait, m.messages, m.storeOps, m.storeErrors, m.publishErrors,
		newGauges(d),
	)
	return m
}

// Handler serves the registry in Prometheus's text format. A gauge that
// cannot be read (the store is down) is left out of the scrape, which goes
// on with the rest.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.d.Log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// StoreCall is one call into the database (sqlstore.Observer).
func (m *Metrics) StoreCall(op string, took time.Duration) {
	m.storeOps.WithLabelValues(op).Observe(took.Seconds())
}

// StoreFailed is a call the database failed (sqlstore.Observer).
func (m *Metrics) StoreFailed(op string) { m.storeErrors.WithLabelValues(op).Inc() }

// PublishFailed is a publish the bus refused (bus.Observer).
func (m *Metrics) PublishFailed() { m.publishErrors.Inc() }
