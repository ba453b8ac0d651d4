package desk

import "time"

// History's words for how a chat ended (issue 12, point 6).
const (
	TextEndedByVisitor = "Ended by the visitor"
	textEndedByPrefix  = "Ended by "
)

// EndedByText says who ended a chat and why, as History shows it: "Ended
// by the visitor", "Ended by NAME" (the operator who clicked "Cancel"),
// or "Due to inactivity, chat has ended" (the inactivity timeout, or the
// visitor left and did not come back). An open chat has none: "".
func EndedByText(c Chat) string {
	if c.State != ChatEnded {
		return ""
	}
	switch {
	case c.EndReason != EndCancel:
		return TextInactivityEnded
	case c.EndedBy == AuthorVisitor:
		return TextEndedByVisitor
	case c.EndedByOperatorName != "":
		return textEndedByPrefix + c.EndedByOperatorName
	}
	return TextChatEnded
}

// EndedKind is History's filter on how chats ended.
type EndedKind string

const (
	EndedByVisitorKind  EndedKind = "visitor"    // the visitor clicked "Cancel"
	EndedByOperatorKind EndedKind = "operator"   // an operator clicked "Cancel"
	EndedByInactivity   EndedKind = "inactivity" // inactivity, or the visitor left
)

// ValidEndedKind reports whether k is one of the kinds History filters on.
func ValidEndedKind(k EndedKind) bool {
	return k == EndedByVisitorKind || k == EndedByOperatorKind || k == EndedByInactivity
}

// WaitTime is how long the chat waited for its first operator: from its
// start to its first assignment. ok is false while it was never assigned.
func WaitTime(c Chat) (d time.Duration, ok bool) { return since(c.CreatedAt, c.FirstAssignedAt) }

// FirstResponseTime is from the chat's start to the first message an
// operator wrote in it. A manual invitation's text is not a response: it
// was written before the visitor asked anything.
func FirstResponseTime(c Chat) (time.Duration, bool) { return since(c.CreatedAt, c.FirstResponseAt) }

// ChatDuration is from the chat's start to its end; ok is false while open.
func ChatDuration(c Chat) (time.Duration, bool) { return since(c.CreatedAt, c.EndedAt) }

// Missed reports whether a chat ended while waiting without ever having
// been assigned: nobody answered it.
func Missed(c Chat) bool { return c.State == ChatEnded && c.FirstAssignedAt.IsZero() }

func since(start, end time.Time) (time.Duration, bool) {
	if end.IsZero() || start.IsZero() {
		return 0, false
	}
	if end.Before(start) {
		return 0, true
	}
	return end.Sub(start), true
}
