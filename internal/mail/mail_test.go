package mail

import (
	"context"
	"strings"
	"testing"

	"outputdesk/internal/mail/mailtest"
	"outputdesk/internal/testwait"
)

func TestSend(t *testing.T) {
	addr, got := mailtest.Start(t)
	m, err := New("smtp://" + addr + "?from=desk@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), testwait.GiveUpAt(t))
	defer cancel()
	if err := m.Send(ctx, "ann@example.com", "Offline message from Ann Lée", "Line one\n.dot line\nÜnïcode"); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.From != "desk@example.com" || len(r.To) != 1 || r.To[0] != "ann@example.com" {
			t.Fatalf("envelope %q → %q", r.From, r.To)
		}
		for _, want := range []string{"From: desk@example.com\r\n", "To: ann@example.com\r\n", "Subject: =?utf-8?q?Offline_message_from_Ann_L=C3=A9e?=\r\n",
			"\r\n\r\nLine one\r\n.dot line\r\nÜnïcode\r\n"} {
			if !strings.Contains(r.Data, want) {
				t.Errorf("mail lacks %q:\n%s", want, r.Data)
			}
		}
	case <-ctx.Done():
		t.Fatal("no mail arrived")
	}
}

func TestNew(t *testing.T) {
	if m, err := New(""); m != nil || err != nil {
		t.Fatalf("no URL: %v, %v", m, err)
	}
	for _, bad := range []string{"http://x", "smtp://", "smtp://mail.example.com", "smtp://mail.example.com?from=nobody"} {
		if _, err := New(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	m, err := New("smtp://u:p%40ss@mail.example.com?from=desk@example.com")
	if err != nil || m.addr != "mail.example.com:587" || m.user != "u" || m.password != "p@ss" {
		t.Fatalf("New = %+v, %v", m, err)
	}
}
