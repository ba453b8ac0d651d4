package desk

import (
	"strings"
	"time"
)

// Note is a private note on a chat: operators write and read it; it never
// reaches the visitor, their widget or a transcript of theirs. Notes are
// kept apart from messages, so a chat's messages — all the visitor ever
// sees — stay numbered 1, 2, 3… with no gaps.
type Note struct {
	ID           int64
	ChatID       int64
	OperatorID   int64
	OperatorName string
	Body         string
	CreatedAt    time.Time
}

// AddNote decides a note: any operator of the chat's site may write one,
// on a chat in any state (a follow-up on an ended chat too); the body is a
// message's size at most.
func AddNote(c Chat, op Operator, body string, maxBytes int, at time.Time) (Note, error) {
	if err := ofSite(c, op.SiteID); err != nil {
		return Note{}, err
	}
	body = strings.TrimSpace(body)
	if len(body) > maxBytes {
		return Note{}, Errorf(CodeTooLarge, "Note is longer than %d bytes", maxBytes)
	}
	if body == "" {
		return Note{}, Errorf(CodeInvalid, "Note is empty")
	}
	return Note{ChatID: c.ID, OperatorID: op.ID, OperatorName: op.Name, Body: body, CreatedAt: at}, nil
}
