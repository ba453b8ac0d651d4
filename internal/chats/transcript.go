package chats

import (
	"context"
	"time"

	"outputdesk/internal/desk"
)

// Sender sends a plain-text mail (internal/mail).
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// CanMail reports whether "Email me the transcript" can be offered.
func (s *Service) CanMail() bool { return s.d.Mail != nil }

// EmailTranscript mails a visitor their chat's transcript, to the email
// they gave, in the background: no private note is in it (it is made from
// messages). A failure is logged.
func (s *Service) EmailTranscript(ctx context.Context, v desk.Visitor, chatID int64) error {
	if s.d.Mail == nil {
		return desk.Errorf(desk.CodeUnavailable, "Mail is not set up")
	}
	cur, err := s.d.Store.Visitor(ctx, v.ID)
	if err != nil {
		return err
	}
	chat, err := s.d.Store.Chat(ctx, chatID)
	if err != nil {
		return err
	}
	if err := desk.CheckTranscriptMail(chat, cur); err != nil {
		return err
	}
	msgs, err := s.d.Store.Messages(ctx, chatID, 0, 0)
	if err != nil {
		return err
	}
	if s.d.Appearance != nil && !s.d.Appearance().OperatorNames {
		msgs = desk.AnonymousMessages(msgs)
	}
	text := desk.TranscriptText(chat, msgs, time.UTC)
	go func() {
		ctx, cancel := context.WithTimeout(s.d.Life, time.Minute)
		defer cancel()
		if err := s.d.Mail.Send(ctx, cur.Email, "Your chat transcript", text); err != nil {
			s.d.Log.Error("mail a transcript", "chat", chatID, "err", err)
		}
	}()
	return nil
}
