package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/url"
	"syscall"
)

// loopback is the only network odload will talk to.
var loopback = &net.IPNet{IP: net.IPv4(127, 0, 0, 0).To4(), Mask: net.CIDRMask(8, 32)}

// loopbackBase checks that raw is an http URL on 127.0.0.0/8 and returns it
// without path, query or trailing slash. "localhost" is read as 127.0.0.1,
// never resolved, so no resolver can send the load elsewhere.
func loopbackBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--url: %w", err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("--url must start with http://, got %q", raw)
	}
	host, port := u.Hostname(), u.Port()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() == nil || !loopback.Contains(ip) {
		return nil, fmt.Errorf("--url host %q is not in 127.0.0.0/8: odload only loads local servers", u.Hostname())
	}
	if port == "" {
		port = "80"
	}
	return &url.URL{Scheme: "http", Host: net.JoinHostPort(ip.String(), port)}, nil
}

// sourceAddrs returns n consecutive IPv4 addresses from base, all inside
// 127.0.0.0/8. Linux routes the whole /8 to the loopback interface, so each
// is a distinct source with its own range of ephemeral ports.
func sourceAddrs(base string, n int) ([]*net.TCPAddr, error) {
	ip := net.ParseIP(base).To4()
	if ip == nil || !loopback.Contains(ip) {
		return nil, fmt.Errorf("--source-base %q is not an IPv4 address in 127.0.0.0/8", base)
	}
	first := binary.BigEndian.Uint32(ip)
	out := make([]*net.TCPAddr, n)
	for i := range out {
		a := make(net.IP, 4)
		binary.BigEndian.PutUint32(a, first+uint32(i))
		if !loopback.Contains(a) || a[3] == 0 || a[3] == 255 {
			return nil, fmt.Errorf("%d source addresses from %s leave 127.0.0.0/8 or hit a .0/.255 address", n, base)
		}
		out[i] = &net.TCPAddr{IP: a}
	}
	return out, nil
}

// raiseNofile lifts the soft open-files limit to the hard one: each socket is
// a file, and the default soft limit (1024) is far below a load run.
func raiseNofile() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	if l.Cur >= l.Max {
		return nil
	}
	l.Cur = l.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}

// nofile is the current soft limit on open files.
func nofile() uint64 {
	var l syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	return l.Cur
}
