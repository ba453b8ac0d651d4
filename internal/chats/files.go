package chats

import (
	"context"
	"errors"

	"outputdesk/internal/desk"
	"outputdesk/internal/ids"
	"outputdesk/internal/store"
)

// FileRules are Settings' "Largest file" and "Allowed file types".
type FileRules struct {
	Limit int64
	Types []string
}

// file checks an upload against the rules and makes the message that
// sends it: the file's type from its bytes, its name as the body.
func (s *Service) file(up desk.Upload, m desk.Message) (desk.Message, error) {
	rules := s.d.FileRules()
	if int64(len(up.Data)) > rules.Limit {
		return m, desk.TooLarge(rules.Limit)
	}
	name := desk.FileName(up.Name)
	if _, err := desk.CleanMessage(name, up.ClientID, s.d.MaxMessageBytes); err != nil {
		return m, err
	}
	t, err := desk.SniffFile(up.Data, rules.Types)
	if err != nil {
		return m, err
	}
	m.Body, m.ClientID = name, up.ClientID
	m.File = &desk.File{Name: name, Type: t, Data: up.Data, CreatedAt: m.CreatedAt}
	return m, nil
}

// VisitorSendFile sends a file into the visitor's own open chat. A file
// starts no chat: the widget offers files once a chat is open.
func (s *Service) VisitorSendFile(ctx context.Context, v desk.Visitor, chatID int64, up desk.Upload) (desk.Message, error) {
	if err := s.uploads.take(uploadKey{visitor: v.ID}, s.d.Clock.Now()); err != nil {
		return desk.Message{}, err
	}
	m, err := s.file(up, desk.Message{Author: desk.AuthorVisitor, CreatedAt: s.d.Clock.Now()})
	if err != nil {
		return desk.Message{}, err
	}
	t := s.d.Timeouts()
	chat, stored, created, err := s.d.Store.AddMessage(ctx, store.ChatRef{ID: chatID}, m, func(c desk.Chat) (desk.ChatChange, error) {
		return desk.WriteFileAsVisitor(c, v, m, t)
	})
	// a retry's ack comes back whoever asks: only the chat's visitor gets it
	if err == nil && (chat.VisitorID != v.ID || stored.Author != desk.AuthorVisitor) {
		return desk.Message{}, desk.NotFound("chat")
	}
	if err == nil && created {
		s.d.Announce.Message(stored)
		s.d.Wake(chat.Deadline)
	}
	return stored, err
}

// OperatorSendFile sends a file into a chat assigned to the operator, as
// a message: only the chat's operator writes in it.
func (s *Service) OperatorSendFile(ctx context.Context, op desk.Operator, chatID int64, up desk.Upload) (desk.Message, error) {
	if err := s.uploads.take(uploadKey{operator: op.ID}, s.d.Clock.Now()); err != nil {
		return desk.Message{}, err
	}
	m, err := s.file(up, desk.Message{Author: desk.AuthorOperator, OperatorID: op.ID, OperatorName: op.Name, CreatedAt: s.d.Clock.Now()})
	if err != nil {
		return desk.Message{}, err
	}
	_, stored, created, err := s.d.Store.AddMessage(ctx, store.ChatRef{ID: chatID}, m, func(c desk.Chat) (desk.ChatChange, error) {
		return desk.WriteAsOperator(c, op)
	})
	if err == nil && created {
		s.d.Announce.Message(stored)
	}
	return stored, err
}

// VisitorOf is the visitor a token names on the site (an HTTP request of
// the widget's, which carries the token the socket's welcome gave).
func (s *Service) VisitorOf(ctx context.Context, site desk.Site, token string) (desk.Visitor, error) {
	if token == "" {
		return desk.Visitor{}, desk.Errorf(desk.CodeUnauthorized, "A visitor token is required")
	}
	v, err := s.d.Store.VisitorByToken(ctx, site.ID, ids.Hash(token))
	if errors.Is(err, desk.ErrNotFound) {
		return v, desk.Errorf(desk.CodeUnauthorized, "Unknown visitor token")
	}
	return v, err
}

// VisitorFile is a file of one of the visitor's own chats, with its bytes.
func (s *Service) VisitorFile(ctx context.Context, v desk.Visitor, fileID int64) (desk.File, error) {
	f, err := s.d.Store.File(ctx, fileID)
	if err != nil {
		return desk.File{}, err
	}
	chat, err := s.d.Store.Chat(ctx, f.ChatID)
	if errors.Is(err, desk.ErrNotFound) {
		return desk.File{}, desk.NotFound("file")
	}
	if err != nil {
		return desk.File{}, err
	}
	return f, desk.ReadFileAsVisitor(f, chat, v)
}

// OperatorFile is a file of any chat of the operator's site.
func (s *Service) OperatorFile(ctx context.Context, op desk.Operator, fileID int64) (desk.File, error) {
	f, err := s.d.Store.File(ctx, fileID)
	if err != nil {
		return desk.File{}, err
	}
	return f, desk.ReadFileAsOperator(f, op)
}
