package app_test

import (
	"strings"
	"testing"

	"outputdesk/internal/protocol"
)

// A private note reaches the consoles watching the chat and History, and
// never the visitor: not live, not on their next page, not as a message.
func TestPrivateNotes(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	con := admin.console(nil, false)
	v := s.visitor("/demo/product")
	v.say("Hello")
	chatID := v.chatID
	con.chatState(chatID, "waiting")
	admin.take(chatID)
	con.message("Hello")

	var added struct {
		Note protocol.Note `json:"note"`
	}
	admin.mustDo("POST", "/api/chats/"+itoa(chatID)+"/notes", map[string]any{"body": "  VIP: refund approved  "}, 201, &added)
	if added.Note.Body != "VIP: refund approved" || added.Note.Operator.Name != "Ada Admin" || added.Note.ChatID != chatID {
		t.Fatalf("added note = %+v", added.Note)
	}
	if f := con.nextType("note"); f.obj("note").str("body") != "VIP: refund approved" {
		t.Fatalf("the console heard %v", f)
	}

	// The visitor hears the message after the note, and nothing of the note.
	con.say(chatID, "after the note")
	v.message("after the note")
	for _, f := range v.drain() {
		if strings.Contains(f.str("type"), "note") || strings.Contains(frameText(f), "VIP") {
			t.Fatalf("the widget got %v", f)
		}
	}
	v.reconnect()
	if strings.Contains(frameText(v.welcome), "VIP") {
		t.Fatalf("the widget's welcome holds the note: %v", v.welcome)
	}

	var got struct {
		Messages []protocol.Message `json:"messages"`
		Notes    []protocol.Note    `json:"notes"`
	}
	admin.mustDo("GET", "/api/chats/"+itoa(chatID), nil, 200, &got)
	if len(got.Notes) != 1 || got.Notes[0].Body != "VIP: refund approved" {
		t.Fatalf("GET /api/chats/{id} notes = %+v", got.Notes)
	}
	for _, m := range got.Messages {
		if strings.Contains(m.Body, "VIP") {
			t.Fatalf("the note became a message: %+v", m)
		}
	}
	if n := len(got.Messages); n != 2 || got.Messages[1].Seq != 2 {
		t.Fatalf("messages = %+v, want seq 1 and 2 with no gap", got.Messages)
	}

	// Another operator of the site reads and writes notes too; bad input
	// changes nothing.
	ben := admin.addOperator("Ben Okafor", 1, 2)
	ben.mustDo("POST", "/api/chats/"+itoa(chatID)+"/notes", map[string]any{"body": "seen it"}, 201, nil)
	for _, tc := range []struct {
		name   string
		path   string
		body   any
		status int
	}{
		{"empty", "/api/chats/" + itoa(chatID) + "/notes", map[string]any{"body": " "}, 400},
		{"no body member", "/api/chats/" + itoa(chatID) + "/notes", map[string]any{}, 400},
		{"too long", "/api/chats/" + itoa(chatID) + "/notes", map[string]any{"body": strings.Repeat("x", 4097)}, 413},
		{"unknown chat", "/api/chats/999999/notes", map[string]any{"body": "x"}, 404},
	} {
		if st := ben.do("POST", tc.path, tc.body, nil); st != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, st, tc.status)
		}
	}
	var list struct {
		Notes []protocol.Note `json:"notes"`
	}
	ben.mustDo("GET", "/api/chats/"+itoa(chatID)+"/notes", nil, 200, &list)
	if len(list.Notes) != 2 || list.Notes[1].Operator.Name != "Ben Okafor" {
		t.Fatalf("notes after bad input = %+v", list.Notes)
	}
}

// frameText is a frame as JSON text, to look for a word anywhere in it.
func frameText(f frame) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		case frame:
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case string:
			b.WriteString(x + " ")
		}
	}
	walk(f)
	return b.String()
}

// "Rate this chat": the visitor rates their ended chat; the chat's
// operator sees it live and in the chat's record; bad ratings change
// nothing.
func TestRateChat(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	con := admin.console(nil, false)
	v := s.visitor("/demo/product")
	v.say("Hello")
	chatID := v.chatID
	con.chatState(chatID, "waiting")
	admin.take(chatID)

	rate := func(w *widget, frame map[string]any) frame {
		ref := w.ref()
		frame["type"], frame["ref"] = "chat.rate", ref
		w.send(frame)
		return w.reply(ref)
	}
	if r := rate(v, map[string]any{"chat_id": chatID, "rating": "good"}); r.str("code") != "invalid" {
		t.Fatalf("rating an open chat: %v", r)
	}
	admin.end(chatID)
	v.chatState(chatID, "ended")

	other := s.visitor("/demo/")
	for _, tc := range []struct {
		name  string
		w     *widget
		frame map[string]any
		code  string
	}{
		{"another visitor's chat", other, map[string]any{"chat_id": chatID, "rating": "good"}, "not_found"},
		{"neither good nor bad", v, map[string]any{"chat_id": chatID, "rating": "great"}, "invalid"},
		{"no rating", v, map[string]any{"chat_id": chatID}, "bad_request"},
		{"a comment too long", v, map[string]any{"chat_id": chatID, "rating": "bad", "comment": strings.Repeat("x", 1001)}, "too_large"},
	} {
		if r := rate(tc.w, tc.frame); r.str("code") != tc.code {
			t.Errorf("%s: reply %v, want %s", tc.name, r, tc.code)
		}
	}
	var before struct {
		Chat protocol.Chat `json:"chat"`
	}
	admin.mustDo("GET", "/api/chats/"+itoa(chatID), nil, 200, &before)
	if before.Chat.Rating != nil {
		t.Fatalf("bad ratings stored %+v", before.Chat.Rating)
	}

	if r := rate(v, map[string]any{"chat_id": chatID, "rating": "good", "comment": " Quick and kind "}); r.str("type") != "ack" {
		t.Fatalf("rating: %v", r)
	}
	f := con.nextType("rating")
	if f.num("chat_id") != chatID || f.obj("rating").str("value") != "good" || f.obj("rating").str("comment") != "Quick and kind" {
		t.Fatalf("the operator's console heard %v", f)
	}
	var got struct {
		Chat protocol.Chat `json:"chat"`
	}
	admin.mustDo("GET", "/api/chats/"+itoa(chatID), nil, 200, &got)
	if r := got.Chat.Rating; r == nil || r.Value != "good" || r.Comment != "Quick and kind" {
		t.Fatalf("GET /api/chats/{id} chat.rating = %+v", r)
	}
	// History lists it with its rating, and filters by it.
	var list struct {
		Chats []protocol.Chat `json:"chats"`
	}
	admin.mustDo("GET", "/api/chats?state=ended&rating=good", nil, 200, &list)
	if len(list.Chats) != 1 || list.Chats[0].Rating == nil || list.Chats[0].Rating.Value != "good" {
		t.Fatalf("History rated good = %+v", list.Chats)
	}
	admin.mustDo("GET", "/api/chats?state=ended&rating=bad", nil, 200, &list)
	if len(list.Chats) != 0 {
		t.Fatalf("History rated bad = %+v", list.Chats)
	}
	if st := admin.do("GET", "/api/chats?state=ended&rating=great", nil, nil); st != 400 {
		t.Fatalf("rating=great: %d", st)
	}
	var report struct {
		Ratings struct{ Good, Bad int } `json:"ratings"`
	}
	admin.mustDo("GET", "/api/reports", nil, 200, &report)
	if report.Ratings.Good != 1 || report.Ratings.Bad != 0 {
		t.Fatalf("Reports ratings = %+v, want 1 good", report.Ratings)
	}
}
