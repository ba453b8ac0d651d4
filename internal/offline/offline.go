// Package offline is "Leave a message" (issue 13): what a visitor leaves
// while no operator is Online, listed in the console under "Offline
// messages" and marked "Handled" there. desk decides, the store keeps, the
// bus tells every node's consoles.
package offline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/clock"
	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// Deps are what the service needs.
type Deps struct {
	Store    store.Store
	Clock    clock.Clock
	Announce bus.Announcer
	// MaxMessageBytes bounds a message, as it bounds a chat's.
	MaxMessageBytes int
	// CurrentPage is where the visitor is now, on any node.
	CurrentPage func(visitorID int64) (desk.Page, bool)
	// Mail, if set (--smtp-url), sends each message to NotifyEmail.
	Mail        Sender
	NotifyEmail func() string
	// Life is what a mail in flight runs under; Log hears a failed send.
	Life context.Context
	Log  *slog.Logger
}

// Sender sends a plain-text mail (internal/mail).
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SendTimeout bounds one mail's SMTP conversation.
const SendTimeout = time.Minute

// Service is the site's offline messages.
type Service struct{ d Deps }

// New builds the service.
func New(d Deps) *Service { return &Service{d: d} }

// listed is how many of the newest the console lists.
const listed = 200

// LeaveMessage keeps a visitor's message with the page they are on.
func (s *Service) LeaveMessage(ctx context.Context, v desk.Visitor, name, email, body string) (desk.OfflineMessage, error) {
	page, _ := s.d.CurrentPage(v.ID)
	m, err := desk.LeaveMessage(v, name, email, body, page, s.d.MaxMessageBytes, s.d.Clock.Now())
	if err != nil {
		return m, err
	}
	if m, err = s.d.Store.AddOfflineMessage(ctx, m); err != nil {
		return m, err
	}
	s.d.Announce.OfflineMessage(m)
	s.mail(m)
	return m, nil
}

// mail sends the message to the notification address, when there is one
// and mail is set up. The message is kept either way: the node that kept
// it sends it once, in the background, and logs a failure.
func (s *Service) mail(m desk.OfflineMessage) {
	to := ""
	if s.d.NotifyEmail != nil {
		to = s.d.NotifyEmail()
	}
	if s.d.Mail == nil || to == "" {
		return
	}
	from := m.Email
	if m.Name != "" {
		from = m.Name + " (" + m.Email + ")"
	}
	body := fmt.Sprintf("%s left a message on %s:\n\n%s\n\nPage: %s\nReply to: %s\n\nSee \"Offline messages\" in the console.\n",
		from, m.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), m.Body, m.Page.URL, m.Email)
	go func() {
		ctx, cancel := context.WithTimeout(s.d.Life, SendTimeout)
		defer cancel()
		if err := s.d.Mail.Send(ctx, to, "Offline message from "+from, body); err != nil {
			s.d.Log.Error("mail an offline message", "offline_message", m.ID, "err", err)
		}
	}()
}

// OfflineMessages is the site's, newest first.
func (s *Service) OfflineMessages(ctx context.Context, op desk.Operator) ([]desk.OfflineMessage, error) {
	return s.d.Store.OfflineMessages(ctx, op.SiteID, listed)
}

// MarkHandled marks one "Handled"; marking it again changes nothing.
func (s *Service) MarkHandled(ctx context.Context, op desk.Operator, id int64) (desk.OfflineMessage, error) {
	m, err := s.d.Store.OfflineMessage(ctx, id)
	if err != nil {
		return m, err
	}
	if err := desk.CheckHandle(m, op); err != nil {
		return desk.OfflineMessage{}, err
	}
	m, changed, err := s.d.Store.MarkOfflineHandled(ctx, id, op.ID, s.d.Clock.Now())
	if err == nil && changed {
		s.d.Announce.OfflineMessage(m)
	}
	return m, err
}
