package desk

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what an operator account may do.
type Role string

const (
	RoleAdmin    Role = "admin"
	RoleOperator Role = "operator"
)

// Status is an operator's availability as routing sees it.
type Status string

const (
	StatusOnline  Status = "Online"
	StatusAway    Status = "Away"
	StatusOffline Status = "Offline"
)

// ParseStatus accepts exactly the three user-facing words.
func ParseStatus(s string) (Status, bool) {
	switch Status(s) {
	case StatusOnline, StatusAway, StatusOffline:
		return Status(s), true
	}
	return "", false
}

// Operator is an account that answers chats.
type Operator struct {
	ID             int64
	SiteID         int64
	Name           string
	Email          string
	PasswordHash   string
	Role           Role
	PriorityLevel  int // 1 is highest
	ChatLimit      int // most chats given at once by automatic assignment
	Status         Status
	LastAssignedAt time.Time
	CreatedAt      time.Time
}

// EffectiveStatus is the chosen status while a console is connected, and
// Offline otherwise (SPEC 1: Online only while a console is connected).
func (o Operator) EffectiveStatus(connected bool) Status {
	if !connected {
		return StatusOffline
	}
	return o.Status
}

// Limits of operator fields.
const (
	MinPasswordLength = 8
	MaxPriorityLevel  = 99
	MaxChatLimit      = 100
)

// ValidateOperator checks the fields an admin sets; password is checked only
// when given.
func ValidateOperator(o Operator, password string, passwordRequired bool) error {
	if strings.TrimSpace(o.Name) == "" || len(o.Name) > 100 {
		return Errorf(CodeInvalid, "Name must be 1 to 100 characters")
	}
	if a, err := mail.ParseAddress(o.Email); err != nil || a.Address != o.Email {
		return Errorf(CodeInvalid, "Email %q is not a valid address", o.Email)
	}
	if o.Role != RoleAdmin && o.Role != RoleOperator {
		return Errorf(CodeInvalid, "Role must be admin or operator")
	}
	if o.PriorityLevel < 1 || o.PriorityLevel > MaxPriorityLevel {
		return Errorf(CodeInvalid, "Priority level must be 1 to %d (1 is highest)", MaxPriorityLevel)
	}
	if o.ChatLimit < 0 || o.ChatLimit > MaxChatLimit {
		return Errorf(CodeInvalid, "Chat limit must be 0 to %d", MaxChatLimit)
	}
	if (passwordRequired || password != "") && len(password) < MinPasswordLength {
		return Errorf(CodeInvalid, "Password must be at least %d characters", MinPasswordLength)
	}
	return nil
}

// Session is a logged-in console.
type Session struct {
	TokenHash  string
	OperatorID int64
	CSRFToken  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// RequireAdmin refuses what only an admin may do (settings, rules,
// accounts) to an operator without the role.
func RequireAdmin(op Operator) error {
	if op.Role != RoleAdmin {
		return Errorf(CodeForbidden, "Only an admin can do this")
	}
	return nil
}
