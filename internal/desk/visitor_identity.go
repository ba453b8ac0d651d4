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
		a, err := mail.ParseAddress(email)
		if err != nil || a.Address != email || utf8.RuneCountInString(email) > MaxVisitorEmail || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
			return v, Errorf(CodeInvalid, "%q is not an email address such as name@example.com", email)
		}
		v.Email = email
	}
	if name != "" {
		v.Name = name
	}
	return v, nil
}
