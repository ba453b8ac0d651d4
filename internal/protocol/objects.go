// Package protocol is docs/protocol.md in Go: the JSON objects and frames the
// widget, the console and the REST API exchange, and their conversion from
// the domain. When this package changes, docs/protocol.md changes with it.
package protocol

import (
	"time"

	"outputdesk/internal/desk"
)

// Time is an RFC 3339 UTC time with milliseconds; the zero time is null.
type Time time.Time

func (t Time) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + tt.UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// Page is where a visitor is.
type Page struct {
	URL      string `json:"url"`
	Title    string `json:"title"`
	Referrer string `json:"referrer"`
}

func PageOf(p desk.Page) Page { return Page{URL: p.URL, Title: p.Title, Referrer: p.Referrer} }

// PageIn is a page as the widget reports it, with its page-load id.
type PageIn struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Title    string `json:"title"`
	Referrer string `json:"referrer"`
}

func (p PageIn) Desk() desk.Page {
	return desk.Page{URL: p.URL, Title: p.Title, Referrer: p.Referrer}.Clean()
}

// OperatorRef names an operator.
type OperatorRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func operatorRef(id int64, name string) *OperatorRef {
	if id == 0 {
		return nil
	}
	return &OperatorRef{ID: id, Name: name}
}

// Operator is an operator account as the console sees it.
type Operator struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	Role          string `json:"role"`
	PriorityLevel int    `json:"priority_level"`
	ChatLimit     int    `json:"chat_limit"`
	Status        string `json:"status"`
	ActiveChats   int    `json:"active_chats"`
}

// OperatorOf shows o with the status routing sees and their load.
func OperatorOf(o desk.Operator, status desk.Status, active int) Operator {
	return Operator{ID: o.ID, Name: o.Name, Email: o.Email, Role: string(o.Role), PriorityLevel: o.PriorityLevel,
		ChatLimit: o.ChatLimit, Status: string(status), ActiveChats: active}
}

// Message is one line of a chat.
type Message struct {
	ChatID    int64        `json:"chat_id"`
	Seq       int64        `json:"seq"`
	Author    string       `json:"author"`
	Operator  *OperatorRef `json:"operator"`
	Body      string       `json:"body"`
	ClientID  *string      `json:"client_id"`
	CreatedAt Time         `json:"created_at"`
	File      *File        `json:"file"`
}

func MessageOf(m desk.Message) Message {
	out := Message{ChatID: m.ChatID, Seq: m.Seq, Author: string(m.Author), Body: m.Body, CreatedAt: Time(m.CreatedAt), File: fileOf(m.File)}
	if m.Author == desk.AuthorOperator {
		out.Operator = operatorRef(m.OperatorID, m.OperatorName)
	}
	if m.ClientID != "" {
		id := m.ClientID
		out.ClientID = &id
	}
	return out
}

// OfflineMessage is one of "Offline messages".
type OfflineMessage struct {
	ID        int64        `json:"id"`
	VisitorID int64        `json:"visitor_id"`
	Name      string       `json:"name"`
	Email     string       `json:"email"`
	Message   string       `json:"message"`
	Page      Page         `json:"page"`
	CreatedAt Time         `json:"created_at"`
	HandledAt *Time        `json:"handled_at"`
	HandledBy *OperatorRef `json:"handled_by"`
}

func OfflineMessageOf(m desk.OfflineMessage) OfflineMessage {
	out := OfflineMessage{ID: m.ID, VisitorID: m.VisitorID, Name: m.Name, Email: m.Email, Message: m.Body,
		Page: Page{URL: m.Page.URL, Title: m.Page.Title}, CreatedAt: Time(m.CreatedAt)}
	if m.Handled() {
		at := Time(m.HandledAt)
		out.HandledAt, out.HandledBy = &at, operatorRef(m.HandledBy, m.HandledByName)
	}
	return out
}

func OfflineMessagesOf(ms []desk.OfflineMessage) []OfflineMessage {
	out := make([]OfflineMessage, len(ms))
	for i, m := range ms {
		out[i] = OfflineMessageOf(m)
	}
	return out
}

// Rating is a visitor's "Rate this chat".
type Rating struct {
	Value   string `json:"value"`
	Comment string `json:"comment"`
	RatedAt Time   `json:"rated_at"`
}

