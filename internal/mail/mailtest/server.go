// Package mailtest starts a real SMTP server (github.com/emersion/go-smtp)
// on a free port of 127.0.0.1 for tests, and hands over every mail it
// gets. Tests only: no code of Output Desk's own is replaced by it.
package mailtest

import (
	"io"
	"net"
	"testing"

	"github.com/emersion/go-smtp"
)

// Mail is one mail the server got: the envelope and the data as sent.
type Mail struct {
	From string
	To   []string
	Data string
}

// Start serves until the test ends. addr is host:port.
func Start(t testing.TB) (addr string, got <-chan Mail) {
	t.Helper()
	ch := make(chan Mail, 100)
	s := smtp.NewServer(backend{ch})
	s.Domain, s.AllowInsecureAuth = "localhost", true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return l.Addr().String(), ch
}

type backend struct{ ch chan Mail }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{ch: b.ch}, nil }

type session struct {
	ch  chan Mail
	cur Mail
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.cur.From = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.cur.Data = string(b)
	s.ch <- s.cur
	return err
}
func (s *session) Reset()        { s.cur = Mail{} }
func (s *session) Logout() error { return nil }
