package accounts

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/proxies"
)

// maxThrottled bounds each of the throttle's maps: a client trying endless
// emails or addresses cannot grow memory without limit. Past it, counts that
// lapsed go first, then arbitrary ones (forgetting a count only lets an
// attempt through sooner).
const maxThrottled = 100_000

// throttle counts failed log-ins per account (email) and per client address
// on this node, from its own log-ins and every other node's (bus events), so
// that a load balancer spreading a guesser's attempts over nodes gains it
// nothing. desk.LoginWait decides.
type throttle struct {
	mu        sync.Mutex
	accounts  map[string]desk.LoginFailures
	addresses map[netip.Addr]desk.LoginFailures
}

func newThrottle() *throttle {
	return &throttle{accounts: map[string]desk.LoginFailures{}, addresses: map[netip.Addr]desk.LoginFailures{}}
}

// wait is how long an attempt on email from client must wait.
func (t *throttle) wait(email string, client netip.Addr, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := desk.LoginWait(t.accounts[email], desk.LoginAccountFree, now)
	if client.IsValid() {
		w = max(w, desk.LoginWait(t.addresses[client], desk.LoginAddressFree, now))
	}
	return w
}

// record counts a failed log-in, or forgets the counts of a successful one;
// it returns the account's count now.
func (t *throttle) record(email string, client netip.Addr, failed bool, now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !failed {
		delete(t.accounts, email)
		delete(t.addresses, client)
		return 0
	}
	f := t.accounts[email].Failed(now)
	t.accounts[email] = f
	bound(t.accounts, now)
	if client.IsValid() {
		t.addresses[client] = t.addresses[client].Failed(now)
		bound(t.addresses, now)
	}
	return f.Count
}

func bound[K comparable](m map[K]desk.LoginFailures, now time.Time) {
	if len(m) <= maxThrottled {
		return
	}
	for k, f := range m {
		if f.Forgotten(now) {
			delete(m, k)
		}
	}
	for k := range m {
		if len(m) <= maxThrottled*9/10 {
			break
		}
		delete(m, k)
	}
}

// emailKey is how an email is counted: as log-in reads it, whatever its case.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// tooMany refuses an attempt that must wait.
func tooMany(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	e := desk.Errorf(desk.CodeTooMany, "Too many failed log-ins. Try again in %s.", inWords(secs))
	e.RetryAfter = wait
	return e
}

func inWords(secs int) string {
	switch {
	case secs <= 1:
		return "1 second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	case secs < 120:
		return "1 minute"
	default:
		return fmt.Sprintf("%d minutes", (secs+59)/60)
	}
}

// loginAttempt counts a log-in's outcome here and tells the other nodes.
func (s *Service) loginAttempt(ctx context.Context, email string, failed bool) {
	client := proxies.ClientOf(ctx)
	s.throttle.record(emailKey(email), client, failed, s.d.Clock.Now())
	s.d.Announce.Login(s.d.SiteID(), bus.LoginAttempt{Node: s.d.Node, Email: emailKey(email), Client: client, Failed: failed})
}

// HeardLogin counts another node's log-in attempt (a bus event); this
// node's own come back too and were counted already.
func (s *Service) HeardLogin(a bus.LoginAttempt) {
	if a.Node == s.d.Node {
		return
	}
	n := s.throttle.record(a.Email, a.Client, a.Failed, s.d.Clock.Now())
	s.d.Log.Debug("heard a log-in attempt", "node", a.Node, "failed", a.Failed, "account_failures", n)
}
