package desk

import (
	"strings"
	"time"
)

// InvitationKind says who sent an invitation.
type InvitationKind string

const (
	InvitationManual    InvitationKind = "manual"    // an operator clicked "Invite"
	InvitationAutomated InvitationKind = "automated" // a "Send Invitation" chat rule fired
)

// InvitationState is where an invitation is in its life.
type InvitationState string

const (
	InvitationOpen      InvitationState = "open"
	InvitationAccepted  InvitationState = "accepted"
	InvitationDismissed InvitationState = "dismissed"
	InvitationExpired   InvitationState = "expired" // the visitor left
)

// Invitation is a proactive chat invitation shown in the widget.
type Invitation struct {
	ID           int64
	SiteID       int64
	VisitorID    int64
	Kind         InvitationKind
	OperatorID   int64 // manual only
	OperatorName string
	RuleID       int64 // automated only
	Text         string
	State        InvitationState
	CreatedAt    time.Time
	ClosedAt     time.Time
}

// ManualInvitationText fills Settings > Appearance > "Chat Invitation Text"
// with the inviting operator's name.
func ManualInvitationText(template, operator string) string {
	if strings.TrimSpace(template) == "" {
		template = DefaultInvitationText
	}
	return strings.ReplaceAll(template, "{operator}", operator)
}

// InvitationRule is a Settings > "Chat Rules" > "Add a Chat Rule" rule with
// the action "Send Invitation".
type InvitationRule struct {
	ID             int64
	SiteID         int64
	Name           string
	Enabled        bool
	URL            *Condition // nil: any page
	MinTimeOnPage  time.Duration
	MinPagesViewed int // 0: no condition
	Message        string
}

// Validate checks what an admin entered.
func (r InvitationRule) Validate() error {
	if r.Name == "" || len(r.Name) > 100 {
		return Errorf(CodeInvalid, "Rule name must be 1 to 100 characters")
	}
	if r.URL != nil {
		if r.URL.Field != FieldURL {
			return Errorf(CodeInvalid, "An invitation rule's page condition must be on the URL")
		}
		if err := r.URL.Validate(); err != nil {
			return err
		}
	}
	if r.MinTimeOnPage < 0 || r.MinTimeOnPage > 24*time.Hour {
		return Errorf(CodeInvalid, "Time on page must be 0 to 86400 seconds")
	}
	if r.MinPagesViewed < 0 || r.MinPagesViewed > 1000 {
		return Errorf(CodeInvalid, "Pages viewed must be 0 to 1000")
	}
	if strings.TrimSpace(r.Message) == "" || len(r.Message) > 1000 {
		return Errorf(CodeInvalid, "The invitation message must be 1 to 1000 characters")
	}
	return nil
}

// VisitState is what the invitation trigger knows of a visitor's visit.
type VisitState struct {
	Page              Page
	PageStartedAt     time.Time
	PagesViewed       int
	HasOpenChat       bool
	HasOpenInvitation bool
	FiredRules        map[int64]bool // rules that fired this visit
	LastDismissedAt   time.Time      // zero if never
}

// NextInvitation finds the automated invitation that fires first for this
// visit and when (SPEC 4): a rule whose URL condition matches the current
// page and whose pages-viewed condition holds fires once time on page reaches
// its minimum — at most once per visit, never while the visitor has a chat or
// an open invitation, and not within cooldown of a dismissal. The time may be
// in the past, meaning now. ok is false when no rule can fire on this page
// view; the caller asks again when the visit changes.
func NextInvitation(rules []InvitationRule, v VisitState, cooldown time.Duration) (rule InvitationRule, at time.Time, ok bool) {
	if v.HasOpenChat || v.HasOpenInvitation {
		return InvitationRule{}, time.Time{}, false
	}
	for _, r := range rules {
		if !r.Enabled || v.FiredRules[r.ID] {
			continue
		}
		if r.URL != nil && !r.URL.Matches(v.Page) {
			continue
		}
		if r.MinPagesViewed > 0 && v.PagesViewed < r.MinPagesViewed {
			continue
		}
		fire := v.PageStartedAt.Add(r.MinTimeOnPage)
		if !v.LastDismissedAt.IsZero() {
			if free := v.LastDismissedAt.Add(cooldown); free.After(fire) {
				fire = free
			}
		}
		if !ok || fire.Before(at) {
			rule, at, ok = r, fire, true
		}
	}
	return rule, at, ok
}