func RatingOf(r desk.Rating) Rating {
	return Rating{Value: string(r.Value), Comment: r.Comment, RatedAt: Time(r.At)}
}

// VisitorRef is a chat's visitor as consoles see them: the email only once
// they gave one (pre-chat form, OutputDesk.identify).
type VisitorRef struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// Note is a private note on a chat: consoles only.
type Note struct {
	ID        int64       `json:"id"`
	ChatID    int64       `json:"chat_id"`
	Operator  OperatorRef `json:"operator"`
	Body      string      `json:"body"`
	CreatedAt Time        `json:"created_at"`
}

func NoteOf(n desk.Note) Note {
	return Note{ID: n.ID, ChatID: n.ChatID, Operator: OperatorRef{ID: n.OperatorID, Name: n.OperatorName}, Body: n.Body, CreatedAt: Time(n.CreatedAt)}
}

func NotesOf(ns []desk.Note) []Note {
	out := make([]Note, len(ns))
	for i, n := range ns {
		out[i] = NoteOf(n)
	}
	return out
}

func MessagesOf(ms []desk.Message) []Message {
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = MessageOf(m)
	}
	return out
}

// RoutingEntry is one routing decision recorded with a chat.
type RoutingEntry struct {
	At         Time     `json:"at"`
	Kind       string   `json:"kind"`
	Text       string   `json:"text"`
	PassedOver []string `json:"passed_over"`
}

// Chat is a chat as the console sees it.
type Chat struct {
	ID             int64          `json:"id"`
	State          string         `json:"state"`
	Visitor        VisitorRef     `json:"visitor"`
	Operator       *OperatorRef   `json:"operator"`
	StartedBy      string         `json:"started_by"`
	InvitationID   *int64         `json:"invitation_id"`
	Page           Page           `json:"page"`
	CreatedAt      Time           `json:"created_at"`
	AssignedAt     Time           `json:"assigned_at"`
	LastSeq        int64          `json:"last_seq"`
	LastMessage    *Message       `json:"last_message"`
	Version        int64          `json:"version"`
	Routing        []RoutingEntry `json:"routing"`
	VisitorPresent bool           `json:"visitor_present"`
	VisitorLeftAt  Time           `json:"visitor_left_at"`
	EndsAt         Time           `json:"ends_at"`
	EndedAt        Time           `json:"ended_at"`
	EndedBy        *string        `json:"ended_by"`
	EndedByOp      *OperatorRef   `json:"ended_by_operator"`
	EndReason      *string        `json:"end_reason"`
	EndText        *string        `json:"end_text"`
	ServerTime     Time           `json:"server_time"`
	// Rating is the visitor's "Rate this chat"; null until given.
	Rating *Rating `json:"rating"`
	History
}

func ChatOf(c desk.Chat, now time.Time) Chat {
	out := Chat{
		ID: c.ID, State: string(c.State), Visitor: VisitorRef{ID: c.VisitorID, Name: c.VisitorName, Email: c.VisitorEmail},
		Operator: operatorRef(c.OperatorID, c.OperatorName), StartedBy: string(c.StartedBy),
		Page: PageOf(c.Page), CreatedAt: Time(c.CreatedAt), AssignedAt: Time(c.AssignedAt), LastSeq: c.LastSeq, Version: c.Version,
		Routing: make([]RoutingEntry, len(c.Routing)), VisitorPresent: c.VisitorLeftAt.IsZero(), VisitorLeftAt: Time(c.VisitorLeftAt),
		EndsAt: Time(c.Deadline), EndedAt: Time(c.EndedAt), ServerTime: Time(now),
	}
	if c.Rating != nil {
		r := RatingOf(*c.Rating)
		out.Rating = &r
	}
	if c.InvitationID != 0 {
		id := c.InvitationID
		out.InvitationID = &id
	}
	if c.LastMessage != nil {
		m := MessageOf(*c.LastMessage)
		out.LastMessage = &m
	}
	for i, e := range c.Routing {
		passed := e.PassedOver
		if passed == nil {
			passed = []string{}
		}
		out.Routing[i] = RoutingEntry{At: Time(e.At), Kind: string(e.Kind), Text: e.Text, PassedOver: passed}
	}
	out.EndedBy, out.EndReason, out.EndText = endOf(c)
	out.EndedByOp = operatorRef(c.EndedByOperatorID, c.EndedByOperatorName)
	out.History = HistoryOf(c)
	return out
}

