package desk

import (
	"testing"
	"time"
)

func TestCheckRead(t *testing.T) {
	c := Chat{ID: 7, SiteID: 1, State: ChatActive, LastSeq: 4}
	op := Operator{ID: 3, SiteID: 1}
	for _, tc := range []struct {
		name string
		op   Operator
		seq  int64
		code Code
	}{
		{"first message", op, 1, ""},
		{"last message", op, 4, ""},
		{"zero", op, 0, CodeInvalid},
		{"past the last", op, 5, CodeInvalid},
		{"another site's operator", Operator{ID: 9, SiteID: 2}, 2, CodeNotFound},
	} {
		err := CheckRead(c, tc.op, tc.seq)
		if (err == nil) != (tc.code == "") || (err != nil && CodeOf(err) != tc.code) {
			t.Errorf("%s: err = %v, want code %q", tc.name, err, tc.code)
		}
	}
}

func TestVisitorTyping(t *testing.T) {
	open := Chat{ID: 7, VisitorID: 5, State: ChatWaiting}
	for _, tc := range []struct {
		name      string
		c         Chat
		active    bool
		draft     string
		preview   bool
		max       int
		wantDraft string
		code      Code
	}{
		{"preview off: no draft", open, true, "my card number", false, 100, "", ""},
		{"preview on: the draft", open, true, "Does it ship", true, 100, "Does it ship", ""},
		{"stopped: no draft", open, false, "Does it ship", true, 100, "", ""},
		{"long draft cut on a character", open, true, "ééé", true, 5, "éé", ""},
		{"ended chat", Chat{ID: 7, State: ChatEnded}, true, "x", true, 100, "", CodeEnded},
	} {
		got, err := VisitorTyping(tc.c, tc.active, tc.draft, tc.preview, tc.max)
		if tc.code != "" {
			if CodeOf(err) != tc.code {
				t.Errorf("%s: err %v, want %s", tc.name, err, tc.code)
			}
			continue
		}
		if err != nil || got.Draft != tc.wantDraft || got.Active != tc.active || got.Author != AuthorVisitor || got.ChatID != 7 || got.VisitorID != 5 {
			t.Errorf("%s: %+v, %v; want draft %q", tc.name, got, err, tc.wantDraft)
		}
	}
}

func TestOperatorTyping(t *testing.T) {
	anna := Operator{ID: 3, SiteID: 1, Name: "Anna Berg"}
	mine := Chat{ID: 7, SiteID: 1, VisitorID: 5, State: ChatActive, OperatorID: 3}
	got, err := OperatorTyping(mine, anna, true)
	if err != nil || got.OperatorName != "Anna Berg" || got.Author != AuthorOperator || !got.Active || got.VisitorID != 5 {
		t.Fatalf("the chat's operator typing: %+v, %v", got, err)
	}
	for name, c := range map[string]Chat{
		"a ticket":           {ID: 7, SiteID: 1, State: ChatWaiting},
		"another's chat":     {ID: 7, SiteID: 1, State: ChatActive, OperatorID: 4},
		"an ended chat":      {ID: 7, SiteID: 1, State: ChatEnded, OperatorID: 3},
		"another site's one": {ID: 7, SiteID: 2, State: ChatActive, OperatorID: 3},
	} {
		if _, err := OperatorTyping(c, anna, true); err == nil {
			t.Errorf("%s: typing allowed", name)
		}
	}
}

func TestAddNote(t *testing.T) {
	c := Chat{ID: 7, SiteID: 1, State: ChatEnded}
	op := Operator{ID: 3, SiteID: 1, Name: "Anna Berg"}
	n, err := AddNote(c, op, "  called them back  ", 20, t0)
	if err != nil || n.Body != "called them back" || n.OperatorName != "Anna Berg" || n.ChatID != 7 || !n.CreatedAt.Equal(t0) {
		t.Fatalf("a note on an ended chat: %+v, %v", n, err)
	}
	for _, tc := range []struct {
		name string
		op   Operator
		body string
		code Code
	}{
		{"empty", op, "   ", CodeInvalid},
		{"too long", op, "123456789012345678901", CodeTooLarge},
		{"another site's operator", Operator{ID: 9, SiteID: 2}, "hi", CodeNotFound},
	} {
		if _, err := AddNote(c, tc.op, tc.body, 20, t0); CodeOf(err) != tc.code {
			t.Errorf("%s: err %v, want %s", tc.name, err, tc.code)
		}
	}
}

func TestRate(t *testing.T) {
	ended := Chat{ID: 7, VisitorID: 5, OperatorID: 3, State: ChatEnded}
	r, err := Rate(ended, 5, RatingGood, "  quick and kind ", t0)
	if err != nil || r.Value != RatingGood || r.Comment != "quick and kind" || r.OperatorID != 3 || r.ChatID != 7 {
		t.Fatalf("Rate = %+v, %v", r, err)
	}
	long := make([]byte, MaxRatingComment+1)
	for i := range long {
		long[i] = 'x'
	}
	for _, tc := range []struct {
		name    string
		c       Chat
		visitor int64
		value   RatingValue
		comment string
		code    Code
	}{
		{"another visitor's chat", ended, 6, RatingGood, "", CodeNotFound},
		{"a chat still open", Chat{ID: 7, VisitorID: 5, State: ChatActive}, 5, RatingGood, "", CodeInvalid},
		{"not good or bad", ended, 5, "meh", "", CodeInvalid},
		{"a comment too long", ended, 5, RatingBad, string(long), CodeTooLarge},
	} {
		if _, err := Rate(tc.c, tc.visitor, tc.value, tc.comment, t0); CodeOf(err) != tc.code {
			t.Errorf("%s: err %v, want %s", tc.name, err, tc.code)
		}
	}
}

func TestTranscriptText(t *testing.T) {
	c := Chat{ID: 7, VisitorID: 5, CreatedAt: t0}
	msgs := []Message{
		{Seq: 1, Author: AuthorVisitor, Body: "Hi", CreatedAt: t0},
		{Seq: 2, Author: AuthorOperator, OperatorName: "Anna Berg", Body: "Hello!", CreatedAt: t0.Add(time.Minute)},
		{Seq: 3, Author: AuthorSystem, Body: "Chat Ended", CreatedAt: t0.Add(2 * time.Minute)},
	}
	want := "Transcript of your chat (2026-11-24)\n\n[2026-11-24 12:00] You: Hi\n[2026-11-24 12:01] Anna Berg: Hello!\n[2026-11-24 12:02] Chat Ended\n"
	if got := TranscriptText(c, msgs, time.UTC); got != want {
		t.Fatalf("TranscriptText =\n%q\nwant\n%q", got, want)
	}
	if err := CheckTranscriptMail(c, Visitor{ID: 6, Email: "a@b.co"}); CodeOf(err) != CodeNotFound {
		t.Errorf("another visitor's chat: %v", err)
	}
	if err := CheckTranscriptMail(c, Visitor{ID: 5}); CodeOf(err) != CodeInvalid {
		t.Errorf("no email: %v", err)
	}
}
