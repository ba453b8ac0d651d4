package desk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// OfflineMessage is what a visitor leaves with "Leave a message" while no
// operator is Online; operators list it under "Offline messages" and mark
// it "Handled".
type OfflineMessage struct {
	ID        int64
	SiteID    int64
	VisitorID int64
	Name      string
	Email     string
	Body      string
	Page      Page // where the visitor was
	CreatedAt time.Time

	HandledAt     time.Time // zero until an operator marks it "Handled"
	HandledBy     int64
	HandledByName string
}

// Handled reports whether an operator has marked it "Handled".
func (m OfflineMessage) Handled() bool { return !m.HandledAt.IsZero() }

// LeaveMessage decides a visitor's "Leave a message": an email to answer
// to and a message are required, a name is optional; the message is at
// most a chat message's size.
func LeaveMessage(v Visitor, name, email, body string, page Page, maxBytes int, at time.Time) (OfflineMessage, error) {
	name, email, body = strings.TrimSpace(name), strings.TrimSpace(email), strings.TrimSpace(body)
	if utf8.RuneCountInString(name) > MaxVisitorName || strings.ContainsAny(name, "\r\n") {
		return OfflineMessage{}, Errorf(CodeInvalid, "A name is one line of at most %d characters", MaxVisitorName)
	}
	if email == "" {
		return OfflineMessage{}, Errorf(CodeInvalid, "Please give your email, so that we can answer")
	}
	if err := CheckEmail(email); err != nil {
		return OfflineMessage{}, err
	}
	if body == "" {
		return OfflineMessage{}, Errorf(CodeInvalid, "The message is empty")
	}
	if len(body) > maxBytes {
		return OfflineMessage{}, Errorf(CodeTooLarge, "Message is longer than %d bytes", maxBytes)
	}
	return OfflineMessage{SiteID: v.SiteID, VisitorID: v.ID, Name: name, Email: email, Body: body, Page: page, CreatedAt: at}, nil
}

// CheckHandle: any operator of the site may mark its offline messages.
func CheckHandle(m OfflineMessage, op Operator) error {
	if m.SiteID != op.SiteID {
		return NotFound("offline message")
	}
	return nil
}
