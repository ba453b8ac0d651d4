package desk

import "unicode/utf8"

// Typing is someone in a chat typing, or having stopped: shown live
// ("NAME is typing…" in the widget, "Visitor is typing…" in the console),
// never stored.
type Typing struct {
	ChatID    int64  `json:"chat_id"`
	VisitorID int64  `json:"visitor_id"`
	Author    Author `json:"author"` // AuthorVisitor or AuthorOperator
	// OperatorID and OperatorName: who types, when Author is an operator.
	OperatorID   int64  `json:"operator_id,omitempty"`
	OperatorName string `json:"operator_name,omitempty"`
	Active       bool   `json:"active"`
	// Draft is the visitor's text as typed so far, only while "Message
	// preview" is on.
	Draft string `json:"draft,omitempty"`
}

// VisitorTyping decides what a visitor's typing in their open chat shows:
// the draft travels only with "Message preview" on, and no longer than a
// message may be; stopping carries no draft.
func VisitorTyping(c Chat, active bool, draft string, preview bool, maxBytes int) (Typing, error) {
	if !c.Open() {
		return Typing{}, Errorf(CodeEnded, "This chat has ended")
	}
	t := Typing{ChatID: c.ID, VisitorID: c.VisitorID, Author: AuthorVisitor, Active: active}
	if active && preview {
		t.Draft = cutUTF8(draft, maxBytes)
	}
	return t, nil
}

// OperatorTyping decides whether an operator's typing shows: only the
// operator the chat is with, while it is active, is seen typing.
func OperatorTyping(c Chat, op Operator, active bool) (Typing, error) {
	if err := ofSite(c, op.SiteID); err != nil {
		return Typing{}, err
	}
	if c.State != ChatActive || c.OperatorID != op.ID {
		return Typing{}, Errorf(CodeForbidden, TextTakeBeforeWriting)
	}
	return Typing{ChatID: c.ID, VisitorID: c.VisitorID, Author: AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, Active: active}, nil
}

// cutUTF8 is s cut to at most n bytes, on a character boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
