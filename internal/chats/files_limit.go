package chats

import (
	"sync"
	"time"

	"outputdesk/internal/desk"
)

// Uploads are limited per sender on each node: UploadBurst files at once,
// then one every UploadEvery. People sending files never meet it; a script
// filling the database with files does.
const (
	UploadBurst = 10
	UploadEvery = 6 * time.Second
)

// uploadKey is a visitor or an operator.
type uploadKey struct{ visitor, operator int64 }

// uploadLimiter is a token bucket per sender, on the service's clock.
type uploadLimiter struct {
	mu      sync.Mutex
	buckets map[uploadKey]*uploadBucket
}

type uploadBucket struct {
	tokens float64
	at     time.Time
}

// take spends one upload of key's budget, or refuses with how long to wait.
func (l *uploadLimiter) take(key uploadKey, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[uploadKey]*uploadBucket{}
	}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) > 10000 {
			l.prune(now)
		}
		b = &uploadBucket{tokens: UploadBurst, at: now}
		l.buckets[key] = b
	}
	b.refill(now)
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(UploadEvery))
		err := desk.Errorf(desk.CodeTooMany, "Too many files at once. Try again in %d seconds.", int((wait+time.Second-1)/time.Second))
		err.RetryAfter = wait
		return err
	}
	b.tokens--
	return nil
}

func (b *uploadBucket) refill(now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(UploadBurst, b.tokens+float64(d)/float64(UploadEvery))
		b.at = now
	}
}

// prune forgets the senders whose budget is whole again: they are as new.
func (l *uploadLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.refill(now); b.tokens >= UploadBurst {
			delete(l.buckets, k)
		}
	}
}
