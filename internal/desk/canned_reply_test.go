package desk

import (
	"strings"
	"testing"
)

func TestCleanCannedReply(t *testing.T) {
	for _, tc := range []struct {
		name, shortcut, text   string
		wantShortcut, wantText string
		code                   Code
	}{
		{"plain", "ship", "We ship today.", "ship", "We ship today.", ""},
		{"trimmed", "  ship ", "\n Hi {visitor} \n", "ship", "Hi {visitor}", ""},
		{"a slash in front is dropped", "/ship", "x", "ship", "x", ""},
		{"letters digits - _", "Ship_2-days", "x", "Ship_2-days", "x", ""},
		{"32 characters", strings.Repeat("a", 32), "x", strings.Repeat("a", 32), "x", ""},
		{"33 characters", strings.Repeat("a", 33), "x", "", "", CodeInvalid},
		{"empty shortcut", "", "x", "", "", CodeInvalid},
		{"only a slash", "/", "x", "", "", CodeInvalid},
		{"space inside", "ship it", "x", "", "", CodeInvalid},
		{"a second slash", "//ship", "x", "", "", CodeInvalid},
		{"not ASCII", "réponse", "x", "", "", CodeInvalid},
		{"punctuation", "ship!", "x", "", "", CodeInvalid},
		{"empty text", "ship", "   ", "", "", CodeInvalid},
		{"text at the limit", "ship", strings.Repeat("é", 8), "ship", strings.Repeat("é", 8), ""},
		{"text over the limit in bytes", "ship", strings.Repeat("é", 8) + "x", "", "", CodeTooLarge},
	} {
		got, err := CleanCannedReply(CannedReply{Shortcut: tc.shortcut, Text: tc.text}, 16)
		if tc.code != "" {
			if CodeOf(err) != tc.code {
				t.Errorf("%s: err = %v, want %s", tc.name, err, tc.code)
			}
			continue
		}
		if err != nil || got.Shortcut != tc.wantShortcut || got.Text != tc.wantText {
			t.Errorf("%s: %q %q %v, want %q %q", tc.name, got.Shortcut, got.Text, err, tc.wantShortcut, tc.wantText)
		}
	}
}

func TestSameShortcut(t *testing.T) {
	if !SameShortcut("Ship", "sHIP") || SameShortcut("ship", "ships") {
		t.Fatal("shortcuts compare regardless of case, and whole")
	}
}

func TestCannedReplyPermissions(t *testing.T) {
	admin := Operator{ID: 1, SiteID: 1, Role: RoleAdmin}
	ann := Operator{ID: 2, SiteID: 1, Role: RoleOperator}
	bob := Operator{ID: 3, SiteID: 1, Role: RoleOperator}
	shared := CannedReply{ID: 10, SiteID: 1}
	anns := CannedReply{ID: 11, SiteID: 1, OwnerID: ann.ID}
	admins := CannedReply{ID: 12, SiteID: 1, OwnerID: admin.ID}
	otherSite := CannedReply{ID: 13, SiteID: 2}
	for _, tc := range []struct {
		name string
		op   Operator
		r    CannedReply
		see  bool
		code Code // of changing it; "" allowed
	}{
		{"admin, shared", admin, shared, true, ""},
		{"admin, own personal", admin, admins, true, ""},
		{"admin, an operator's personal", admin, anns, false, CodeNotFound},
		{"operator, shared", ann, shared, true, CodeForbidden},
		{"operator, own personal", ann, anns, true, ""},
		{"operator, another's personal", bob, anns, false, CodeNotFound},
		{"operator, the admin's personal", bob, admins, false, CodeNotFound},
		{"admin, another site's shared", admin, otherSite, false, CodeNotFound},
	} {
		if got := CanSeeCannedReply(tc.op, tc.r); got != tc.see {
			t.Errorf("%s: sees %v, want %v", tc.name, got, tc.see)
		}
		err := CanChangeCannedReply(tc.op, tc.r)
		if (tc.code == "" && err != nil) || (tc.code != "" && CodeOf(err) != tc.code) {
			t.Errorf("%s: change = %v, want %q", tc.name, err, tc.code)
		}
	}
	if err := CanCreateCannedReply(ann, true); CodeOf(err) != CodeForbidden {
		t.Errorf("an operator creates a shared reply: %v", err)
	}
	if CanCreateCannedReply(ann, false) != nil || CanCreateCannedReply(admin, true) != nil || CanCreateCannedReply(admin, false) != nil {
		t.Error("personal replies are anyone's, shared ones the admin's")
	}
}

func TestFillCannedReply(t *testing.T) {
	for _, tc := range []struct{ text, visitor, operator, want string }{
		{"Hi {visitor}, {operator} here.", "Visitor K3F9QD", "Anna Berg", "Hi Visitor K3F9QD, Anna Berg here."},
		{"{visitor} {visitor}", "Jo", "A", "Jo Jo"},
		{"no placeholders", "Jo", "A", "no placeholders"},
		{"{Visitor} {unknown} {visitor", "Jo", "A", "{Visitor} {unknown} {visitor"},
		// a name that holds a placeholder is not filled again
		{"{visitor} / {operator}", "{operator}", "Anna", "{operator} / Anna"},
		{"<b>{visitor}</b>", "<img src=x>", "A", "<b><img src=x></b>"}, // text, never HTML: the console shows it as is
	} {
		if got := FillCannedReply(tc.text, tc.visitor, tc.operator); got != tc.want {
			t.Errorf("FillCannedReply(%q, %q, %q) = %q, want %q", tc.text, tc.visitor, tc.operator, got, tc.want)
		}
	}
}
