// Package mail sends Output Desk's few emails — an offline message to the
// team's notification address, a transcript a visitor asks for — through
// the SMTP server --smtp-url names. The standard library's net/smtp does
// it: STARTTLS when the server offers it, PLAIN auth when the URL has a
// user.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Mailer sends plain-text mail through one SMTP server.
type Mailer struct {
	addr, host, from string
	user, password   string
}

// New reads an smtp://[user:password@]host[:port]?from=address URL (port
// 587 when left out). An empty URL is no mail: nil, nil.
func New(raw string) (*Mailer, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, errors.New("--smtp-url must look like smtp://user:password@mail.example.com:587?from=desk@example.com")
	}
	from := u.Query().Get("from")
	if from == "" || strings.ContainsAny(from, "\r\n<>") || !strings.Contains(from, "@") {
		return nil, errors.New("--smtp-url needs ?from=address, the sender of Output Desk's mail")
	}
	port := u.Port()
	if port == "" {
		port = "587"
	}
	m := &Mailer{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname(), from: from}
	if u.User != nil {
		m.user = u.User.Username()
		m.password, _ = u.User.Password()
	}
	return m, nil
}

// Send sends one plain-text message. to must be a bare address (desk
// checks every address a visitor gives); subject and body are any text.
func (m *Mailer) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n<>") {
		return fmt.Errorf("mail: bad recipient %q", to)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: m.host}); err != nil {
			return fmt.Errorf("mail: starttls: %w", err)
		}
	}
	if m.user != "" {
		if err := c.Auth(smtp.PlainAuth("", m.user, m.password, m.host)); err != nil {
			return fmt.Errorf("mail: auth: %w", err)
		}
	}
	if err := c.Mail(m.from); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: data: %w", err)
	}
	if _, err := w.Write(message(m.from, to, subject, body, time.Now())); err != nil {
		return fmt.Errorf("mail: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return c.Quit()
}

// message is the mail as sent: headers (the subject encoded, so any text
// is one safe line) and the body with CRLF line ends.
func message(from, to, subject, body string, now time.Time) []byte {
	var b strings.Builder
	b.WriteString("From: " + from + "\r\n")
	b.WriteString("To: " + to + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", strings.Join(strings.Fields(subject), " ")) + "\r\n")
	b.WriteString("Date: " + now.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	// the data writer ends lines with CRLF and doubles a leading dot
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		b.WriteString(line + "\r\n")
	}
	return []byte(b.String())
}
