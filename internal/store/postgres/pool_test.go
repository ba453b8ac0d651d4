package postgres

import "testing"

func TestPoolSize(t *testing.T) {
	for _, c := range []struct {
		in, out string
		n       int
		bad     bool
	}{
		{"postgres://u@h/db", "postgres://u@h/db", DefaultPoolSize, false},
		{"postgres://u@h/db?sslmode=disable&pool_max_conns=6", "postgres://u@h/db?sslmode=disable", 6, false},
		{"postgres://u@h/db?pool_max_conns=0", "", 0, true},
		{"postgres://u@h/db?pool_max_conns=many", "", 0, true},
	} {
		out, n, err := poolSize(c.in)
		if (err != nil) != c.bad || out != c.out || n != c.n {
			t.Errorf("poolSize(%q) = %q, %d, %v", c.in, out, n, err)
		}
	}
}
