package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// FuzzReadJSON: any request body is decoded without a panic, either into
// the value with every required member, or refused with one of the codes
// docs/protocol.md gives for a bad body.
func FuzzReadJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Ada","email":"ada@example.com","password":"correct horse","role":"admin","priority_level":1,"chat_limit":2}`,
		`{"name":1}`, `{} {}`, `[`, `null`, `{"priority_level":1e99}`, `{"email":"\ud800"}`, "",
	} {
		f.Add([]byte(seed), "application/json")
	}
	f.Add([]byte(`{}`), "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		r := httptest.NewRequest("POST", "/api/operators", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		var in protocol.OperatorInput
		err := readJSON(httptest.NewRecorder(), r, &in, protocol.CreateOperatorMembers...)
		if err != nil {
			var de *desk.Error
			if !errors.As(err, &de) {
				t.Fatalf("not a desk error: %v", err)
			}
			switch de.Code {
			case desk.CodeBadRequest, desk.CodeTooLarge, desk.CodeUnsupported:
			default:
				t.Fatalf("code %q for a bad body", de.Code)
			}
			return
		}
		if len(body) > maxBodyBytes || !json.Valid(body) {
			t.Fatalf("accepted a body of %d bytes, valid JSON %v", len(body), json.Valid(body))
		}
		if miss := protocol.MissingMember(body, protocol.CreateOperatorMembers); miss != "" {
			t.Fatalf("accepted a body without %q", miss)
		}
	})
}
