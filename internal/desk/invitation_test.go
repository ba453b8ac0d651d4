package desk

import (
	"testing"
	"time"
)

func TestNextInvitation(t *testing.T) {
	const cooldown = 10 * time.Minute
	pricing := &Condition{FieldURL, OpContains, "/pricing"}
	onPricing := InvitationRule{ID: 1, Name: "Pricing", Enabled: true, URL: pricing, MinTimeOnPage: 10 * time.Second, Message: "Questions?"}
	anyPage3 := InvitationRule{ID: 2, Name: "Browsing a while", Enabled: true, MinTimeOnPage: 30 * time.Second, MinPagesViewed: 3, Message: "Need help?"}
	visit := func(p Page, pages int) VisitState {
		return VisitState{Page: p, PageStartedAt: t0, PagesViewed: pages}
	}

	tests := []struct {
		name   string
		rules  []InvitationRule
		v      VisitState
		wantID int64
		wantAt time.Time
		wantOK bool
	}{
		{"url matches: fires after time on page", []InvitationRule{onPricing}, visit(pricingPage, 1), 1, t0.Add(10 * time.Second), true},
		{"url does not match", []InvitationRule{onPricing}, visit(productPage, 1), 0, time.Time{}, false},
		{"no url condition matches any page", []InvitationRule{anyPage3}, visit(productPage, 3), 2, t0.Add(30 * time.Second), true},
		{"too few pages viewed", []InvitationRule{anyPage3}, visit(productPage, 2), 0, time.Time{}, false},
		{"disabled rule", []InvitationRule{{ID: 1, Enabled: false, URL: pricing, Message: "x"}}, visit(pricingPage, 1), 0, time.Time{}, false},
		{"combination: earliest rule wins", []InvitationRule{anyPage3, onPricing}, visit(pricingPage, 3), 1, t0.Add(10 * time.Second), true},
		{"once per visit", []InvitationRule{onPricing}, func() VisitState {
			v := visit(pricingPage, 1)
			v.FiredRules = map[int64]bool{1: true}
			return v
		}(), 0, time.Time{}, false},
		{"once per visit: another rule may still fire", []InvitationRule{onPricing, anyPage3}, func() VisitState {
			v := visit(pricingPage, 4)
			v.FiredRules = map[int64]bool{1: true}
			return v
		}(), 2, t0.Add(30 * time.Second), true},
		{"never while chatting", []InvitationRule{onPricing}, func() VisitState {
			v := visit(pricingPage, 1)
			v.HasOpenChat = true
			return v
		}(), 0, time.Time{}, false},
		{"never while an invitation is open", []InvitationRule{onPricing}, func() VisitState {
			v := visit(pricingPage, 1)
			v.HasOpenInvitation = true
			return v
		}(), 0, time.Time{}, false},
		{"cool-down after a dismissal delays the rule", []InvitationRule{onPricing}, func() VisitState {
			v := visit(pricingPage, 1)
			v.LastDismissedAt = t0.Add(-time.Minute)
			return v
		}(), 1, t0.Add(9 * time.Minute), true},
		{"an old dismissal does not delay", []InvitationRule{onPricing}, func() VisitState {
			v := visit(pricingPage, 1)
			v.LastDismissedAt = t0.Add(-time.Hour)
			return v
		}(), 1, t0.Add(10 * time.Second), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, at, ok := NextInvitation(tc.rules, tc.v, cooldown)
			if ok != tc.wantOK || r.ID != tc.wantID || !at.Equal(tc.wantAt) {
				t.Errorf("NextInvitation = rule %d at %v ok=%v, want rule %d at %v ok=%v", r.ID, at, ok, tc.wantID, tc.wantAt, tc.wantOK)
			}
		})
	}
}

func TestNextInvitationPageChangeResetsTimeOnPage(t *testing.T) {
	rules := []InvitationRule{{ID: 1, Name: "Pricing", Enabled: true, URL: &Condition{FieldURL, OpContains, "/pricing"}, MinTimeOnPage: 10 * time.Second, Message: "Hi"}}
	v := VisitState{Page: pricingPage, PageStartedAt: t0, PagesViewed: 1}
	_, first, _ := NextInvitation(rules, v, 0)
	// the visitor reloads / moves to another pricing page 8 s later
	v.PageStartedAt, v.PagesViewed = t0.Add(8*time.Second), 2
	_, second, ok := NextInvitation(rules, v, 0)
	if !ok || !second.Equal(t0.Add(18*time.Second)) || !first.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("first %v, after page change %v: time on page must restart with the page", first, second)
	}
}

func TestManualInvitationText(t *testing.T) {
	if got := ManualInvitationText("Hi, {operator} from Acme here!", "Anna Berg"); got != "Hi, Anna Berg from Acme here!" {
		t.Errorf("got %q", got)
	}
	if got := ManualInvitationText("", "Anna"); got != "Hello! Anna here. Can I help you with anything?" {
		t.Errorf("empty template gave %q", got)
	}
}
