package realtime

import "time"

// Frame rate limits (issue 10): each socket may send Burst frames at once
// and Rate a second after that. A frame over its budget is not refused: its
// reader waits for the budget before reading on, so a flooding client is
// slowed by its own TCP window while the server spends nothing on it. One
// that keeps flooding — more than Strikes frames over budget without once
// letting its budget fill up again — is closed with CloseTooManyFrames.
type FrameLimit struct {
	Rate    float64 // frames a second, sustained
	Burst   int     // frames at once
	Strikes int     // frames over budget before the socket is closed
}

// The limits are generous for people: a visitor types, moves between pages
// and opens the panel, a few frames a second at most. A console is a
// logged-in operator, and one operator may answer many chats through one
// console (odload's messages benchmark sends 25 a second from each), so
// its limit only stops a runaway loop.
var (
	VisitorFrameLimit = FrameLimit{Rate: 10, Burst: 30, Strikes: 100}
	ConsoleFrameLimit = FrameLimit{Rate: 100, Burst: 200, Strikes: 1000}
)

// CloseTooManyFrames closes a socket that kept sending over its budget.
const CloseTooManyFrames = 4429

// frameBucket is one socket's budget: a token bucket on the clock it is
// given (the hub's injected one).
type frameBucket struct {
	limit   FrameLimit
	tokens  float64
	at      time.Time // when tokens was computed
	strikes int
}

func newFrameBucket(l FrameLimit, now time.Time) *frameBucket {
	return &frameBucket{limit: l, tokens: float64(l.Burst), at: now}
}

// take spends one frame's budget at now. It returns how long the reader
// must wait before handling the frame (zero: at once), and false when the
// socket has struck out and must be closed.
func (b *frameBucket) take(now time.Time) (time.Duration, bool) {
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = min(float64(b.limit.Burst), b.tokens+elapsed.Seconds()*b.limit.Rate)
		b.at = now
	}
	if b.tokens >= float64(b.limit.Burst) {
		b.strikes = 0 // calm again
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	b.strikes++
	if b.strikes > b.limit.Strikes {
		return 0, false
	}
	wait := time.Duration((1 - b.tokens) / b.limit.Rate * float64(time.Second))
	// The frame is paid for now; the reader sleeps until the budget has
	// grown back to zero.
	b.tokens--
	return wait, true
}
