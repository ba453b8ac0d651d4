package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/reports"
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
	loc, err := reports.TimeZone(q.Get("tz"))
	if err != nil {
		return f, err
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
		add  int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, loc)
			if err != nil {
				return f, desk.Errorf(desk.CodeInvalid, "%s must be a date such as 2026-11-24", d.name)
			}
			*d.dst = t.AddDate(0, 0, d.add) // "to" is inclusive: up to the end of that day
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, desk.Errorf(desk.CodeInvalid, "from (%s) is after to (%s)", q.Get("from"), q.Get("to"))
	}
	f.Text = q.Get("q")
	return f, historyFilter(q, &f)
}

func (s *server) listChats(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
	f, err := chatFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	chats, err := s.svc.ListChats(r.Context(), op, f)
	now := s.svc.Now()
	out := make([]protocol.Chat, len(chats))
	for i, c := range chats {
		out[i] = protocol.ChatOf(c, now)
	}
	s.respond(w, r, 200, map[string]any{"chats": out}, err)
}

func (s *server) getChat(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	chat, msgs, notes, err := s.svc.ChatRecord(r.Context(), op, id)
	s.respond(w, r, 200, map[string]any{"chat": protocol.ChatOf(chat, s.svc.Now()), "messages": protocol.MessagesOf(msgs), "notes": protocol.NotesOf(notes)}, err)
}

func (s *server) listNotes(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	notes, err := s.svc.Notes(r.Context(), op, id)
	s.respond(w, r, 200, map[string]any{"notes": protocol.NotesOf(notes)}, err)
}

func (s *server) addNote(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.NoteRequest) {
	n, err := s.svc.AddNote(r.Context(), op, id, in.Body)
	s.respond(w, r, 201, map[string]any{"note": protocol.NoteOf(n)}, err)
}

// chatAnswer answers a command on a chat with the chat.
func (s *server) chatAnswer(w http.ResponseWriter, r *http.Request, chat desk.Chat, err error) {
	s.respond(w, r, 200, protocol.ChatOf(chat, s.svc.Now()), err)
}

func (s *server) takeChat(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	chat, err := s.svc.TakeChat(r.Context(), op, id)
	s.chatAnswer(w, r, chat, err)
}

func (s *server) endChat(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	chat, err := s.svc.OperatorEnd(r.Context(), op, id)
	s.chatAnswer(w, r, chat, err)
}

func (s *server) transferChat(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in protocol.TransferRequest) {
	chat, err := s.svc.TransferChat(r.Context(), op, id, in.OperatorID)
	s.chatAnswer(w, r, chat, err)
}
