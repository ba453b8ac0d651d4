package realtime

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// VisitorService is what the visitor socket needs from the application.
type VisitorService interface {
	SiteByKey(ctx context.Context, key string) (desk.Site, error)
	// IdentifyVisitor finds the visitor of token, or creates one with a new
	// token when token is empty or unknown, on the page its tab opens with.
	IdentifyVisitor(ctx context.Context, site desk.Site, token, userAgent string, page protocol.PageIn) (v desk.Visitor, newToken string, err error)
	// VisitorState is what a tab shows on (re)connecting: the open chat (or
	// chatID if it ended since), its messages after lastSeq, the open
	// invitation.
	VisitorState(ctx context.Context, v desk.Visitor, chatID, lastSeq int64) (VisitorState, error)
	TabOpened(v desk.Visitor, tab uint64, page protocol.PageIn, visible bool)
	TabPage(v desk.Visitor, tab uint64, page protocol.PageIn, visible bool)
	TabClosed(v desk.Visitor, tab uint64)
	VisitorSend(ctx context.Context, v desk.Visitor, clientID, body string) (desk.Message, error)
	VisitorEnd(ctx context.Context, v desk.Visitor) (desk.Chat, error)
	DismissInvitation(ctx context.Context, v desk.Visitor, invitationID int64) error
	// VisitorTyping shows the operators of the visitor's open chat that
	// they type (with the draft under "Message preview"), or have stopped.
	VisitorTyping(ctx context.Context, v desk.Visitor, active bool, draft string) error
	// LeaveMessage keeps a "Leave a message" left while no operator is Online.
	LeaveMessage(ctx context.Context, v desk.Visitor, name, email, body string) (desk.OfflineMessage, error)
	// EmailTranscript mails the visitor their chat's transcript; CanMail
	// says whether mail is set up (the widget offers it only then).
	EmailTranscript(ctx context.Context, v desk.Visitor, chatID int64) error
	CanMail() bool
	// OperatorsOnline reports whether an operator is Online: if not, the
	// widget offers "Leave a message".
	OperatorsOnline() bool
	// IdentifyAs keeps the name and email the visitor gives.
	IdentifyAs(ctx context.Context, v desk.Visitor, name, email string) (desk.Visitor, error)
	// RateChat keeps the visitor's "Rate this chat" of their ended chat.
	RateChat(ctx context.Context, v desk.Visitor, chatID int64, rating, comment string) error
	// LauncherOffset lifts the widget's button above the page's bottom.
	LauncherOffset() int
	// Appearance is Settings > Appearance: the widget's look, and whether
	// operators' names reach visitors at all.
	Appearance() desk.Appearance
	// PreChat is Settings > "Pre-chat form": what the widget asks first.
	PreChat() protocol.PreChat
	// MessagePreview is Settings > "Message preview": the widget sends the
	// visitor's draft while they type only when it is on.
	MessagePreview() bool
	MaxMessageBytes() int
	Now() time.Time
}

// VisitorState is a tab's view on (re)connecting.
type VisitorState struct {
	Chat       *desk.Chat
	Messages   []desk.Message
	Invitation *desk.Invitation
	// SeenSeq is how far an operator has read Chat: the visitor's messages
	// up to it show "Seen".
	SeenSeq int64
}

var tabIDs atomic.Uint64

// VisitorHandler serves GET /ws/visitor?site_key=KEY.
func (h *Hub) VisitorHandler(svc VisitorService) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.refuseFull(w) {
			return
		}
		ws, err := h.visitorUpgrader.Upgrade(w, r, nil)
		if err != nil {
			return // the upgrader has answered
		}
		c := newConn(ws, h)
		if !h.track(c) {
			c.refuse(websocket.CloseTryAgainLater, "try again later")
			return
		}
		// The opening runs here, on net/http's goroutine, which goes when
		// the handler returns: its stack, grown by JSON and SQLite, and the
		// 8 KiB of buffers it holds for the hijacked connection go with it.
		// The socket's reader, parked all day, starts afresh on a goroutine
		// of its own with the smallest stack.
		h.serving.Add(1)
		vs := openVisitor(c, svc, r.URL.Query().Get("site_key"), r.Header.Get("Origin"), r.Header.Get("User-Agent"))
		if vs == nil {
			c.shutdown()
			h.serving.Done()
			return
		}
		go vs.read()
	})
}

// read reads the socket's frames until it ends, then shuts it down.
func (vs *visitorSocket) read() {
	defer vs.c.hub.serving.Done()
	defer vs.c.shutdown()
	limit, _ := vs.c.hub.frameLimits()
	vs.c.readLoop(limit, protocol.VisitorFrameMembers, vs.frame)
}

