package app_test

// Behind a reverse proxy (docs/configuration.md, --public-url and
// --trusted-proxies): the session cookie is Secure when browsers reach us
// over HTTPS, and a client's address comes from X-Forwarded-For only when a
// trusted proxy wrote it.

import (
	"net/http"
	"strings"
	"testing"

	"outputdesk/internal/config"
	"outputdesk/internal/protocol"
)

// createAdminRaw creates the first admin with extra headers and returns the
// answer's session cookie.
func createAdminRaw(t *testing.T, s *server, header http.Header) *http.Cookie {
	t.Helper()
	body := `{"name":"Ada Admin","email":"ada@example.com","password":"correct horse"}`
	req, _ := http.NewRequestWithContext(s.ctx, "POST", s.base+"/api/setup/admin", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("create admin: %d", res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == protocol.SessionCookie {
			return c
		}
	}
	t.Fatal("no session cookie in the answer")
	return nil
}

func TestSessionCookieSecureBehindTLS(t *testing.T) {
	cases := []struct {
		name      string
		publicURL string
		trusted   string
		proto     string
		want      bool
	}{
		{"plain http, no proxy", "", "", "", false},
		{"https public URL", "https://desk.example.test", "", "", true},
		{"http public URL", "http://desk.example.test", "", "", false},
		{"trusted proxy says https", "", "127.0.0.1", "https", true},
		{"untrusted peer says https", "", "10.0.0.0/8", "https", false},
		{"trusted proxy says http", "", "127.0.0.0/8", "http", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := startServer(t, func(cfg *config.Config) { cfg.PublicURL, cfg.TrustedProxies = c.publicURL, c.trusted })
			h := http.Header{}
			if c.proto != "" {
				h.Set("X-Forwarded-Proto", c.proto)
			}
			cookie := createAdminRaw(t, s, h)
			if cookie.Secure != c.want {
				t.Errorf("session cookie Secure = %v, want %v", cookie.Secure, c.want)
			}
			if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie lost HttpOnly or SameSite=Strict: %+v", cookie)
			}
		})
	}
}

func TestClientAddressFromTrustedProxyOnly(t *testing.T) {
	forwarded := http.Header{"X-Forwarded-For": {"6.6.6.6, 198.51.100.7"}}

	trusting := startServer(t, func(cfg *config.Config) { cfg.TrustedProxies = "127.0.0.1" })
	createAdminRaw(t, trusting, forwarded)
	if !trusting.logs.Has("client=198.51.100.7") {
		t.Errorf("behind a trusted proxy the client is the address it forwarded (198.51.100.7); log:\n%s", trusting.logs)
	}
	if trusting.logs.Has("client=6.6.6.6") {
		t.Errorf("an address the client wrote itself was believed")
	}

	wary := startServer(t, func(cfg *config.Config) { cfg.TrustedProxies = "10.0.0.0/8" })
	createAdminRaw(t, wary, forwarded)
	if !wary.logs.Has("operator logged in") || !wary.logs.Has("client=127.0.0.1") {
		t.Errorf("from an untrusted peer the client is the peer (127.0.0.1); log:\n%s", wary.logs)
	}
	if wary.logs.Has("client=198.51.100.7") {
		t.Errorf("X-Forwarded-For from an untrusted peer was believed")
	}
}

func TestBadProxyConfigRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--trusted-proxies", "localhost"},
		{"--trusted-proxies", "10.0.0.0/40"},
		{"--public-url", "desk.example.com"},
		{"--public-url", "ftp://desk.example.com"},
	} {
		if _, err := config.Load(args, func(string) string { return "" }, nil); err == nil {
			t.Errorf("config.Load(%q) accepted it", args)
		}
	}
}
