package realtime

import (
	"encoding/json"
	"testing"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// FuzzReadFrame: any bytes a client sends as a frame are read without a
// panic, into a frame with a type, a bounded ref and every member its type
// requires — or into a bad_request error.
func FuzzReadFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"hello","token":"vt_x","page":{"id":"p1","url":"https://x.example/","title":"Home"}}`,
		`{"type":"message","ref":"r1","body":"hi","client_id":"c1"}`,
		`{"type":"page","page":{"url":1}}`, `{"type":""}`, `[]`, `null`, `{"type":"message","ref":` + `"` + string(make([]byte, 100)) + `"}`,
		`{"type":"typing","chat_id":"1"}`, `{"type":"take","chat_id":1e400}`,
	} {
		f.Add([]byte(seed))
	}
	required := map[string][]string{"message": {"body"}, "page": {"page", "page.url"}, "take": {"chat_id"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := readFrame(data, required)
		if err != nil {
			if err.Code != desk.CodeBadRequest {
				t.Fatalf("error code %q for %q", err.Code, data)
			}
			if len(fr.Ref) > protocol.MaxRefLength {
				t.Fatalf("an error frame would echo a ref of %d bytes", len(fr.Ref))
			}
			return
		}
		if fr.Type == "" || len(fr.Ref) > protocol.MaxRefLength {
			t.Fatalf("accepted %q as type %q ref %d bytes", data, fr.Type, len(fr.Ref))
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		if miss := protocol.MissingMember(data, required[fr.Type]); miss != "" {
			t.Fatalf("accepted %q without %q", data, miss)
		}
	})
}