// visitorSocket is what a visitor socket keeps for its life, once open:
// one small record for every tab on the site, all day.
type visitorSocket struct {
	c   *Conn
	svc VisitorService
	v   desk.Visitor // its user agent and token hash left out: only the opening reads them
	tab uint64
}

func (vs *visitorSocket) closed() { vs.svc.TabClosed(vs.v, vs.tab) }

func (vs *visitorSocket) frame(f protocol.ClientFrame) []byte {
	return visitorFrame(context.Background(), vs.c, vs.svc, vs.v, vs.tab, f)
}

// openVisitor runs a visitor socket's opening: the site and origin, the
// hello, the visitor, the welcome. It returns nil when it has closed the
// socket.
func openVisitor(c *Conn, svc VisitorService, siteKey, origin, headerUA string) *visitorSocket {
	ctx := context.Background()
	site, err := svc.SiteByKey(ctx, siteKey)
	if err != nil {
		c.closeNow(CloseUnknownSite, "unknown site key")
		return nil
	}
	// A missing Origin (every browser sends one) passes only where any
	// origin does ("*"): a site that names its origins gets only those.
	if !site.OriginAllowed(origin) {
		c.closeNow(CloseForbidden, "origin not allowed")
		return nil
	}
	hello, ok := c.readHello()
	if !ok || hello.Page == nil || strings.TrimSpace(hello.Page.URL) == "" {
		c.closeNow(CloseBadHello, "first frame must be hello with a page")
		return nil
	}
	ua := hello.UserAgent
	if ua == "" {
		ua = headerUA
	}
	v, token, err := svc.IdentifyVisitor(ctx, site, hello.Token, ua, *hello.Page)
	if err != nil {
		c.hub.log.Error("identify visitor", "err", err)
		c.closeNow(websocket.CloseInternalServerErr, "try again")
		return nil
	}
	tab := tabIDs.Add(1)
	look := svc.Appearance()
	c.onEvent, c.audience = visitorFilter, widgets
	if !look.OperatorNames {
		// For the socket's life: a tab follows a change at its next page,
		// as it does every appearance setting.
		c.audience = anonWidgets
	}
	c.hold()
	c.hub.joinVisitor(c, site.ID, v.ID)
	svc.TabOpened(v, tab, *hello.Page, hello.Visible == nil || *hello.Visible)
	vs := &visitorSocket{c: c, svc: svc, v: v, tab: tab}
	vs.v.UserAgent, vs.v.TokenHash = "", ""
	c.onClose = vs.closed

	// A visitor made just now (its token is new) has no chat and no
	// invitation yet: one that comes meanwhile is held until the welcome.
	var st VisitorState
	if token == hello.Token {
		st, err = svc.VisitorState(ctx, v, hello.ChatID, hello.LastSeq)
		if err != nil {
			c.hub.log.Error("visitor state", "err", err)
			c.closeNow(websocket.CloseInternalServerErr, "try again")
			return nil
		}
	}
	if c.audience == anonWidgets {
		st = anonymousState(st)
	}
	c.writeNow(welcomeFrame(token, v, st, svc, look))
	if st.Chat != nil {
		var last int64
		if n := len(st.Messages); n > 0 {
			last = st.Messages[n-1].Seq
		} else if hello.ChatID == st.Chat.ID {
			last = hello.LastSeq
		}
		c.watchChat(st.Chat.ID, last)
		c.enqueue(item{catchUp: st.Chat.ID})
	}
	c.release()
	c.armPing()
	return vs
}

// visitorFilter: a chat event for the visitor also starts watching the
// chat, so a new chat's messages reach every tab.
func visitorFilter(c *Conn, e *event) bool {
	if e.Kind == bus.KindChat && e.Chat.State != desk.ChatEnded && !c.isWatching(e.Chat.ID) {
		c.enqueue(item{frame: e.frameFor(c.audience)})
		c.enqueue(item{watch: e.Chat.ID, from: e})
		return false
	}
	switch e.Kind {
	case bus.KindChat, bus.KindMessage, bus.KindInvitation, bus.KindRead, bus.KindTyping, bus.KindAvailability:
		return true
	}
	return false
}

