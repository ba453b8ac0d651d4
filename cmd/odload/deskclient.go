package main

// The routing and messages modes need clients that read what the server
// says and answer it, unlike the visitors mode's sockets, which only hold
// a connection open. This file has the two kinds: a chatting visitor's
// socket and an operator's console with the Visitor List off.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// inFrame is the part of any server frame these modes read.
type inFrame struct {
	Type     string          `json:"type"`
	Ref      string          `json:"ref"`
	ChatID   int64           `json:"chat_id"`
	ClientID string          `json:"client_id"`
	Code     string          `json:"code"`
	Chat     *chatObj        `json:"chat"`
	Message  json.RawMessage `json:"message"` // an object in `message` frames, a string in `error` frames
}

// chatObj is a Chat (console) or ChatForWidget as far as odload needs it.
type chatObj struct {
	ID       int64  `json:"id"`
	State    string `json:"state"`
	Operator *struct {
		ID int64 `json:"id"`
	} `json:"operator"`
}

// msgObj is a Message as far as odload needs it.
type msgObj struct {
	ChatID   int64   `json:"chat_id"`
	Seq      int64   `json:"seq"`
	Author   string  `json:"author"`
	ClientID *string `json:"client_id"`
	Body     string  `json:"body"`
}

// message decodes a `message` frame's message.
func (f *inFrame) message() (msgObj, bool) {
	var m msgObj
	if f.Type != "message" || json.Unmarshal(f.Message, &m) != nil {
		return m, false
	}
	return m, true
}

// skipFrame says whether a frame can be dropped unread. The server encodes
// frames as maps, whose keys come sorted, so an `operator` frame starts
// with its "operator" member. The check only saves decoding work: a frame
// it does not catch is decoded and then ignored by its type.
func skipFrame(data []byte) bool {
	return bytes.HasPrefix(data, []byte(`{"operator":`)) || bytes.HasPrefix(data, []byte(`{"remove":`))
}

// peer is one socket with a single writer at a time and a reader that
// hands every frame to onFrame, stamped with its arrival time.
type peer struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	onFrame func(at time.Time, f *inFrame)
	onEnd   func(err error) // the socket ended without odload closing it

	mu     sync.Mutex
	closed bool
}

func (p *peer) send(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.ws.SetWriteDeadline(time.Now().Add(15 * time.Second))
	return p.ws.WriteMessage(websocket.TextMessage, data)
}

func (p *peer) read() {
	for {
		_, data, err := p.ws.ReadMessage()
		at := time.Now()
		if err != nil {
			p.mu.Lock()
			byUs := p.closed
			p.mu.Unlock()
			if !byUs && p.onEnd != nil {
				p.onEnd(err)
			}
			return
		}
		if skipFrame(data) {
			continue
		}
		var f inFrame
		if json.Unmarshal(data, &f) == nil && p.onFrame != nil {
			p.onFrame(at, &f)
		}
	}
}

func (p *peer) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	// WriteControl may run beside a writer, so a stuck write cannot hold
	// the close up
	p.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	p.ws.Close()
}

// handshake sends hello and reads frames until welcome.
func handshake(ws *websocket.Conn, hello any) error {
	ws.SetWriteDeadline(time.Now().Add(15 * time.Second))
	ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	if err := ws.WriteJSON(hello); err != nil {
		return err
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return fmt.Errorf("waiting for welcome: %w", err)
		}
		var f inFrame
		if json.Unmarshal(data, &f) == nil && f.Type == "welcome" {
			ws.SetReadDeadline(time.Time{})
			return nil
		}
	}
}

// dialConsole opens an operator's console socket with the Visitor List off
// (these modes measure chats, not the list) and starts its reader.
func dialConsole(ctx context.Context, c *apiClient, compress bool, onFrame func(time.Time, *inFrame), onEnd func(error)) (*peer, error) {
	d := websocket.Dialer{HandshakeTimeout: 15 * time.Second, EnableCompression: compress}
	// The console socket takes only pages of the server's public URL,
	// which is the URL odload was given.
	h := http.Header{"Cookie": {c.sessionCookie()}, "Origin": {c.base.Scheme + "://" + c.base.Host}}
	ws, _, err := d.DialContext(ctx, "ws://"+c.base.Host+"/ws/console", h)
	if err != nil {
		return nil, err
	}
	if err := handshake(ws, map[string]any{"type": "hello", "watch": map[string]int64{}, "visitors": false}); err != nil {
		ws.Close()
		return nil, err
	}
	ws.SetReadLimit(0) // welcome and chat frames are the server's, of any size
	p := &peer{ws: ws, onFrame: onFrame, onEnd: onEnd}
	go p.read()
	return p, nil
}

// visitorDial is what every chatting visitor socket shares.
type visitorDial struct {
	base    *url.URL
	siteKey string
	origin  string
	srcs    []*net.TCPAddr
}

// dial opens visitor n's socket as a new visitor on a page of its
// own and starts its reader.
func (vd visitorDial) dial(ctx context.Context, n int, onFrame func(time.Time, *inFrame), onEnd func(error)) (*peer, error) {
	d := websocket.Dialer{HandshakeTimeout: 15 * time.Second,
		NetDialContext: (&net.Dialer{LocalAddr: vd.srcs[n%len(vd.srcs)], Timeout: 15 * time.Second}).DialContext}
	h := http.Header{}
	if vd.origin != "" {
		h.Set("Origin", vd.origin)
	}
	ws, _, err := d.DialContext(ctx, "ws://"+vd.base.Host+"/ws/visitor?site_key="+url.QueryEscape(vd.siteKey), h)
	if err != nil {
		return nil, err
	}
	page := map[string]any{"id": fmt.Sprintf("pv-chat-%d", n), "url": fmt.Sprintf("%s/load/chat?v=%d", vd.base, n),
		"title": "Load chat page", "referrer": vd.base.String() + "/load/"}
	hello := map[string]any{"type": "hello", "token": "", "page": page, "visible": true, "user_agent": userAgent, "chat_id": nil, "last_seq": 0}
	if err := handshake(ws, hello); err != nil {
		ws.Close()
		return nil, err
	}
	ws.SetReadLimit(0)
	p := &peer{ws: ws, onFrame: onFrame, onEnd: onEnd}
	go p.read()
	return p, nil
}

// dialAll opens n visitor sockets at rate per second, at most 64 in flight,
// and returns them in order (nil where a socket failed) with the first error.
func (vd visitorDial) dialAll(ctx context.Context, n, rate int, mk func(i int) (func(time.Time, *inFrame), func(error))) ([]*peer, error) {
	out := make([]*peer, n)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	tick := time.NewTicker(time.Second / time.Duration(max(1, rate)))
	defer tick.Stop()
	for i := 0; i < n; i++ {
		select {
		case <-tick.C:
		case <-ctx.Done():
			wg.Wait()
			return out, ctx.Err()
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			onFrame, onEnd := mk(i)
			p, err := vd.dial(ctx, i, onFrame, onEnd)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("visitor %d: %w", i, err)
			}
			out[i] = p
		}()
	}
	wg.Wait()
	return out, firstErr
}

// errorText is an `error` frame's message.
func (f *inFrame) errorText() string {
	var s string
	if json.Unmarshal(f.Message, &s) != nil {
		return string(f.Message)
	}
	return s
}
