package desk

import (
	"strings"
	"testing"
)

func TestIdentify(t *testing.T) {
	v := Visitor{ID: 5, Name: "Visitor K3F9QD"}
	for _, tc := range []struct {
		name, in, email  string
		wantName, wantEm string
		code             Code
	}{
		{"both", " Ada Lovelace ", " ada@example.com ", "Ada Lovelace", "ada@example.com", ""},
		{"a name only keeps no email", "Ada", "", "Ada", "", ""},
		{"an email only keeps the name", "", "ada@example.com", "Visitor K3F9QD", "ada@example.com", ""},
		{"nothing", " ", "", "", "", CodeInvalid},
		{"not an email", "Ada", "ada@", "", "", CodeInvalid},
		{"an email with a display name", "Ada", "Ada <ada@example.com>", "", "", CodeInvalid},
		{"an email without a dot in its domain", "Ada", "ada@localhost", "", "", CodeInvalid},
		{"a name too long", strings.Repeat("é", 101), "", "", "", CodeInvalid},
		{"a name of two lines", "Ada\nAdmin", "", "", "", CodeInvalid},
	} {
		got, err := Identify(v, tc.in, tc.email)
		if tc.code != "" {
			if CodeOf(err) != tc.code {
				t.Errorf("%s: err %v, want %s", tc.name, err, tc.code)
			}
			continue
		}
		if err != nil || got.Name != tc.wantName || got.Email != tc.wantEm {
			t.Errorf("%s: %q %q, %v; want %q %q", tc.name, got.Name, got.Email, err, tc.wantName, tc.wantEm)
		}
	}
}
