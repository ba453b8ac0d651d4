package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// storeTimeout bounds the store's count at a scrape: Prometheus gives up
// after its own scrape timeout (10 s by default) anyway.
const storeTimeout = 5 * time.Second

// gauges are read when Prometheus scrapes: presence and the hub in
// memory, the chats in one query of the store.
type gauges struct {
	d                                 Deps
	sockets, socketsOpen, socketLimit *prometheus.Desc
	visitors                          *prometheus.Desc
	chats, queueLength, queueOldest   *prometheus.Desc
}

func newGauges(d Deps) *gauges {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(ns, "", name), help, labels, nil)
	}
	return &gauges{d: d,
		sockets: desc("sockets", "WebSockets open on this node whose client has said who it is, by kind: visitor (a widget tab) or console (an operator's console). "+
			"Per node: sum over nodes for the cluster.", "kind"),
		socketsOpen: desc("sockets_open", "Every WebSocket this node holds, said hello or not: what --max-sockets caps. Per node."),
		socketLimit: desc("sockets_limit", "The most WebSockets this node holds at once (--max-sockets, or the open-file limit less 256); past it new ones get 503. 0: no cap. Per node."),
		visitors: desc("visitors_on_site", "Visitors on the site: with at least one tab connected to any node (presence), every site. "+
			"Cluster-wide, as this node's presence knows it: every node reports the same number (take max, not sum)."),
		chats: desc("chats", "Open chats by state: waiting (unassigned: in the queue, or tickets under the Manual chat rule) or active (with an operator). "+
			"Read from the store at scrape time: cluster-wide, every node reports the same number (take max, not sum).", "state"),
		queueLength: desc("queue_length", "Chats waiting for an operator, the same as outputdesk_chats{state=\"waiting\"}. "+
			"Read from the store at scrape time: cluster-wide (take max, not sum)."),
		queueOldest: desc("queue_oldest_wait_seconds", "How long the oldest waiting chat has waited since it started (its first message), on the app's clock; 0 when none waits. "+
			"Read from the store at scrape time: cluster-wide (take max, not sum)."),
	}
}

func (g *gauges) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{g.sockets, g.socketsOpen, g.socketLimit, g.visitors, g.chats, g.queueLength, g.queueOldest} {
		ch <- d
	}
}

func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v int, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), labels...)
	}
	p := g.d.Presence()
	gauge(g.sockets, p.Tabs, "visitor")
	gauge(g.sockets, p.Consoles, "console")
	gauge(g.visitors, p.Visitors)
	open, limit := g.d.Sockets()
	gauge(g.socketsOpen, open)
	gauge(g.socketLimit, limit)

	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	n, err := g.d.OpenChats(ctx)
	if err != nil {
		// left out of this scrape; the store's observer counted the failure
		g.d.Log.Warn("metrics: counting the chats", "err", err)
		return
	}
	gauge(g.chats, n.Waiting, "waiting")
	gauge(g.chats, n.Active, "active")
	gauge(g.queueLength, n.Waiting)
	oldest := 0.0
	if !n.OldestWaiting.IsZero() {
		oldest = max(0, g.d.Now().Sub(n.OldestWaiting).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(g.queueOldest, prometheus.GaugeValue, oldest)
}
