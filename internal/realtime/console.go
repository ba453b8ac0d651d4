package realtime

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// ConsoleService is what the console socket needs from the application.
type ConsoleService interface {
	// Authenticate reads the session cookie of the upgrade request.
	Authenticate(ctx context.Context, r *http.Request) (desk.Operator, desk.Session, error)
	ConsoleState(ctx context.Context, op desk.Operator) (ConsoleState, error)
	// ConsoleConnected and ConsoleDisconnected bracket a console socket; the
	// operator counts as connected in between.
	ConsoleConnected(op desk.Operator, session desk.Session, c *Conn)
	ConsoleDisconnected(op desk.Operator, c *Conn)
	OperatorSend(ctx context.Context, op desk.Operator, chatID int64, clientID, body string) (desk.Message, error)
	// MarkRead moves the operator's read position in a chat up to seq and
	// returns the position after.
	MarkRead(ctx context.Context, op desk.Operator, chatID, seq int64) (int64, error)
	// ReadPosition is how far the operator has read a chat (0: not at all).
	ReadPosition(ctx context.Context, op desk.Operator, chatID int64) (int64, error)
	// OperatorTyping shows the chat's visitor that the operator types, or
	// has stopped.
	OperatorTyping(ctx context.Context, op desk.Operator, chatID int64, active bool) error
	// CheckWatch refuses chats the operator may not read.
	CheckWatch(ctx context.Context, op desk.Operator, chatID int64) error
	MaxMessageBytes() int
	SubscribeVisitors(c *Conn)
	UnsubscribeVisitors(c *Conn)
	Now() time.Time
	// BaseURL is the server's public URL (--public-url, or http:// plus
	// the listen address): a console socket's Origin must be its origin.
	BaseURL() string
}

// ConsoleState is what a console gets on (re)connecting.
type ConsoleState struct {
	Operator  protocol.Operator
	Operators []protocol.Operator
	Chats     []desk.Chat // waiting ones, and the operator's active ones
	// Read is how far the operator has read each of Chats (those read at
	// all), by chat id.
	Read map[int64]int64
}

// ConsoleHandler serves GET /ws/console.
func (h *Hub) ConsoleHandler(svc ConsoleService) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.refuseFull(w) {
			return
		}
		ws, err := h.consoleUpgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := newConn(ws, h)
		if !h.track(c) {
			c.refuse(websocket.CloseTryAgainLater, "try again later")
			return
		}
		if !sameOrigin(r.Header.Get("Origin"), svc.BaseURL()) {
			c.refuse(CloseForbidden, "origin not allowed")
			return
		}
		op, session, err := svc.Authenticate(r.Context(), r)
		if err != nil {
			c.refuse(CloseUnauthorized, "not logged in")
			return
		}
		h.serving.Add(1)
		go func() {
			defer h.serving.Done()
			serveConsole(c, svc, op, session)
		}()
	})
}

// sameOrigin reports whether origin, a console socket's Origin header, is
// the server's public URL: the same scheme, host and port, so no other
// site can ride an operator's cookie. The request's Host header does not
// count (a page of another site may reach this server under any name),
// and neither does a missing Origin: every browser sends one.
func sameOrigin(origin, publicURL string) bool {
	o, err := url.Parse(origin)
	if err != nil {
		return false
	}
	p, err := url.Parse(publicURL)
	if err != nil {
		return false
	}
	want, got := originOf(p), originOf(o)
	if want == "" {
		return false
	}
	return got == want || sameLoopback(o, p)
}

