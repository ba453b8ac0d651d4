package realtime

import (
	"strings"
	"testing"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// frameCase is one frame and the code readFrame gives it ("" when it passes
// to the handler).
type frameCase struct {
	name  string
	frame string
	want  desk.Code
}

func checkFrames(t *testing.T, required map[string][]string, tests []frameCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readFrame([]byte(tc.frame), required)
			var got desk.Code
			if err != nil {
				got = err.Code
			}
			if got != tc.want {
				t.Fatalf("readFrame(%s) = %q (%v), want %q", tc.frame, got, err, tc.want)
			}
		})
	}
}

// Every widget frame with required members: each one missing, or null, is
// bad_request; present but empty values pass on, for the service to refuse
// as invalid.
func TestReadVisitorFrame(t *testing.T) {
	checkFrames(t, protocol.VisitorFrameMembers, []frameCase{
		{"message.send complete", `{"type":"message.send","ref":"r","client_id":"c1","body":"hi"}`, ""},
		{"message.send without body", `{"type":"message.send","ref":"r","client_id":"c1"}`, desk.CodeBadRequest},
		{"message.send without client_id", `{"type":"message.send","ref":"r","body":"hi"}`, desk.CodeBadRequest},
		{"message.send with neither", `{"type":"message.send","ref":"r"}`, desk.CodeBadRequest},
		{"message.send with a null body", `{"type":"message.send","ref":"r","client_id":"c1","body":null}`, desk.CodeBadRequest},
		{"message.send with a null client_id", `{"type":"message.send","ref":"r","client_id":null,"body":"hi"}`, desk.CodeBadRequest},
		{"message.send with an empty body passes (invalid later)", `{"type":"message.send","ref":"r","client_id":"c1","body":"  "}`, ""},
		{"message.send with an empty client_id passes (invalid later)", `{"type":"message.send","ref":"r","client_id":"","body":"hi"}`, ""},
		{"message.send with a mistyped client_id", `{"type":"message.send","ref":"r","client_id":7,"body":"hi"}`, desk.CodeBadRequest},
		{"invitation.dismiss complete", `{"type":"invitation.dismiss","ref":"r","invitation_id":7}`, ""},
		{"invitation.dismiss without invitation_id", `{"type":"invitation.dismiss","ref":"r"}`, desk.CodeBadRequest},
		{"invitation.dismiss with a null invitation_id", `{"type":"invitation.dismiss","ref":"r","invitation_id":null}`, desk.CodeBadRequest},
		{"page complete", `{"type":"page","ref":"r","page":{"id":"pv-12345678","url":"http://x/","title":"","referrer":""},"visible":true}`, ""},
		{"page without page", `{"type":"page","ref":"r","visible":true}`, desk.CodeBadRequest},
		{"page with a null page", `{"type":"page","ref":"r","page":null}`, desk.CodeBadRequest},
		{"page without page.url", `{"type":"page","ref":"r","page":{"id":"pv-12345678","title":"t"}}`, desk.CodeBadRequest},
		{"page without visible (optional)", `{"type":"page","ref":"r","page":{"url":"http://x/"}}`, ""},
		{"chat.end has no members", `{"type":"chat.end","ref":"r"}`, ""},
		{"no ref is fine", `{"type":"chat.end"}`, ""},
		{"console-only frame types are left to the handler", `{"type":"chat.watch","ref":"r"}`, ""},
		{"unknown types are left to the handler", `{"type":"nope","ref":"r"}`, ""},
		{"no type", `{"ref":"r"}`, desk.CodeBadRequest},
		{"not an object", `["message.send"]`, desk.CodeBadRequest},
		{"not JSON", `{"type":"message.send",`, desk.CodeBadRequest},
	})
}

// Every console frame with required members.
func TestReadConsoleFrame(t *testing.T) {
	checkFrames(t, protocol.ConsoleFrameMembers, []frameCase{
		{"message.send complete", `{"type":"message.send","ref":"r","chat_id":12,"client_id":"c1","body":"hi"}`, ""},
		{"message.send without chat_id", `{"type":"message.send","ref":"r","client_id":"c1","body":"hi"}`, desk.CodeBadRequest},
		{"message.send without client_id", `{"type":"message.send","ref":"r","chat_id":12,"body":"hi"}`, desk.CodeBadRequest},
		{"message.send without body", `{"type":"message.send","ref":"r","chat_id":12,"client_id":"c1"}`, desk.CodeBadRequest},
		{"message.send with a null chat_id", `{"type":"message.send","ref":"r","chat_id":null,"client_id":"c1","body":"hi"}`, desk.CodeBadRequest},
		{"message.send with a mistyped chat_id", `{"type":"message.send","ref":"r","chat_id":"12","client_id":"c1","body":"hi"}`, desk.CodeBadRequest},
		{"message.send with an empty body passes (invalid later)", `{"type":"message.send","ref":"r","chat_id":12,"client_id":"c1","body":""}`, ""},
		{"chat.watch complete", `{"type":"chat.watch","ref":"r","chat_id":15,"last_seq":3}`, ""},
		{"chat.watch without last_seq (optional: 0)", `{"type":"chat.watch","ref":"r","chat_id":15}`, ""},
		{"chat.watch without chat_id", `{"type":"chat.watch","ref":"r","last_seq":0}`, desk.CodeBadRequest},
		{"chat.unwatch complete", `{"type":"chat.unwatch","ref":"r","chat_id":15}`, ""},
		{"chat.unwatch without chat_id", `{"type":"chat.unwatch","ref":"r"}`, desk.CodeBadRequest},
		{"visitors.subscribe has no members", `{"type":"visitors.subscribe"}`, ""},
		{"visitors.unsubscribe has no members", `{"type":"visitors.unsubscribe"}`, ""},
		{"widget-only frame types are left to the handler", `{"type":"invitation.dismiss","ref":"r"}`, ""},
	})
}

func TestReadFrameLongRef(t *testing.T) {
	long := `{"type":"chat.end","ref":"` + strings.Repeat("x", protocol.MaxRefLength+1) + `"}`
	f, err := readFrame([]byte(long), nil)
	if err == nil || err.Code != desk.CodeBadRequest || len(f.Ref) != protocol.MaxRefLength {
		t.Fatalf("long ref: %v, ref %d bytes", err, len(f.Ref))
	}
}
