package desk

import (
	"testing"
	"time"
)

func TestLoginWait(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	fails := func(n int) LoginFailures {
		var f LoginFailures
		for i := 0; i < n; i++ {
			f = f.Failed(t0)
		}
		return f
	}
	cases := []struct {
		name  string
		f     LoginFailures
		after time.Duration
		want  time.Duration
	}{
		{"none", LoginFailures{}, 0, 0},
		{"below the free ones", fails(4), 0, 0},
		{"at the free ones", fails(5), 0, 30 * time.Second},
		{"part of the wait gone", fails(5), 10 * time.Second, 20 * time.Second},
		{"wait over", fails(5), 30 * time.Second, 0},
		{"one more doubles", fails(6), 0, time.Minute},
		{"three more", fails(8), 0, 4 * time.Minute},
		{"capped", fails(40), 0, LoginMaxWait},
		{"capped, part gone", fails(40), 5 * time.Minute, 10 * time.Minute},
		{"forgotten after the window", fails(40), LoginWindow, 0},
	}
	for _, c := range cases {
		if got := LoginWait(c.f, LoginAccountFree, t0.Add(c.after)); got != c.want {
			t.Errorf("%s: LoginWait = %v, want %v", c.name, got, c.want)
		}
	}
	if got := LoginWait(fails(19), LoginAddressFree, t0); got != 0 {
		t.Errorf("an address below its free failures waits %v", got)
	}
	// A count that lapsed starts again from one.
	f := fails(9).Failed(t0.Add(LoginWindow))
	if f.Count != 1 {
		t.Errorf("a failure after the window counts %d, want 1", f.Count)
	}
}
