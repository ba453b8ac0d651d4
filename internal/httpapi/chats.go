package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// chatFilter reads GET /api/chats's query.
func chatFilter(r *http.Request) (store.ChatFilter, error) {
	q := r.URL.Query()
	var f store.ChatFilter
	if st := q.Get("state"); st != "" {
		switch desk.ChatState(st) {
		case desk.ChatWaiting, desk.ChatActive, desk.ChatEnded:
			f.States = []desk.ChatState{desk.ChatState(st)}
		default:
			return f, desk.Errorf(desk.CodeInvalid, "state must be waiting, active or ended")
		}
	}
	ints := []struct {
		name string
		dst  *int64
	}{{"operator_id", &f.OperatorID}, {"visitor_id", &f.VisitorID}, {"before_id", &f.BeforeID}}
	for _, p := range ints {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return f, desk.Errorf(desk.CodeInvalid, "%s must be a number", p.name)
			}
			*p.dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return f, desk.Errorf(desk.CodeInvalid, "limit must be 1 to 200")
		}
		f.Limit = n
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
		add  time.Duration
	}{{"from", &f.From, 0}, {"to", &f.To, 24 * time.Hour}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				return f, desk.Errorf(desk.CodeInvalid, "%s must be a date such as 2026-11-24", d.name)
			}
			*d.dst = t.Add(d.add) // "to" is inclusive: up to the end of that day
		}
	}
	f.Text = q.Get("q")
	return f, nil
}

func (s *server) listChats(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	f, err := chatFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	chats, err := s.svc.ListChats(r.Context(), op, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.svc.Now()
	out := make([]protocol.Chat, len(chats))
	for i, c := range chats {
		out[i] = protocol.ChatOf(c, now)
	}
	writeJSON(w, 200, map[string]any{"chats": out})
}

func (s *server) getChat(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	chat, msgs, err := s.svc.ChatWithMessages(r.Context(), op, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, map[string]any{"chat": protocol.ChatOf(chat, s.svc.Now()), "messages": protocol.MessagesOf(msgs)})
}

// chatCommand runs a command on the chat of the route's {id} and answers
// with the chat.
func (s *server) chatCommand(w http.ResponseWriter, r *http.Request, run func(id int64) (desk.Chat, error)) {
	id, err := pathID(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	chat, err := run(id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, 200, protocol.ChatOf(chat, s.svc.Now()))
}

func (s *server) takeChat(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	s.chatCommand(w, r, func(id int64) (desk.Chat, error) { return s.svc.TakeChat(r.Context(), op, id) })
}

func (s *server) endChat(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	s.chatCommand(w, r, func(id int64) (desk.Chat, error) { return s.svc.OperatorEnd(r.Context(), op, id) })
}

func (s *server) transferChat(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	var in protocol.TransferRequest
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.chatCommand(w, r, func(id int64) (desk.Chat, error) { return s.svc.TransferChat(r.Context(), op, id, in.OperatorID) })
}