// widgetWelcome is the visitor's welcome frame (docs/protocol.md): a
// struct rather than a map, as it is written for every page of the site.
type widgetWelcome struct {
	Type            string               `json:"type"`
	Token           string               `json:"token"`
	Visitor         protocol.VisitorRef  `json:"visitor"`
	Chat            *protocol.WidgetChat `json:"chat"`
	Messages        []protocol.Message   `json:"messages"`
	Invitation      *protocol.Invitation `json:"invitation"`
	SeenSeq         int64                `json:"seen_seq"`
	MessagePreview  bool                 `json:"message_preview"`
	PreChat         protocol.PreChat     `json:"pre_chat"`
	OperatorsOnline bool                 `json:"operators_online"`
	Mail            bool                 `json:"mail"`
	LauncherOffset  int                  `json:"launcher_offset"`
	protocol.Appearance
	MaxMessageBytes int           `json:"max_message_bytes"`
	ServerTime      protocol.Time `json:"server_time"`
}

func welcomeFrame(token string, v desk.Visitor, st VisitorState, svc VisitorService, look desk.Appearance) []byte {
	w := widgetWelcome{Type: "welcome", Token: token, Visitor: protocol.VisitorRef{ID: v.ID, Name: v.Name, Email: v.Email},
		Messages: protocol.MessagesOf(st.Messages), SeenSeq: st.SeenSeq, MessagePreview: svc.MessagePreview(), PreChat: svc.PreChat(), OperatorsOnline: svc.OperatorsOnline(), Mail: svc.CanMail(), LauncherOffset: svc.LauncherOffset(),
		MaxMessageBytes: svc.MaxMessageBytes(), ServerTime: protocol.Time(svc.Now()), Appearance: protocol.AppearanceOf(look)}
	if st.Chat != nil {
		c := protocol.WidgetChatOf(*st.Chat)
		w.Chat = &c
	}
	if st.Invitation != nil {
		inv := protocol.InvitationOf(*st.Invitation)
		w.Invitation = &inv
	}
	b, err := json.Marshal(w)
	if err != nil {
		panic("realtime: welcome does not encode: " + err.Error())
	}
	return b
}

// anonymousState is a tab's view without operators' names.
func anonymousState(st VisitorState) VisitorState {
	if st.Chat != nil {
		c := desk.AnonymousChat(*st.Chat)
		st.Chat = &c
	}
	if st.Invitation != nil {
		inv := desk.AnonymousInvitation(*st.Invitation)
		st.Invitation = &inv
	}
	st.Messages = desk.AnonymousMessages(st.Messages)
	return st
}

// visitorFrame handles one frame after hello and returns the reply, if any.
func visitorFrame(ctx context.Context, c *Conn, svc VisitorService, v desk.Visitor, tab uint64, f protocol.ClientFrame) []byte {
	switch f.Type {
	case protocol.TypePage:
		if f.Page == nil || f.Page.URL == "" {
			return protocol.ErrorFrame(f.Ref, string(desk.CodeBadRequest), "page needs a page with a url")
		}
		svc.TabPage(v, tab, *f.Page, f.Visible == nil || *f.Visible)
		return nil
	case protocol.TypeMessageSend:
		m, err := svc.VisitorSend(ctx, v, f.ClientID, f.Body)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"chat_id": m.ChatID, "seq": m.Seq, "client_id": m.ClientID})
	case protocol.TypeChatEnd:
		chat, err := svc.VisitorEnd(ctx, v)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"chat_id": chat.ID})
	case protocol.TypeInvitationDismiss:
		if err := svc.DismissInvitation(ctx, v, f.InvitationID); err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"invitation_id": f.InvitationID})
	case protocol.TypeTranscriptEmail:
		if err := svc.EmailTranscript(ctx, v, f.ChatID); err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"chat_id": f.ChatID})
	case protocol.TypeOfflineMessage:
		m, err := svc.LeaveMessage(ctx, v, f.Name, f.Email, f.Body)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"offline_message_id": m.ID})
	case protocol.TypeVisitorIdentify:
		who, err := svc.IdentifyAs(ctx, v, f.Name, f.Email)
		if err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"visitor": map[string]any{"id": who.ID, "name": who.Name, "email": who.Email}})
	case protocol.TypeChatRate:
		if err := svc.RateChat(ctx, v, f.ChatID, f.Rating, f.Comment); err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return protocol.Ack(f.Ref, map[string]any{"chat_id": f.ChatID})
	case protocol.TypeTyping:
		if err := svc.VisitorTyping(ctx, v, *f.Active, f.Draft); err != nil {
			return errorFrame(c.hub.log, f.Ref, err)
		}
		return nil
	case protocol.TypeHello:
		return protocol.ErrorFrame(f.Ref, string(desk.CodeBadRequest), "hello was already received")
	}
	return errorFrame(c.hub.log, f.Ref, unknownType(f.Type))
}
