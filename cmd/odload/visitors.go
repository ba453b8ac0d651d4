package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// userAgent is what the load visitors say they are; the server shows it as
// browser and OS in the Visitor List.
const userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 odload"

// group is one worker's share of the visitors.
type group struct {
	job    workerJob
	base   string // http://host:port
	wsURL  string
	dialer *websocket.Dialer
	header http.Header
	vs     []*visitor

	sent, pageErrors, reconnects, reconnectFails atomic.Int64
	// pings counts the server's pings that arrive between pingFrom and
	// pingTo (unix ns): the measured phase.
	pings, pingFrom, pingTo atomic.Int64

	mu         sync.Mutex
	reconnectT []int64 // µs
	drops      map[string]int
	errs       map[string]int
}

// visitor is one simulated browser tab.
type visitor struct {
	g     *group
	n     int // index over all workers
	src   *net.TCPAddr
	token string
	page  int
	sock  *socket
}

// socket is one visitor socket and whether odload closed it on purpose.
type socket struct {
	ws   *websocket.Conn
	byUs atomic.Bool
}

func newGroup(job workerJob) (*group, error) {
	base, err := loopbackBase(job.URL)
	if err != nil {
		return nil, err
	}
	g := &group{job: job, base: base.String(), drops: map[string]int{}, errs: map[string]int{}}
	g.wsURL = "ws://" + base.Host + "/ws/visitor?site_key=" + url.QueryEscape(job.SiteKey)
	g.dialer = &websocket.Dialer{HandshakeTimeout: 15 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{}}
	g.header = http.Header{}
	if job.Origin != "" {
		g.header.Set("Origin", job.Origin)
	}
	srcs := make([]*net.TCPAddr, len(job.SourceAddrs))
	for i, s := range job.SourceAddrs {
		srcs[i] = &net.TCPAddr{IP: net.ParseIP(s)}
	}
	g.vs = make([]*visitor, job.Visitors)
	for i := range g.vs {
		n := job.FirstIndex + i
		g.vs[i] = &visitor{g: g, n: n, src: srcs[n%len(srcs)]}
	}
	return g, nil
}

// connectAll opens every visitor socket at the ramp rate, a bounded number
// in flight, and returns the connect times (µs) of those that made it.
func (g *group) connectAll(ctx context.Context, progress func(connected, failed int)) (times []int64, failed int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	inFlight := make(chan struct{}, 256)
	tick := time.NewTicker(time.Second / time.Duration(g.job.RampRate))
	defer tick.Stop()
	report := time.NewTicker(time.Second)
	defer report.Stop()
	for _, v := range g.vs {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return times, failed
		}
		select {
		case <-report.C:
			mu.Lock()
			progress(len(times), failed)
			mu.Unlock()
		default:
		}
		inFlight <- struct{}{}
		wg.Add(1)
		go func(v *visitor) {
			defer wg.Done()
			defer func() { <-inFlight }()
			d, err := v.connectRetrying(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				g.noteErr(err)
				return
			}
			times = append(times, d.Microseconds())
		}(v)
	}
	wg.Wait()
	return times, failed
}

// connectRetrying tries three times, as a widget would retry, and returns
// how long the successful attempt took.
func (v *visitor) connectRetrying(ctx context.Context) (time.Duration, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * time.Second)
		}
		t0 := time.Now()
		if err = v.connect(ctx, t0); err == nil {
			return time.Since(t0), nil
		}
	}
	return 0, err
}

// connect opens a socket, says hello on a new page, and waits for welcome.
func (v *visitor) connect(ctx context.Context, at time.Time) error {
	d := *v.g.dialer
	d.NetDialContext = (&net.Dialer{LocalAddr: v.src, Timeout: 15 * time.Second}).DialContext
	ws, _, err := d.DialContext(ctx, v.g.wsURL, v.g.header)
	if err != nil {
		return err
	}
	v.page++
	hello := map[string]any{"type": "hello", "token": v.token, "page": v.pageIn(at), "visible": true,
		"user_agent": userAgent, "chat_id": nil, "last_seq": 0}
	ws.SetWriteDeadline(time.Now().Add(15 * time.Second))
	ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	if err := ws.WriteJSON(hello); err != nil {
		ws.Close()
		return err
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			ws.Close()
			return fmt.Errorf("waiting for welcome: %w", err)
		}
		var f struct {
			Type  string `json:"type"`
			Token string `json:"token"`
		}
		if json.Unmarshal(data, &f) == nil && f.Type == "welcome" {
			v.token = f.Token
			break
		}
	}
	ws.SetReadDeadline(time.Time{})
	ws.SetPingHandler(v.g.pingHandler(ws))
	s := &socket{ws: ws}
	v.sock = s
	go v.g.read(s)
	return nil
}

