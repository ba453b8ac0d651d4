package app_test

// Log-in throttling (docs/protocol.md, "Log-in throttling"): failed
// log-ins per account and per client address make the next attempts wait,
// answered 429 with Retry-After before the password is checked, on every
// node.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"outputdesk/internal/config"
)

// tryLogin posts a log-in from client (X-Forwarded-For; "" for none) and
// returns the status, Retry-After and error code.
func tryLogin(t *testing.T, s *server, client, email, password string) (int, string, string) {
	t.Helper()
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	req, _ := http.NewRequestWithContext(s.ctx, "POST", s.base+"/api/session", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if client != "" {
		req.Header.Set("X-Forwarded-For", client)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Code  string `json:"code"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil && res.StatusCode != 200 {
		t.Fatalf("log-in answer %d: %v", res.StatusCode, err)
	}
	if res.StatusCode == 429 && !strings.HasPrefix(out.Error, "Too many failed log-ins. Try again in ") {
		t.Errorf("429 says %q", out.Error)
	}
	return res.StatusCode, res.Header.Get("Retry-After"), out.Code
}

func TestLoginThrottledPerAccount(t *testing.T) {
	s := startServer(t)
	s.firstAdmin()
	const email, right = "ada@example.com", "correct horse"

	for i := 1; i <= 5; i++ {
		if st, _, _ := tryLogin(t, s, "", email, "wrong"); st != 401 {
			t.Fatalf("wrong password #%d: %d, want 401", i, st)
		}
	}
	// The account must wait now, even with the right password, and however
	// its email is written.
	st, after, code := tryLogin(t, s, "", " ADA@example.com", right)
	if st != 429 || after != "30" || code != "too_many_requests" {
		t.Fatalf("after 5 failures: %d Retry-After %q code %q, want 429, 30, too_many_requests", st, after, code)
	}
	// A refused attempt is not a failure: the wait does not grow.
	s.advance(29 * time.Second)
	if st, after, _ := tryLogin(t, s, "", email, "wrong"); st != 429 || after != "1" {
		t.Fatalf("1 s before the end: %d Retry-After %q, want 429 and 1", st, after)
	}
	s.advance(time.Second)
	// One more failure doubles the wait.
	if st, _, _ := tryLogin(t, s, "", email, "wrong"); st != 401 {
		t.Fatalf("once the wait is over a wrong password gets %d, want 401", st)
	}
	if st, after, _ := tryLogin(t, s, "", email, right); st != 429 || after != "60" {
		t.Fatalf("after 6 failures: %d Retry-After %q, want 429 and 60", st, after)
	}
	s.advance(time.Minute)
	if st, _, _ := tryLogin(t, s, "", email, right); st != 200 {
		t.Fatalf("the right password after the wait: %d, want 200", st)
	}
	// A log-in forgets the failures: 5 more are free again.
	for i := 1; i <= 5; i++ {
		if st, _, _ := tryLogin(t, s, "", email, "wrong"); st != 401 {
			t.Fatalf("after a log-in, wrong password #%d: %d, want 401", i, st)
		}
	}
	// Other accounts are not held up by this one's failures.
	if st, _, _ := tryLogin(t, s, "", "nobody@example.com", "x"); st != 401 {
		t.Fatalf("another account: %d, want 401", st)
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.TrustedProxies = "127.0.0.1" })
	s.firstAdmin()
	const guesser, colleague = "198.51.100.7", "198.51.100.8"
	// One try at each of 20 accounts: no account reaches its limit, the
	// address does.
	for i := 1; i <= 20; i++ {
		if st, _, _ := tryLogin(t, s, guesser, fmt.Sprintf("user%d@example.com", i), "guess"); st != 401 {
			t.Fatalf("guess #%d: %d, want 401", i, st)
		}
	}
	if st, after, _ := tryLogin(t, s, guesser, "ada@example.com", "correct horse"); st != 429 || after != "30" {
		t.Fatalf("the guessing address after 20 failures: %d Retry-After %q, want 429 and 30", st, after)
	}
	if st, _, _ := tryLogin(t, s, colleague, "ada@example.com", "correct horse"); st != 200 {
		t.Fatalf("another address: %d, want 200", st)
	}
}

func TestLoginThrottleAcrossNodes(t *testing.T) {
	c := startCluster(t, 2)
	a, b := c.nodes[0], c.nodes[1]
	c.setup()
	for i := 1; i <= 5; i++ {
		if st, _, _ := tryLogin(t, a.server, "", "ada@example.com", "wrong"); st != 401 {
			t.Fatalf("wrong password #%d on A: %d, want 401", i, st)
		}
	}
	b.logs.Await(t, "account_failures=5")
	if st, after, _ := tryLogin(t, b.server, "", "ada@example.com", "correct horse"); st != 429 || after == "" {
		t.Fatalf("on B after 5 failures on A: %d Retry-After %q, want 429 with Retry-After", st, after)
	}
}
