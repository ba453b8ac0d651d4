package bustest

import (
	"io"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
)

// NATSURL is the NATS server tests use: OUTPUTDESK_TEST_NATS_URL, or the
// machine's. Tests that need it fail without it; .ci/run starts it.
func NATSURL() string {
	if u := os.Getenv("OUTPUTDESK_TEST_NATS_URL"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

// Link is a TCP proxy between a client and NATS that a test can cut and
// heal, as a network would.
type Link struct {
	URL    string // the link's address, as a URL like the target's
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
}

// NewLink starts a link to target (a nats:// URL); it closes when t ends.
func NewLink(t testing.TB, target string) *Link {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &Link{target: u.Host}
	u.Host = ln.Addr().String()
	l.URL = u.String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go l.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close(); l.Cut() })
	return l
}

func (l *Link) serve(c net.Conn) {
	s, err := net.Dial("tcp", l.target)
	if err != nil {
		c.Close()
		return
	}
	l.mu.Lock()
	if l.cut {
		l.mu.Unlock()
		c.Close()
		s.Close()
		return
	}
	l.conns = append(l.conns, c, s)
	l.mu.Unlock()
	go func() { io.Copy(s, c); s.Close() }()
	io.Copy(c, s)
	c.Close()
}

// Cut drops every connection through the link and refuses new ones.
func (l *Link) Cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = true
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

// Heal lets connections through again.
func (l *Link) Heal() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = false
}
