package proxies

import (
	"crypto/tls"
	"net/http"
	"testing"
)

func TestParse(t *testing.T) {
	for _, bad := range []string{"localhost", "10.0.0.0/33", "1.2.3", "10.0.0.1/x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		}
	}
	tr, err := Parse(" 127.0.0.1 , 10.1.0.0/16,::1,")
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]bool{"127.0.0.1": true, "127.0.0.2": false, "10.1.200.3": true, "10.2.0.1": false, "::1": true, "::ffff:127.0.0.1": true} {
		r := &http.Request{RemoteAddr: addrPort(addr), Header: http.Header{}}
		if got := tr.Trusts(peerAddr(r)); got != want {
			t.Errorf("Trusts(%s) = %v, want %v", addr, got, want)
		}
	}
}

func addrPort(a string) string {
	if a[0] == ':' || len(a) > 15 {
		return "[" + a + "]:4000"
	}
	return a + ":4000"
}

func TestClient(t *testing.T) {
	tr, err := Parse("127.0.0.1,10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		peer string
		xff  []string
		want string
	}{
		{"no proxy, no header", "203.0.113.9", nil, "203.0.113.9"},
		{"untrusted peer's header is ignored", "203.0.113.9", []string{"198.51.100.1"}, "203.0.113.9"},
		{"trusted proxy names the client", "127.0.0.1", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client-written part is skipped", "127.0.0.1", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"trusted hops are skipped", "127.0.0.1", []string{"198.51.100.1, 10.0.0.5"}, "198.51.100.1"},
		{"several headers are one list", "127.0.0.1", []string{"6.6.6.6", "198.51.100.1, 10.0.0.5"}, "198.51.100.1"},
		{"only trusted hops: the leftmost", "127.0.0.1", []string{"10.0.0.7, 10.0.0.5"}, "10.0.0.7"},
		{"garbage stops at the last vouched address", "127.0.0.1", []string{"198.51.100.1, nonsense"}, "127.0.0.1"},
		{"trusted proxy without header", "127.0.0.1", nil, "127.0.0.1"},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.peer + ":5555", Header: http.Header{}}
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := tr.Client(r).String(); got != c.want {
			t.Errorf("%s: Client = %s, want %s", c.name, got, c.want)
		}
	}
	var none Trusted
	r := &http.Request{RemoteAddr: "127.0.0.1:1", Header: http.Header{"X-Forwarded-For": {"198.51.100.1"}}}
	if got := none.Client(r).String(); got != "127.0.0.1" {
		t.Errorf("zero Trusted believed a header: %s", got)
	}
}

func TestHTTPS(t *testing.T) {
	tr, _ := Parse("127.0.0.1")
	cases := []struct {
		name  string
		peer  string
		proto string
		tls   bool
		want  bool
	}{
		{"direct TLS", "203.0.113.9", "", true, true},
		{"plain, no proxy", "203.0.113.9", "", false, false},
		{"untrusted peer says https", "203.0.113.9", "https", false, false},
		{"trusted proxy says https", "127.0.0.1", "https", false, true},
		{"trusted proxy says http", "127.0.0.1", "http", false, false},
		{"nearest proxy's word counts", "127.0.0.1", "https, http", false, false},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.peer + ":5555", Header: http.Header{}}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := tr.HTTPS(r); got != c.want {
			t.Errorf("%s: HTTPS = %v, want %v", c.name, got, c.want)
		}
	}
}
