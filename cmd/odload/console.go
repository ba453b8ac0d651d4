package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// console is one operator's console socket, subscribed to the Visitor List,
// recording every frame it gets.
type console struct {
	n  int
	ws *websocket.Conn
	// wire counts the bytes read from the socket's connection (compressed,
	// with framing); wireStart/wireEnd bracket the measured phase.
	wire               atomic.Int64
	wireStart, wireEnd int64

	mu     sync.Mutex
	frames []frameRec
	stale  []staleRec
	seen   map[int64]int64 // visitor row id → last marker seen
	rows   int             // rows in the list, as this console has applied it
	ended  error           // why the socket ended, if it did
	endAt  time.Time
	closed bool
}

// frameRec is one frame as it arrived.
type frameRec struct {
	at       time.Time
	size     int
	visitors bool // a `visitors` frame
	reset    bool
	upserts  int
	removes  int
	server   time.Time // the frame's server_time: when the batch was made
}

// staleRec is one marked row: when its page was sent and when it arrived.
type staleRec struct {
	sent, arrived int64 // unix ns
}

// visitorsFrame is the part of a `visitors` frame odload reads.
type visitorsFrame struct {
	Type   string `json:"type"`
	Reset  bool   `json:"reset"`
	Upsert []struct {
		ID   int64 `json:"id"`
		Page struct {
			URL string `json:"url"`
		} `json:"page"`
	} `json:"upsert"`
	Remove     []int64   `json:"remove"`
	ServerTime time.Time `json:"server_time"`
}

// openConsole connects an operator's console socket with the Visitor List
// on, and starts recording once welcome has come.
func openConsole(ctx context.Context, n int, c *apiClient, compress bool) (*console, error) {
	u := "ws://" + c.base.Host + "/ws/console"
	con := &console{n: n}
	d := websocket.Dialer{HandshakeTimeout: 15 * time.Second, EnableCompression: compress,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			nc, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{Conn: nc, n: &con.wire}, nil
		}}
	// The console socket takes only pages of the server's public URL,
	// which is the URL odload was given.
	h := http.Header{"Cookie": {c.sessionCookie()}, "Origin": {c.base.Scheme + "://" + c.base.Host}}
	ws, _, err := d.DialContext(ctx, u, h)
	if err != nil {
		return nil, err
	}
	ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	if err := ws.WriteJSON(map[string]any{"type": "hello", "watch": map[string]int64{}, "visitors": true}); err != nil {
		ws.Close()
		return nil, err
	}
	_, data, err := ws.ReadMessage()
	if err != nil {
		ws.Close()
		return nil, fmt.Errorf("console %d: waiting for welcome: %w", n, err)
	}
	var f struct{ Type string }
	if json.Unmarshal(data, &f); f.Type != "welcome" {
		ws.Close()
		return nil, fmt.Errorf("console %d: first frame is %q, not welcome", n, f.Type)
	}
	ws.SetReadDeadline(time.Time{})
	ws.SetReadLimit(0) // a reset frame holds every visitor's row
	con.ws, con.seen = ws, map[int64]int64{}
	go con.record()
	return con, nil
}

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.n.Add(int64(k))
	return k, err
}

func (c *console) record() {
	for {
		_, data, err := c.ws.ReadMessage()
		now := time.Now()
		if err != nil {
			c.mu.Lock()
			if !c.closed {
				c.ended, c.endAt = err, now
			}
			c.mu.Unlock()
			return
		}
		c.note(now, data)
	}
}

// note records one frame; for a `visitors` frame, each upserted row whose
// page carries a marker not seen before for that row is a staleness sample.
func (c *console) note(at time.Time, data []byte) {
	rec := frameRec{at: at, size: len(data)}
	var f visitorsFrame
	// the server's frames are maps, so "type" is not first: decode it all
	if json.Unmarshal(data, &f) == nil && f.Type == "visitors" {
		rec.visitors, rec.reset, rec.upserts, rec.removes, rec.server = true, f.Reset, len(f.Upsert), len(f.Remove), f.ServerTime
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frames = append(c.frames, rec)
	if !rec.visitors {
		return
	}
	if f.Reset {
		c.rows = 0
	}
	for _, r := range f.Upsert {
		m, ok := marker(r.Page.URL)
		if _, had := c.seen[r.ID]; !had {
			c.rows++
		}
		if ok && c.seen[r.ID] != m {
			c.stale = append(c.stale, staleRec{sent: m, arrived: at.UnixNano()})
		}
		c.seen[r.ID] = m
	}
	for _, id := range f.Remove {
		if _, had := c.seen[id]; had {
			delete(c.seen, id)
			c.rows--
		}
	}
}

// marker is the send time odload put in a page URL (…&t=unixnano).
func marker(pageURL string) (int64, bool) {
	i := strings.LastIndex(pageURL, "&t=")
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(pageURL[i+3:], 10, 64)
	return n, err == nil
}

// snapshot copies what the console recorded so far.
func (c *console) snapshot() (frames []frameRec, stale []staleRec, rows int, ended error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]frameRec(nil), c.frames...), append([]staleRec(nil), c.stale...), c.rows, c.ended
}

func (c *console) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.ws.Close()
}
