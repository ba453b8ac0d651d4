package desk

import (
	"strings"
	"time"
)

// TranscriptText is a chat as its visitor saw it, as plain text with times
// and names ("You" for the visitor): what "Email me the transcript" sends.
// It is made from messages only, so private notes are never in it.
func TranscriptText(c Chat, msgs []Message, loc *time.Location) string {
	var b strings.Builder
	b.WriteString("Transcript of your chat (" + c.CreatedAt.In(loc).Format("2006-01-02") + ")\n\n")
	for _, m := range msgs {
		b.WriteString("[" + m.CreatedAt.In(loc).Format("2006-01-02 15:04") + "] ")
		switch m.Author {
		case AuthorVisitor:
			b.WriteString("You: ")
		case AuthorOperator:
			b.WriteString(m.OperatorName + ": ")
		}
		if m.File != nil {
			// a file is listed by name and size: the transcript is text
			b.WriteString("File: " + m.File.Name + " (" + SizeText(m.File.Size) + ")\n")
			continue
		}
		b.WriteString(m.Body + "\n")
	}
	return b.String()
}

// CheckTranscriptMail: a visitor may have their own chat's transcript
// mailed, to the email they gave.
func CheckTranscriptMail(c Chat, v Visitor) error {
	if c.VisitorID != v.ID {
		return NotFound("chat")
	}
	if v.Email == "" {
		return Errorf(CodeInvalid, "Give your email first")
	}
	return nil
}