func endOf(c desk.Chat) (by, reason, text *string) {
	if c.State != desk.ChatEnded {
		return nil, nil, nil
	}
	b, r, t := string(c.EndedBy), string(c.EndReason), desk.EndText(c.EndReason)
	return &b, &r, &t
}

// WidgetChat is a chat as the widget sees it.
type WidgetChat struct {
	ID        int64        `json:"id"`
	State     string       `json:"state"`
	Operator  *OperatorRef `json:"operator"`
	LastSeq   int64        `json:"last_seq"`
	EndedBy   *string      `json:"ended_by"`
	EndedByOp *OperatorRef `json:"ended_by_operator"`
	EndReason *string      `json:"end_reason"`
	EndText   *string      `json:"end_text"`
}

func WidgetChatOf(c desk.Chat) WidgetChat {
	out := WidgetChat{ID: c.ID, State: string(c.State), Operator: operatorRef(c.OperatorID, c.OperatorName), LastSeq: c.LastSeq,
		EndedByOp: operatorRef(c.EndedByOperatorID, c.EndedByOperatorName)}
	out.EndedBy, out.EndReason, out.EndText = endOf(c)
	return out
}

// Invitation is a proactive chat invitation.
type Invitation struct {
	ID        int64        `json:"id"`
	Kind      string       `json:"kind"`
	Text      string       `json:"text"`
	Operator  *OperatorRef `json:"operator"`
	State     string       `json:"state"`
	CreatedAt Time         `json:"created_at"`
}

func InvitationOf(inv desk.Invitation) Invitation {
	return Invitation{ID: inv.ID, Kind: string(inv.Kind), Text: inv.Text, Operator: operatorRef(inv.OperatorID, inv.OperatorName),
		State: string(inv.State), CreatedAt: Time(inv.CreatedAt)}
}

// PageView is one page a visitor viewed.
type PageView struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Referrer  string `json:"referrer"`
	StartedAt Time   `json:"started_at"`
}

func PageViewsOf(pvs []desk.PageView) []PageView {
	out := make([]PageView, len(pvs))
	for i, pv := range pvs {
		out[i] = PageView{URL: pv.Page.URL, Title: pv.Page.Title, Referrer: pv.Page.Referrer, StartedAt: Time(pv.StartedAt)}
	}
	return out
}

// VisitorRow is one row of the Visitor List.
type VisitorRow struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Page           Page   `json:"page"`
	PageStartedAt  Time   `json:"page_started_at"`
	VisitStartedAt Time   `json:"visit_started_at"`
	PagesViewed    int    `json:"pages_viewed"`
	Referrer       string `json:"referrer"`
	Browser        string `json:"browser"`
	OS             string `json:"os"`
	Status         string `json:"status"`
	ChatID         *int64 `json:"chat_id"`
	InvitationID   *int64 `json:"invitation_id"`
	CanInvite      bool   `json:"can_invite"`
}

// Settings are a site's console settings.
type Settings struct {
	ChatRule                 string   `json:"chat_rule"`
	InvitationText           string   `json:"invitation_text"`
	InactivityTimeoutSeconds int      `json:"inactivity_timeout_seconds"`
	LeftTimeoutSeconds       int      `json:"left_timeout_seconds"`
	AllowedOrigins           []string `json:"allowed_origins"`
	MessagePreview           bool     `json:"message_preview"`
	PreChat                  PreChat  `json:"pre_chat"`
	NotifyEmail              string   `json:"notify_email"`
	LauncherOffset           int      `json:"launcher_offset"`
	Appearance
	SiteKey string `json:"site_key"`
	FileSettings
}

// PreChat is the "Pre-chat form": each field "off", "optional" or
// "required".
type PreChat struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Question string `json:"question"`
}

func PreChatOf(f desk.PreChatForm) PreChat {
	return PreChat{Name: f.Name.String(), Email: f.Email.String(), Question: f.Question.String()}
}

