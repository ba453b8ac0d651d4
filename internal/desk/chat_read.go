package desk

// CheckRead checks the position an operator says they have read a chat to
// (issue 12: unread counts kept on the server, "Seen" in the widget). Any
// operator of the site may read any of its chats, so any of them may mark
// one; the position must be a message the chat has.
func CheckRead(c Chat, op Operator, seq int64) error {
	if err := ofSite(c, op.SiteID); err != nil {
		return err
	}
	if seq < 1 || seq > c.LastSeq {
		return Errorf(CodeInvalid, "seq must be a message of the chat: 1 to %d", c.LastSeq)
	}
	return nil
}

// ReadMark is an operator's read position moving up in a chat: their other
// consoles update their unread counts, and the visitor's tabs show "Seen".
type ReadMark struct {
	ChatID     int64 `json:"chat_id"`
	VisitorID  int64 `json:"visitor_id"`
	OperatorID int64 `json:"operator_id"`
	Seq        int64 `json:"seq"`
}
