package realtime

import (
	"unicode/utf16"
	"unicode/utf8"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// readHelloFrame decodes a visitor's hello. Every page view of a customer's
// site opens a socket with one, so the usual hello is read by hand:
// encoding/json's reflection was the largest part of the opening's own
// CPU, and grew the opening's stack. Anything unusual (a key it does not
// know, a repeated key, a number that is not a plain integer, a lone
// surrogate, invalid UTF-8) goes to readFrame, so the result is always
// what readFrame would give (hello_fuzz_test.go checks it).
func readHelloFrame(data []byte) (protocol.ClientFrame, *desk.Error) {
	if f, ok := plainHello(data); ok {
		return f, nil
	}
	return readFrame(data, nil)
}

// helloScan reads a plain hello: an object of known keys, each once, with
// strings, plain integers, booleans or nulls.
type helloScan struct {
	b   []byte
	i   int
	bad bool
}

func plainHello(data []byte) (protocol.ClientFrame, bool) {
	var f protocol.ClientFrame
	s := helloScan{b: data}
	var seen uint16
	s.object(func(key string) bool {
		bit := helloBit(key)
		if bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		if s.null() {
			return true
		}
		switch key {
		case "type":
			f.Type = s.str()
		case "ref":
			f.Ref = s.str()
		case "token":
			f.Token = s.str()
		case "chat_id":
			f.ChatID = s.int()
		case "last_seq":
			f.LastSeq = s.int()
		case "visible":
			v := s.boolean()
			f.Visible = &v
		case "user_agent":
			f.UserAgent = s.str()
		case "page":
			f.Page = s.page()
		}
		return true
	})
	s.space()
	if s.bad || s.i != len(s.b) || len(f.Ref) > protocol.MaxRefLength || f.Type == "" {
		return protocol.ClientFrame{}, false
	}
	return f, true
}

// helloBit is a hello member's bit, 0 for a key a plain hello has not.
func helloBit(key string) uint16 {
	for i, k := range [...]string{"type", "ref", "token", "chat_id", "last_seq", "visible", "user_agent", "page"} {
		if k == key {
			return 1 << i
		}
	}
	return 0
}

func (s *helloScan) page() *protocol.PageIn {
	p := &protocol.PageIn{}
	var seen uint8
	s.object(func(key string) bool {
		var bit uint8
		var to *string
		switch key {
		case "id":
			bit, to = 1, &p.ID
		case "url":
			bit, to = 2, &p.URL
		case "title":
			bit, to = 4, &p.Title
		case "referrer":
			bit, to = 8, &p.Referrer
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if !s.null() {
			*to = s.str()
		}
		return true
	})
	return p
}

// object reads {"key": value, ...}, handing each key to member, which
// reads the value (false: not a plain hello).
func (s *helloScan) object(member func(key string) bool) {
	if !s.take('{') {
		return
	}
	if s.space(); s.peek() == '}' {
		s.i++
		return
	}
	for !s.bad {
		key := s.str()
		if s.bad || !s.take(':') || !member(key) {
			s.bad = true
			return
		}
		s.space()
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return
		default:
			s.bad = true
		}
	}
}

func (s *helloScan) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *helloScan) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// take skips space and then c.
func (s *helloScan) take(c byte) bool {
	if s.space(); s.peek() != c {
		s.bad = true
		return false
	}
	s.i++
	return true
}

// str reads a string of valid UTF-8 with no control characters; its
// escapes are JSON's. A lone surrogate (encoding/json makes it U+FFFD)
// is not plain.
func (s *helloScan) str() string {
	if !s.take('"') {
		return ""
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			if !utf8.Valid(v) {
				s.bad = true
				return ""
			}
			return string(v)
		case c == '\\':
			return s.escaped(start)
		case c < 0x20:
			s.bad = true
			return ""
		}
		s.i++
	}
	s.bad = true
	return ""
}

// escaped reads the rest of a string that has an escape at s.i.
func (s *helloScan) escaped(start int) string {
	out := append([]byte(nil), s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			if !utf8.Valid(out) {
				s.bad = true
				return ""
			}
			return string(out)
		case c < 0x20:
			s.bad = true
			return ""
		case c != '\\':
			out = append(out, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			break
		}
		s.i += 2
		switch e := s.b[s.i-1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := s.hex4()
			if utf16.IsSurrogate(r) {
				lo := rune(-1)
				if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					s.i += 2
					lo = s.hex4()
				}
				if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
					s.bad = true
				}
			}
			if s.bad {
				return ""
			}
			out = utf8.AppendRune(out, r)
		default:
			s.bad = true
			return ""
		}
	}
	s.bad = true
	return ""
}

// hex4 reads the four hex digits of a \u escape.
func (s *helloScan) hex4() rune {
	if s.i+4 > len(s.b) {
		s.bad = true
		return 0
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.bad = true
			return 0
		}
	}
	s.i += 4
	return r
}

// null skips a null (the member keeps its zero value, as encoding/json
// leaves it).
func (s *helloScan) null() bool {
	s.space()
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// int reads a plain integer: no fraction, no exponent, at most 18 digits.
func (s *helloScan) int() int64 {
	s.space()
	neg := s.peek() == '-'
	if neg {
		s.i++
	}
	start := s.i
	var n int64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		n = n*10 + int64(s.b[s.i]-'0')
		s.i++
	}
	digits := s.i - start
	next := s.peek()
	if digits == 0 || digits > 18 || (digits > 1 && s.b[start] == '0') || next == '.' || next == 'e' || next == 'E' {
		s.bad = true
		return 0
	}
	if neg {
		n = -n
	}
	return n
}

func (s *helloScan) boolean() bool {
	s.space()
	rest := s.b[s.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		s.i += 4
		return true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		s.i += 5
		return false
	}
	s.bad = true
	return false
}
