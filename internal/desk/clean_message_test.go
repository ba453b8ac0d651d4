package desk

import (
	"strings"
	"testing"
)

// client_id is 1 to 64 characters (docs/protocol.md), counted as characters,
// not bytes; the body limit is in bytes.
func TestCleanMessage(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		clientID string
		want     string // the cleaned body
		code     Code   // "" when accepted
	}{
		{"plain", "Hi", "c1", "Hi", ""},
		{"trimmed", "  Hi there \n", "c1", "Hi there", ""},
		{"one-character client id", "Hi", "x", "Hi", ""},
		{"64 ASCII characters", "Hi", strings.Repeat("a", 64), "Hi", ""},
		{"65 ASCII characters", "Hi", strings.Repeat("a", 65), "", CodeInvalid},
		{"64 two-byte characters (128 bytes)", "Hi", strings.Repeat("é", 64), "Hi", ""},
		{"64 four-byte characters (256 bytes)", "Hi", strings.Repeat("😀", 64), "Hi", ""},
		{"65 two-byte characters", "Hi", strings.Repeat("é", 65), "", CodeInvalid},
		{"65 four-byte characters", "Hi", strings.Repeat("😀", 65), "", CodeInvalid},
		{"empty client id", "Hi", "", "", CodeInvalid},
		{"empty body", "", "c1", "", CodeInvalid},
		{"blank body", " \t\n ", "c1", "", CodeInvalid},
		{"body at the byte limit", strings.Repeat("é", 8), "c1", strings.Repeat("é", 8), ""},
		{"body over the byte limit in fewer characters", strings.Repeat("é", 9), "c1", "", CodeTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CleanMessage(tc.body, tc.clientID, 16)
			if tc.code == "" {
				if err != nil || got != tc.want {
					t.Fatalf("CleanMessage = %q, %v; want %q accepted", got, err, tc.want)
				}
				return
			}
			if CodeOf(err) != tc.code {
				t.Fatalf("CleanMessage = %q, %v; want code %s", got, err, tc.code)
			}
		})
	}
}
