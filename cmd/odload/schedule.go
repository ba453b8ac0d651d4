package main

import (
	"context"
	"time"
)

// schedule is an open-loop arrival plan: event k is due at start + k/rate,
// for the events that fall before start + dur. Events fire when due
// whatever the server has answered so far, so a slow server shows up as
// latency and a backlog, not as a politely lower send rate.
type schedule struct {
	start time.Time
	dur   time.Duration
	rate  float64 // events per second
}

// total is how many events the plan holds.
func (s schedule) total() int {
	return int(s.dur.Seconds() * s.rate)
}

// at is when event k is due.
func (s schedule) at(k int) time.Time {
	return s.start.Add(time.Duration(float64(k) / s.rate * float64(time.Second)))
}

// due is how many events are due by now: those with at(k) ≤ now.
func (s schedule) due(now time.Time) int {
	if now.Before(s.start) {
		return 0
	}
	n := int(now.Sub(s.start).Seconds()*s.rate) + 1
	return min(n, s.total())
}

// run calls fire(k) for every event as it falls due, in order, and returns
// when the last one has fired or ctx ends. fire runs on run's goroutine and
// must not block. When the goroutine wakes late it fires every event that
// fell due meanwhile at once (the schedule never slips), and maxLag reports
// how late an event fired at worst, so a saturated load tool can be told
// apart from a slow server.
func (s schedule) run(ctx context.Context, fire func(k int)) (maxLag time.Duration) {
	total, next := s.total(), 0
	for next < total {
		now := time.Now()
		if n := s.due(now); next < n {
			maxLag = max(maxLag, now.Sub(s.at(next))) // the oldest event of this batch is the latest
			for ; next < n; next++ {
				fire(next)
			}
		}
		if next >= total {
			break
		}
		// sleep at least 1 ms: at high rates a few events go out per wake-up
		wait := max(time.Until(s.at(next)), time.Millisecond)
		select {
		case <-ctx.Done():
			return maxLag
		case <-time.After(wait):
		}
	}
	return maxLag
}

// msgPlan is message k's chat among n chats and its direction: the chats
// take turns, and each chat alternates visitor→operator and
// operator→visitor, starting with the visitor.
func msgPlan(k, n int) (chat int, fromVisitor bool) {
	return k % n, (k/n)%2 == 0
}
