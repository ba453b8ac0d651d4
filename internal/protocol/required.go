package protocol

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// The members a client frame or a REST body must carry (docs/protocol.md).
// A missing member, or one that is null, is a bad request; a member that is
// there but out of range is for the layer that checks values (invalid).
//
// A path names a member inside another with a dot ("page.url"); "[]" after a
// name means every element of that array ("conditions[].op"). A nested member
// is required only when its parent is there and not null: a missing parent is
// reported only if the parent itself is listed.

// VisitorFrameMembers are the required members of the widget's frames after
// hello, by type.
var VisitorFrameMembers = map[string][]string{
	TypePage:              {"page", "page.url"},
	TypeMessageSend:       {"client_id", "body"},
	TypeInvitationDismiss: {"invitation_id"},
	TypeTyping:            {"active"},
	TypeChatRate:          {"chat_id", "rating"},
	TypeOfflineMessage:    {"email", "body"},
	TypeTranscriptEmail:   {"chat_id"},
}

// ConsoleFrameMembers are the required members of the console's frames after
// hello, by type. chat.watch's last_seq may be left out: it is then 0.
var ConsoleFrameMembers = map[string][]string{
	TypeMessageSend: {"chat_id", "client_id", "body"},
	TypeChatWatch:   {"chat_id"},
	TypeChatUnwatch: {"chat_id"},
	TypeChatRead:    {"chat_id", "seq"},
	TypeTyping:      {"chat_id", "active"},
}

// The required members of the REST bodies.
var (
	SetupAdminMembers     = []string{"name", "email", "password"}
	LoginMembers          = []string{"email", "password"}
	CreateOperatorMembers = []string{"name", "email", "password"} // role, priority_level, chat_limit have defaults
	StatusMembers         = []string{"status"}
	ActionRuleMembers     = []string{"name", "enabled", "conditions", "target_operator_id",
		"conditions[].field", "conditions[].op", "conditions[].value"}
	MoveMembers           = []string{"direction"}
	RoutingTestMembers    = []string{"url"} // title and referrer default to ""
	InvitationRuleMembers = []string{"name", "enabled", "min_time_on_page_seconds", "min_pages_viewed", "message",
		"url.op", "url.value"} // url itself may be null or left out: any page
	TransferMembers = []string{"operator_id"}
	NoteMembers     = []string{"body"}
)

// MissingMember returns the first of paths that the JSON object data lacks
// (or holds as null), spelled with array indexes ("conditions[1].op"), or ""
// when all are there. data must already be known to be well-formed JSON;
// members of the wrong type are left to the decoder to report.
func MissingMember(data []byte, paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	root, ok := object(data)
	if !ok {
		return ""
	}
	for _, p := range paths {
		if miss := missingIn(root, strings.Split(p, "."), ""); miss != "" {
			return miss
		}
	}
	return ""
}

func missingIn(obj map[string]json.RawMessage, segs []string, prefix string) string {
	name, each := strings.CutSuffix(segs[0], "[]")
	path := prefix + name
	m, ok := obj[name]
	if !ok || isNull(m) {
		if len(segs) == 1 {
			return path
		}
		return "" // a missing parent is reported only where it is required itself
	}
	rest := segs[1:]
	if len(rest) == 0 {
		return ""
	}
	if !each {
		if child, ok := object(m); ok {
			return missingIn(child, rest, path+".")
		}
		return ""
	}
	var items []json.RawMessage
	if json.Unmarshal(m, &items) != nil {
		return ""
	}
	for i, item := range items {
		if child, ok := object(item); ok {
			if miss := missingIn(child, rest, path+"["+strconv.Itoa(i)+"]."); miss != "" {
				return miss
			}
		}
	}
	return ""
}

// object decodes a JSON object; anything else (null, an array, a number) is
// not one, and is the decoder's to report.
func object(data []byte) (map[string]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil || obj == nil {
		return nil, false
	}
	return obj, true
}

func isNull(m json.RawMessage) bool { return string(bytes.TrimSpace(m)) == "null" }
