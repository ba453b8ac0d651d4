package desk

import "time"

// Log-in throttling (issue 10): failed log-ins are counted per account and
// per client address, across every node. Up to a threshold they cost
// nothing; past it, each further attempt must wait, longer after each
// failure, up to LoginMaxWait. A quiet LoginWindow after the last failure
// forgets them, and so does a successful log-in (for its account and
// address). While an attempt must wait it is refused before the password is
// checked, and a refused attempt is not a failure: it neither lengthens the
// wait nor tells a guesser anything.
const (
	// LoginAccountFree and LoginAddressFree are the failures allowed before
	// the next attempt waits: few for one account, more for one address,
	// since an office or a phone network shares one.
	LoginAccountFree = 5
	LoginAddressFree = 20
	// LoginFirstWait is the wait after the first failure past the free
	// ones; each further failure doubles it, up to LoginMaxWait.
	LoginFirstWait = 30 * time.Second
	LoginMaxWait   = 15 * time.Minute
	// LoginWindow is how long after its last failure a count is kept.
	LoginWindow = 15 * time.Minute
)

// LoginFailures is the count of failed log-ins of one account or address.
type LoginFailures struct {
	Count int
	Last  time.Time
}

// Forgotten reports whether the count has lapsed by now.
func (f LoginFailures) Forgotten(now time.Time) bool {
	return f.Count == 0 || !now.Before(f.Last.Add(LoginWindow))
}

// Failed is the count after one more failure at now.
func (f LoginFailures) Failed(now time.Time) LoginFailures {
	if f.Forgotten(now) {
		f.Count = 0
	}
	return LoginFailures{Count: f.Count + 1, Last: now}
}

// LoginWait is how long from now the next attempt must wait, given free
// failures allowed; zero when it may go ahead.
func LoginWait(f LoginFailures, free int, now time.Time) time.Duration {
	if f.Forgotten(now) || f.Count < free {
		return 0
	}
	wait := LoginFirstWait
	for i := free; i < f.Count && wait < LoginMaxWait; i++ {
		wait *= 2
	}
	wait = min(wait, LoginMaxWait)
	if left := f.Last.Add(wait).Sub(now); left > 0 {
		return left
	}
	return 0
}