func SettingsOf(s desk.Settings, site desk.Site) Settings {
	origins := site.AllowedOrigins
	if origins == nil {
		origins = []string{}
	}
	return Settings{FileSettings: FileSettingsOf(s), ChatRule: string(s.ChatRule), InvitationText: s.InvitationText,
		InactivityTimeoutSeconds: int(s.InactivityTimeout / time.Second), LeftTimeoutSeconds: int(s.LeftTimeout / time.Second),
		AllowedOrigins: origins, MessagePreview: s.MessagePreview, PreChat: PreChatOf(s.PreChat), NotifyEmail: s.NotifyEmail, LauncherOffset: s.LauncherOffset, SiteKey: site.Key,
		Appearance: AppearanceOf(s.Appearance)}
}

// Condition is one test of an action rule.
type Condition struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

// ActionRule is a Chat Routing rule.
type ActionRule struct {
	ID               int64       `json:"id"`
	Name             string      `json:"name"`
	Enabled          bool        `json:"enabled"`
	Position         int         `json:"position"`
	Conditions       []Condition `json:"conditions"`
	TargetOperatorID int64       `json:"target_operator_id"`
}

func ActionRuleOf(r desk.ActionRule) ActionRule {
	out := ActionRule{ID: r.ID, Name: r.Name, Enabled: r.Enabled, Position: r.Position, TargetOperatorID: r.TargetOperatorID, Conditions: []Condition{}}
	for _, c := range r.Conditions {
		out.Conditions = append(out.Conditions, Condition{Field: string(c.Field), Op: string(c.Op), Value: c.Value})
	}
	return out
}

func (r ActionRule) Desk(siteID int64) desk.ActionRule {
	out := desk.ActionRule{ID: r.ID, SiteID: siteID, Name: r.Name, Enabled: r.Enabled, TargetOperatorID: r.TargetOperatorID}
	for _, c := range r.Conditions {
		out.Conditions = append(out.Conditions, desk.Condition{Field: desk.Field(c.Field), Op: desk.Op(c.Op), Value: c.Value})
	}
	return out
}

// URLCondition is an invitation rule's page condition.
type URLCondition struct {
	Op    string `json:"op"`
	Value string `json:"value"`
}

// InvitationRule is a "Send Invitation" chat rule.
type InvitationRule struct {
	ID                   int64         `json:"id"`
	Name                 string        `json:"name"`
	Enabled              bool          `json:"enabled"`
	URL                  *URLCondition `json:"url"`
	MinTimeOnPageSeconds int           `json:"min_time_on_page_seconds"`
	MinPagesViewed       int           `json:"min_pages_viewed"`
	Message              string        `json:"message"`
}

func InvitationRuleOf(r desk.InvitationRule) InvitationRule {
	out := InvitationRule{ID: r.ID, Name: r.Name, Enabled: r.Enabled, MinTimeOnPageSeconds: int(r.MinTimeOnPage / time.Second),
		MinPagesViewed: r.MinPagesViewed, Message: r.Message}
	if r.URL != nil {
		out.URL = &URLCondition{Op: string(r.URL.Op), Value: r.URL.Value}
	}
	return out
}

func (r InvitationRule) Desk(siteID int64) desk.InvitationRule {
	out := desk.InvitationRule{ID: r.ID, SiteID: siteID, Name: r.Name, Enabled: r.Enabled,
		MinTimeOnPage: time.Duration(r.MinTimeOnPageSeconds) * time.Second, MinPagesViewed: r.MinPagesViewed, Message: r.Message}
	if r.URL != nil {
		out.URL = &desk.Condition{Field: desk.FieldURL, Op: desk.Op(r.URL.Op), Value: r.URL.Value}
	}
	return out
}

// RoutingTest is the rule tester's answer.
type RoutingTest struct {
	Operator   *OperatorRef `json:"operator"`
	Kind       string       `json:"kind"`
	Text       string       `json:"text"`
	PassedOver []string     `json:"passed_over"`
}

func RoutingTestOf(d desk.Decision) RoutingTest {
	passed := d.PassedOver
	if passed == nil {
		passed = []string{}
	}
	return RoutingTest{Operator: operatorRef(d.OperatorID, d.OperatorName), Kind: string(d.Kind), Text: d.Text, PassedOver: passed}
}
