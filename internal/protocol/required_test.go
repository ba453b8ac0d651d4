package protocol

import "testing"

func TestMissingMember(t *testing.T) {
	rule := []string{"name", "conditions", "conditions[].field", "conditions[].value"}
	invite := []string{"message", "url.op", "url.value"}
	tests := []struct {
		name  string
		data  string
		paths []string
		want  string
	}{
		{"all there", `{"client_id":"c","body":"hi"}`, []string{"client_id", "body"}, ""},
		{"empty values are there", `{"client_id":"","body":""}`, []string{"client_id", "body"}, ""},
		{"zero is there", `{"chat_id":0}`, []string{"chat_id"}, ""},
		{"missing", `{"body":"hi"}`, []string{"client_id", "body"}, "client_id"},
		{"first missing in order", `{}`, []string{"client_id", "body"}, "client_id"},
		{"null is missing", `{"client_id":"c","body":null}`, []string{"client_id", "body"}, "body"},
		{"nothing required", `{}`, nil, ""},
		{"nested there", `{"page":{"url":"u"}}`, []string{"page", "page.url"}, ""},
		{"nested missing", `{"page":{"title":"t"}}`, []string{"page", "page.url"}, "page.url"},
		{"parent missing is reported as the parent", `{}`, []string{"page", "page.url"}, "page"},
		{"optional parent missing", `{"message":"m"}`, invite, ""},
		{"optional parent null", `{"message":"m","url":null}`, invite, ""},
		{"optional parent there, child missing", `{"message":"m","url":{"op":"contains"}}`, invite, "url.value"},
		{"array elements all complete", `{"name":"n","conditions":[{"field":"url","value":"x"},{"field":"title","value":"y"}]}`, rule, ""},
		{"array element incomplete", `{"name":"n","conditions":[{"field":"url","value":"x"},{"field":"title"}]}`, rule, "conditions[1].value"},
		{"array element null member", `{"name":"n","conditions":[{"field":null,"value":"x"}]}`, rule, "conditions[0].field"},
		{"empty array has no elements to check", `{"name":"n","conditions":[]}`, rule, ""},
		{"wrong types are the decoder's", `{"name":"n","conditions":"x","page":7}`, append(rule, "page.url"), ""},
		{"not an object", `[1,2]`, []string{"body"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MissingMember([]byte(tc.data), tc.paths); got != tc.want {
				t.Errorf("MissingMember(%s, %v) = %q, want %q", tc.data, tc.paths, got, tc.want)
			}
		})
	}
}
