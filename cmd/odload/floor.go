package main

// `odload floor` is the floor bench-idle measures Output Desk against: the
// least a WebSocket server can be and still hold a visitor the way Output
// Desk does. A gorilla Upgrader with Output Desk's buffers (a 1 KiB read
// buffer, write buffers from a pool only while writing: with the defaults
// each socket would keep net/http's 4 KiB read and write buffers, and the
// floor would measure those), one goroutine a socket (started by the
// handler, which returns), the visitor's hello answered with one welcome,
// and the same heartbeat as Output Desk: a ping every 25 s, the socket
// dropped when nothing (a pong) came back for 60 s. It serves the same Go
// and process metrics and profiler as Output Desk's --metrics-addr, so both
// are read the same way.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The heartbeat's limits, as Output Desk's (internal/realtime/conn.go).
const (
	floorHelloTimeout = 10 * time.Second
	floorReadTimeout  = 60 * time.Second
	floorWriteTimeout = 10 * time.Second
)

type floorOptions struct {
	Addr, MetricsAddr string
	PingEvery         time.Duration
}

func floorMain(args []string) int {
	fo, err := parseFloorFlags(args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "odload floor:", err)
		return 2
	}
	if err := raiseNofile(); err != nil {
		fmt.Fprintln(os.Stderr, "odload floor: raising the open files limit:", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runFloor(ctx, fo); err != nil {
		fmt.Fprintln(os.Stderr, "odload floor:", err)
		return 1
	}
	return 0
}

func parseFloorFlags(args []string, out io.Writer) (floorOptions, error) {
	var fo floorOptions
	fs := flag.NewFlagSet("odload floor", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&fo.Addr, "addr", "127.0.0.1:18480", "address of the WebSocket listener (any path upgrades), on 127.0.0.0/8")
	fs.StringVar(&fo.MetricsAddr, "metrics-addr", "127.0.0.1:18481", "address serving /metrics (Go and process collectors) and /debug/pprof/, on 127.0.0.0/8")
	fs.DurationVar(&fo.PingEvery, "ping-every", 25*time.Second, "ping every socket this often (Output Desk: 25s)")
	if err := parseCommand(fs, args, "Usage: odload floor [flags]\n\nA bare gorilla/websocket server, the floor bench-idle measures Output Desk against: one\ngoroutine a socket, hello answered with welcome, then pings; frames are read and dropped.\n\n"); err != nil {
		return fo, err
	}
	if fo.PingEvery <= 0 {
		return fo, errors.New("--ping-every must be above 0")
	}
	return fo, errors.Join(loopbackAddr("--addr", fo.Addr), loopbackAddr("--metrics-addr", fo.MetricsAddr))
}

// loopbackAddr checks that a listening address is host:port on 127.0.0.0/8.
func loopbackAddr(name, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if ip := net.ParseIP(host); ip == nil || ip.To4() == nil || !loopback.Contains(ip) {
		return fmt.Errorf("%s host %q is not in 127.0.0.0/8", name, host)
	}
	return nil
}

// runFloor serves until ctx ends. Sockets are not closed one by one: the
// process exits with them.
func runFloor(ctx context.Context, fo floorOptions) error {
	ln, err := net.Listen("tcp", fo.Addr)
	if err != nil {
		return err
	}
	mln, err := net.Listen("tcp", fo.MetricsAddr)
	if err != nil {
		ln.Close()
		return err
	}
	f := &floor{pingEvery: fo.PingEvery, up: websocket.Upgrader{ReadBufferSize: 1024, WriteBufferPool: &sync.Pool{},
		CheckOrigin: func(*http.Request) bool { return true }}}
	ws := &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 10 * time.Second}
	ms := &http.Server{Handler: floorMetrics(), ReadHeaderTimeout: 10 * time.Second}
	errs := make(chan error, 2)
	go func() { errs <- ws.Serve(ln) }()
	go func() { errs <- ms.Serve(mln) }()
	select {
	case <-ctx.Done():
		ws.Close()
		ms.Close()
		return nil
	case err := <-errs:
		ws.Close()
		ms.Close()
		return err
	}
}

// floorMetrics serves what Output Desk's --metrics-addr does for the Go
// runtime: the same two collectors, and the profiler.
func floorMetrics() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

type floor struct {
	up        websocket.Upgrader
	pingEvery time.Duration
	visitors  atomic.Int64
}

// serve upgrades and hands the socket to its one goroutine. net/http's
// handler goroutine returns, and with it the request's buffers (8 KiB and
// more, kept for the socket's life by a handler that stayed to read), as
// Output Desk does.
func (f *floor) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := f.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	go f.hold(ws)
}

// hold is a socket's one goroutine: hello, welcome, then read and drop
// frames until the peer goes or falls silent. The ping timer's callback
// writes the pings; gorilla allows WriteControl beside a reader.
func (f *floor) hold(ws *websocket.Conn) {
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(floorHelloTimeout))
	if _, _, err := ws.ReadMessage(); err != nil {
		return
	}
	ws.SetWriteDeadline(time.Now().Add(floorWriteTimeout))
	if err := ws.WriteMessage(websocket.TextMessage, f.welcome()); err != nil {
		return
	}
	ws.SetReadDeadline(time.Now().Add(floorReadTimeout))
	ws.SetPongHandler(func(string) error { return ws.SetReadDeadline(time.Now().Add(floorReadTimeout)) })
	var ping *time.Timer
	ping = time.AfterFunc(math.MaxInt64, func() {
		if ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(floorWriteTimeout)) == nil {
			ping.Reset(f.pingEvery)
		}
	})
	// armed only now that ping is set: its callback reads it
	ping.Reset(f.pingEvery)
	defer ping.Stop()
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			return
		}
	}
}

// welcome is shaped as Output Desk's for a new visitor with no chat: the
// token is what odload's visitors keep.
func (f *floor) welcome() []byte {
	n := f.visitors.Add(1)
	return fmt.Appendf(nil, `{"type":"welcome","token":"vt_floor%016d","visitor":{"id":%d,"name":"Visitor %d"},"chat":null,"messages":[],"invitation":null,"max_message_bytes":4096,"server_time":%q}`,
		n, n, n, time.Now().UTC().Format(time.RFC3339Nano))
}
