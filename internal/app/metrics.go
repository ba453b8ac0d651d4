package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"reflect"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/metrics"
	"outputdesk/internal/store"
	"outputdesk/internal/store/sqlstore"
)

var (
	_ bus.Observer      = (*metrics.Metrics)(nil)
	_ sqlstore.Observer = (*metrics.Metrics)(nil)
)

// metricsServer is --metrics-addr: Prometheus's /metrics and Go's profiler
// on a listener and a mux of their own, never the public ones.
type metricsServer struct {
	m      *metrics.Metrics
	ln     net.Listener
	server *http.Server
}

// instrument builds the metrics when --metrics-addr is set and hands each
// part its hook: the announcer (routing, assignments, messages, bus
// errors) and the store (its calls and errors). It runs before the
// services are built, since they copy the announcer. Without the flag
// nothing is counted.
func (a *App) instrument() {
	if a.cfg.MetricsAddr == "" {
		return
	}
	m := metrics.New(metrics.Deps{Now: a.clock.Now, Log: a.log,
		Presence:  a.presence.Counts,
		Sockets:   func() (int, int) { return a.hub.Sockets() },
		OpenChats: a.store.OpenChatCounts,
		StoreOps:  storeOps(),
	})
	a.metrics = &metricsServer{m: m}
	a.announce.Observe = m
	if db, ok := a.store.(*sqlstore.DB); ok {
		db.Observe(m)
	}
}

// storeOps are the Store's methods that call the database: the store
// metrics' ops.
func storeOps() []string {
	t := reflect.TypeFor[store.Store]()
	ops := make([]string, 0, t.NumMethod())
	for i := range t.NumMethod() {
		if name := t.Method(i).Name; name != "Close" {
			ops = append(ops, name)
		}
	}
	return ops
}

// serveMetrics listens on --metrics-addr and serves /metrics and
// /debug/pprof/ there. The profiler's /debug/pprof/cmdline is left out: the
// command line may carry --admin-password or a --database-url password.
func (a *App) serveMetrics() error {
	if a.metrics == nil {
		return nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.m.Handler())
	mux.HandleFunc("GET /debug/pprof/", pprof.Index) // the named profiles: heap, goroutine, allocs, block, mutex…
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	a.metrics.ln = ln
	a.metrics.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	go func() {
		if err := a.metrics.server.Serve(ln); err != nil && err != http.ErrServerClosed {
			a.log.Error("metrics server", "err", err)
		}
	}()
	return nil
}

// MetricsAddr is the address serving /metrics (useful with port 0); empty
// when --metrics-addr is not set.
func (a *App) MetricsAddr() string {
	if a.metrics == nil || a.metrics.ln == nil {
		return ""
	}
	return a.metrics.ln.Addr().String()
}

// metricsBanner is the start banner's line for the metrics, if served.
func (a *App) metricsBanner() string {
	if addr := a.MetricsAddr(); addr != "" {
		return fmt.Sprintf("  Metrics: http://%s/metrics\n", addr)
	}
	return ""
}

// stopMetrics closes the metrics listener, before the store closes under a
// scrape. A profile still being taken is cut short.
func (a *App) stopMetrics() error {
	if a.metrics == nil || a.metrics.server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.metrics.server.Shutdown(ctx); err != nil {
		return a.metrics.server.Close()
	}
	return nil
}
