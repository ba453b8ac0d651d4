package desk

import (
	"strings"
	"time"
)

// CannedReply is a prepared answer an operator inserts with "/" and its
// shortcut. A shared one (OwnerID 0) is the admins' and every operator of
// the site sees it; a personal one is its owner's alone.
type CannedReply struct {
	ID       int64
	SiteID   int64
	OwnerID  int64 // 0: shared
	Shortcut string
	Text     string

	CreatedAt, UpdatedAt time.Time
}

// Shared reports whether every operator of the site sees the reply.
func (r CannedReply) Shared() bool { return r.OwnerID == 0 }

// MaxShortcutLength bounds a canned reply's shortcut, in characters.
const MaxShortcutLength = 32

// CleanCannedReply trims a reply's shortcut and text and checks them: the
// shortcut is 1 to MaxShortcutLength letters, digits, "-" or "_" (one "/"
// in front, as the operator types it in the composer, is dropped), the
// text 1 to maxBytes bytes, the limit of the message it becomes.
func CleanCannedReply(r CannedReply, maxBytes int) (CannedReply, error) {
	r.Shortcut = strings.TrimPrefix(strings.TrimSpace(r.Shortcut), "/")
	r.Text = strings.TrimSpace(r.Text)
	if r.Shortcut == "" || len(r.Shortcut) > MaxShortcutLength || !isShortcut(r.Shortcut) {
		return r, Errorf(CodeInvalid, "A shortcut is 1 to %d letters, digits, - or _", MaxShortcutLength)
	}
	if len(r.Text) > maxBytes {
		return r, Errorf(CodeTooLarge, "Text is longer than %d bytes", maxBytes)
	}
	if r.Text == "" {
		return r, Errorf(CodeInvalid, "Text is empty")
	}
	return r, nil
}

// isShortcut: ASCII letters, digits, - and _ only, so that a shortcut is
// typed the same on every keyboard and compared without Unicode folding.
func isShortcut(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// SameShortcut reports whether two shortcuts clash: they are compared
// regardless of case, as the operator's typing after "/" is.
func SameShortcut(a, b string) bool { return strings.EqualFold(a, b) }

// CanSeeCannedReply: shared replies are every operator's of the site, a
// personal one its owner's only.
func CanSeeCannedReply(op Operator, r CannedReply) bool {
	return r.SiteID == op.SiteID && (r.Shared() || r.OwnerID == op.ID)
}

// CanChangeCannedReply says whether op may edit or delete r: an admin a
// shared reply, the owner a personal one. Another operator's personal
// reply is not_found, as it is not theirs to see; a shared one an
// operator sees but may not change is forbidden.
func CanChangeCannedReply(op Operator, r CannedReply) error {
	if !CanSeeCannedReply(op, r) {
		return NotFound("canned reply")
	}
	if r.Shared() && op.Role != RoleAdmin {
		return Errorf(CodeForbidden, "Only an admin can change shared canned replies")
	}
	return nil
}

// CanCreateCannedReply: anyone may create personal replies; only an admin
// shared ones.
func CanCreateCannedReply(op Operator, shared bool) error {
	if shared && op.Role != RoleAdmin {
		return Errorf(CodeForbidden, "Only an admin can create shared canned replies")
	}
	return nil
}

// FillCannedReply fills a reply's placeholders as the console inserts it:
// {visitor} with the visitor's name as the console shows it, {operator}
// with the operator's name. Other braces stay as written, and a name that
// itself holds a placeholder is not filled again.
func FillCannedReply(text, visitor, operator string) string {
	return strings.NewReplacer("{visitor}", visitor, "{operator}", operator).Replace(text)
}