// sameLoopback: on the server's own machine, with a public URL on a
// loopback address (the default, http://127.0.0.1:8080), "localhost",
// "127.0.0.1" and "[::1]" name the same server when scheme and port are the
// same — nothing but this server can answer on that port — so a console
// opened at http://localhost:8080 works too.
func sameLoopback(origin, public *url.URL) bool {
	if !isLoopback(origin.Hostname()) || !isLoopback(public.Hostname()) {
		return false
	}
	o, p := *origin, *public
	o.Host, p.Host = "localhost:"+origin.Port(), "localhost:"+public.Port()
	return originOf(&o) == originOf(&p)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// originOf is a URL's scheme, host and port, lower case, with the scheme's
// default port made explicit; "" when the URL has no scheme or host.
func originOf(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if scheme == "" || host == "" {
		return ""
	}
	if port == "" {
		switch scheme {
		case "http", "ws":
			port = "80"
		case "https", "wss":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// consoleConn is the console's view of which chats are its operator's.
type consoleConn struct {
	op   desk.Operator
	mu   sync.Mutex
	mine map[int64]bool
}

func serveConsole(c *Conn, svc ConsoleService, op desk.Operator, session desk.Session) {
	defer c.shutdown()
	ctx := context.Background()
	hello, ok := c.readHello()
	if !ok {
		c.closeNow(CloseBadHello, "first frame must be hello")
		return
	}
	cc := &consoleConn{op: op, mine: map[int64]bool{}}
	c.onEvent, c.audience = cc.filter, consoles
	c.hold()
	c.hub.subscribe(c, bus.SiteSubject(op.SiteID))
	svc.ConsoleConnected(op, session, c)
	c.onClose = func() { svc.ConsoleDisconnected(op, c) }

	st, err := svc.ConsoleState(ctx, op)
	if err != nil {
		c.hub.log.Error("console state", "err", err)
		c.closeNow(1011, "try again")
		return
	}
	chats := make([]protocol.Chat, len(st.Chats))
	now := svc.Now()
	for i, ch := range st.Chats {
		chats[i] = protocol.ChatOf(ch, now)
		if ch.State == desk.ChatActive && ch.OperatorID == op.ID {
			cc.mine[ch.ID] = true
		}
	}
	read := make(map[string]int64, len(st.Read))
	for id, seq := range st.Read {
		read[strconv.FormatInt(id, 10)] = seq
	}
	c.Send(protocol.Frame("welcome", map[string]any{
		"operator": st.Operator, "operators": st.Operators, "chats": chats, "read": read, "server_time": protocol.Time(now),
		"max_message_bytes": svc.MaxMessageBytes(),
	}))
	watch := map[int64]int64{}
	for id := range cc.mine {
		watch[id] = 0
	}
	for key, seq := range hello.Watch {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || svc.CheckWatch(ctx, op, id) != nil {
			continue
		}
		watch[id] = seq
	}
	for id, seq := range watch {
		c.watchChat(id, seq)
		c.enqueue(item{catchUp: id})
	}
	c.release()
	if hello.Visitors {
		svc.SubscribeVisitors(c)
	}
	c.armPing()
	_, limit := c.hub.frameLimits()
	c.readLoop(limit, protocol.ConsoleFrameMembers, func(f protocol.ClientFrame) []byte { return cc.frame(ctx, c, svc, f) })
	svc.UnsubscribeVisitors(c)
}

// filter passes chat events a console shows: waiting chats (and the last
// frame of one that stops waiting), chats that are or were its operator's,
// and chats it watches. A chat newly assigned to the operator is watched.
func (cc *consoleConn) filter(c *Conn, e *event) bool {
	switch e.Kind {
	case bus.KindMessage, bus.KindOperator, bus.KindTyping, bus.KindNote, bus.KindOfflineMessage:
		return true
	case bus.KindRating: // the chat's operator, and whoever watches it
		return e.Rating.OperatorID == cc.op.ID || c.isWatching(e.Rating.ChatID)
	case bus.KindRead:
		return e.Read.OperatorID == cc.op.ID // unread counts are each operator's own
	case bus.KindCannedReplies: // shared ones for all, personal ones for their owner
		return e.OwnerID == 0 || e.OwnerID == cc.op.ID
	case bus.KindPreferences: // an operator's own, to each console of theirs
		return e.OwnerID == cc.op.ID
	case bus.KindChat:
	default:
		return e.Kind.Reloads() // settings and rules, once reloaded here; not invitations
	}
	me, ch := cc.op.ID, e.Chat
	mineNow := ch.OperatorID == me && ch.State == desk.ChatActive
	cc.mu.Lock()
	if mineNow {
		cc.mine[ch.ID] = true
	} else {
		delete(cc.mine, ch.ID)
	}
	cc.mu.Unlock()
	if mineNow && !c.isWatching(ch.ID) {
		c.enqueue(item{frame: e.frameFor(consoles)})
		c.enqueue(item{watch: ch.ID, from: e})
		return false
	}
	return ch.State == desk.ChatWaiting || e.PrevState == desk.ChatWaiting || ch.OperatorID == me || e.PrevOperatorID == me || c.isWatching(ch.ID)
}

func (cc *consoleConn) frame(ctx context.Context, c *Conn, svc ConsoleService, f protocol.ClientFrame) []byte {
	switch f.Type {
	case protocol.TypeMessageSend:
		m, err := svc.OperatorSend(ctx, cc.op, f.ChatID, f.ClientID, f.Body)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"chat_id": m.ChatID, "seq": m.Seq, "client_id": m.ClientID})
	case protocol.TypeChatWatch:
		if err := svc.CheckWatch(ctx, cc.op, f.ChatID); err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		read, err := svc.ReadPosition(ctx, cc.op, f.ChatID)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		c.watchChat(f.ChatID, f.LastSeq)
		c.enqueue(item{catchUp: f.ChatID})
		return protocol.Ack(f.Ref, map[string]any{"chat_id": f.ChatID, "read_seq": read})
	case protocol.TypeChatRead:
		seq, err := svc.MarkRead(ctx, cc.op, f.ChatID, f.Seq)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"chat_id": f.ChatID, "seq": seq})
	case protocol.TypeTyping:
		if err := svc.OperatorTyping(ctx, cc.op, f.ChatID, *f.Active); err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return nil
	case protocol.TypeChatUnwatch:
		cc.mu.Lock()
		mine := cc.mine[f.ChatID]
		cc.mu.Unlock()
		if !mine {
			c.unwatchChat(f.ChatID)
		}
		return nil
	case protocol.TypeVisitorsSubscribe:
		svc.SubscribeVisitors(c)
		return nil
	case protocol.TypeVisitorsUnsubscribe:
		svc.UnsubscribeVisitors(c)
		return nil
	case protocol.TypeHello:
		return protocol.ErrorFrame(f.Ref, string(desk.CodeBadRequest), "hello was already received")
	}
	return errorFrame(c.hub.log, f.Ref, unknownType(f.Type))
}
