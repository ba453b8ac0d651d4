package desk

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Longest name and email a visitor may give, in characters.
const (
	MaxVisitorName  = 100
	MaxVisitorEmail = 254
)

// Identify decides the name and email a visitor gives (OutputDesk.identify
// on the site, or the pre-chat form): trimmed; a name left empty keeps the
// one they have; an email must be an address (name@example.com), and one
// left empty keeps theirs.
func Identify(v Visitor, name, email string) (Visitor, error) {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	if name == "" && email == "" {
		return v, Errorf(CodeInvalid, "Give a name or an email")
	}
	if utf8.RuneCountInString(name) > MaxVisitorName || strings.ContainsAny(name, "\r\n") {
		return v, Errorf(CodeInvalid, "A name is one line of at most %d characters", MaxVisitorName)
	}
	if email != "" {
		if err := CheckEmail(email); err != nil {
			return v, err
		}
		v.Email = email
	}
	if name != "" {
		v.Name = name
	}
	return v, nil
}

// CheckEmail refuses what is not a bare email address (name@example.com):
// no display name, a dot in the domain, at most MaxVisitorEmail characters.
func CheckEmail(email string) error {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || utf8.RuneCountInString(email) > MaxVisitorEmail || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return Errorf(CodeInvalid, "%q is not an email address such as name@example.com", email)
	}
	return nil
}