// pageIn is the visitor's current page; its URL carries the send time.
func (v *visitor) pageIn(at time.Time) map[string]any {
	return map[string]any{
		"id":       fmt.Sprintf("pv-%d-%d", v.n, v.page),
		"url":      fmt.Sprintf("%s/load/p%d?v=%d&t=%d", v.g.base, v.page, v.n, at.UnixNano()),
		"title":    fmt.Sprintf("Load page %d", v.page),
		"referrer": v.g.base + "/load/",
	}
}

// read keeps a socket's reader running, which answers the server's pings,
// and counts sockets the server ended.
func (g *group) read(s *socket) {
	for {
		if _, _, err := s.ws.ReadMessage(); err != nil {
			if !s.byUs.Load() {
				g.mu.Lock()
				g.drops[dropKey(err)]++
				g.mu.Unlock()
			}
			return
		}
	}
}

// pingHandler counts the server's pings in the measured phase and answers
// each with a pong, as gorilla's default handler does.
func (g *group) pingHandler(ws *websocket.Conn) func(string) error {
	return func(data string) error {
		if now := time.Now().UnixNano(); now >= g.pingFrom.Load() && now < g.pingTo.Load() {
			g.pings.Add(1)
		}
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		var ne net.Error
		if errors.Is(err, websocket.ErrCloseSent) || errors.As(err, &ne) {
			return nil
		}
		return err
	}
}

// runPages moves every connected visitor to a new page every PageEvery,
// each at its own random phase, from start until end.
func (g *group) runPages(start, end time.Time) {
	every := g.job.PageEvery
	if every <= 0 {
		time.Sleep(time.Until(end))
		return
	}
	rng := rand.New(rand.NewSource(g.job.Seed + int64(g.job.Index)))
	var wg sync.WaitGroup
	for _, v := range g.vs {
		if v.sock == nil {
			continue
		}
		first := start.Add(time.Duration(rng.Int63n(int64(every))))
		wg.Add(1)
		go func(v *visitor) {
			defer wg.Done()
			for at := first; at.Before(end); at = at.Add(every) {
				time.Sleep(time.Until(at))
				v.move()
			}
		}(v)
	}
	wg.Wait()
}

// move is one navigation: a page frame, or a new socket (--navigate=socket).
func (v *visitor) move() {
	g := v.g
	if g.job.Navigate == "socket" {
		v.closeSocket(websocket.CloseGoingAway)
		t0 := time.Now()
		if err := v.connect(context.Background(), t0); err != nil {
			g.reconnectFails.Add(1)
			g.noteErr(err)
			v.sock = nil
			return
		}
		g.sent.Add(1)
		g.reconnects.Add(1)
		g.mu.Lock()
		g.reconnectT = append(g.reconnectT, time.Since(t0).Microseconds())
		g.mu.Unlock()
		return
	}
	if v.sock == nil {
		return
	}
	v.page++
	frame := map[string]any{"type": "page", "page": v.pageIn(time.Now()), "visible": true}
	v.sock.ws.SetWriteDeadline(time.Now().Add(15 * time.Second))
	if err := v.sock.ws.WriteJSON(frame); err != nil {
		g.pageErrors.Add(1)
		g.noteErr(err)
		return
	}
	g.sent.Add(1)
}

func (v *visitor) closeSocket(code int) {
	s := v.sock
	if s == nil {
		return
	}
	s.byUs.Store(true)
	s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(time.Second))
	s.ws.Close()
}

func (g *group) closeAll() {
	for _, v := range g.vs {
		v.closeSocket(websocket.CloseNormalClosure)
	}
}

// noteErr counts an error by its last clause, without the port numbers
// that make every dial error unique.
func (g *group) noteErr(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.errs[lastClause(err.Error())]++
}

func dropKey(err error) string {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return fmt.Sprintf("close %d %s", ce.Code, ce.Text)
	}
	return lastClause(err.Error())
}

func lastClause(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
