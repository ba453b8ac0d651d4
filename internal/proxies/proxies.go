// Package proxies decides what a request's forwarded headers are worth.
// Behind a reverse proxy or load balancer every request comes from the
// proxy's address, and the proxy says in X-Forwarded-For and
// X-Forwarded-Proto who the client was and how it connected. Those headers
// are believed only from the proxies configured with --trusted-proxies:
// anyone else could write them to pass for another client.
package proxies

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Trusted is the set of proxies whose forwarded headers are believed. The
// zero value trusts no one: every client is the connection's peer.
type Trusted struct {
	prefixes []netip.Prefix
}

// Parse reads a comma-separated list of IP addresses and CIDR prefixes,
// e.g. "127.0.0.1, 10.0.0.0/8, ::1". An empty list trusts no one.
func Parse(list string) (Trusted, error) {
	var t Trusted
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return Trusted{}, fmt.Errorf("trusted-proxies: %q is not an IP address or CIDR prefix", item)
			}
			t.prefixes = append(t.prefixes, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return Trusted{}, fmt.Errorf("trusted-proxies: %q is not an IP address or CIDR prefix", item)
		}
		a = a.Unmap()
		t.prefixes = append(t.prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return t, nil
}

// Trusts reports whether a is one of the trusted proxies.
func (t Trusted) Trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client is the address of the client behind r: the connection's peer,
// unless the peer is a trusted proxy, in which case X-Forwarded-For is read
// from its right end, each trusted hop skipped, and the first address not
// trusted is the client. An address a trusted proxy did not write (left of
// the first untrusted one) is never used: the client can put anything there.
func (t Trusted) Client(r *http.Request) netip.Addr {
	peer := peerAddr(r)
	if !peer.IsValid() || !t.Trusts(peer) {
		return peer
	}
	hops := forwardedFor(r.Header)
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			// Garbage from a trusted proxy's side: stop at the last
			// address that a trusted hop vouched for.
			return client
		}
		client = a.Unmap()
		if !t.Trusts(client) {
			return client
		}
	}
	return client
}

// HTTPS reports whether the client reached us over TLS: directly, or, from a
// trusted proxy, as its X-Forwarded-Proto says.
func (t Trusted) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer := peerAddr(r)
	if !peer.IsValid() || !t.Trusts(peer) {
		return false
	}
	proto := r.Header.Get("X-Forwarded-Proto")
	if i := strings.LastIndexByte(proto, ','); i >= 0 {
		proto = proto[i+1:] // the nearest proxy's word
	}
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// forwardedFor is every address in the X-Forwarded-For headers, in order.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	return hops
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

type clientKey struct{}

// WithClient notes the request's client address in its context.
func WithClient(ctx context.Context, a netip.Addr) context.Context {
	return context.WithValue(ctx, clientKey{}, a)
}

// ClientOf is the client address noted by WithClient; the zero Addr (which
// logs as "invalid IP") when none was.
func ClientOf(ctx context.Context) netip.Addr {
	a, _ := ctx.Value(clientKey{}).(netip.Addr)
	return a
}
