package app_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// A REST body without a member its endpoint requires, or with it null, is
// 400 bad_request and changes nothing; with every required member there, the
// request is the application's to judge: a value out of range is 400 invalid
// and changes nothing, a good one does what it says. Optional members may be
// left out (docs/protocol.md, the *Members lists of protocol/required.go).
// What a request changed is read back through the API.

// bodyCase is one request with a raw JSON body. In its path and body,
// {names} stand for ids the test fills in.
type bodyCase struct {
	name, method, path, body string
	status                   int    // the answer's status
	code                     string // the error's code; "" for a success
	changes                  bool   // whether it changes what the test's state reads
}

// sendBodies sends the cases in order as o, checking each answer and that
// state, read before and after, changed exactly when the case says so.
func sendBodies(t *testing.T, o *operator, ids *strings.Replacer, state func() string, cases []bodyCase) {
	t.Helper()
	for _, tc := range cases {
		before := state()
		path, body := ids.Replace(tc.path), ids.Replace(tc.body)
		var raw json.RawMessage
		status := o.do(tc.method, path, json.RawMessage(body), &raw)
		var got struct{ Error, Code string }
		if status >= 400 {
			json.Unmarshal(raw, &got)
		}
		switch {
		case status != tc.status || got.Code != tc.code:
			t.Errorf("%s: %s %s %s = %d %s, want %d %s", tc.name, tc.method, path, body, status, raw, tc.status, tc.code)
		case tc.code != "" && got.Error == "":
			t.Errorf("%s: no message says what is wrong: %s", tc.name, raw)
		}
		after := state()
		if tc.changes && after == before {
			t.Errorf("%s: changed nothing, want a change of\n%s", tc.name, before)
		}
		if !tc.changes && after != before {
			t.Errorf("%s: changed what it must not:\nbefore %s\nafter  %s", tc.name, before, after)
		}
	}
}

// readRaw reads a GET answer as it comes, for comparing before and after.
func readRaw(o *operator, path string) string {
	o.s.t.Helper()
	var raw json.RawMessage
	o.mustDo("GET", path, nil, 200, &raw)
	return string(raw)
}

var noIDs = strings.NewReplacer()

func TestSetupAdminMissingMembers(t *testing.T) {
	s := startServer(t)
	anyone := s.newOperatorClient()
	state := func() string { return readRaw(anyone, "/api/setup") } // needs_admin until there is one
	const path = "/api/setup/admin"
	sendBodies(t, anyone, noIDs, state, []bodyCase{
		{"without name", "POST", path, `{"email":"ada@example.com","password":"correct horse"}`, 400, "bad_request", false},
		{"without email", "POST", path, `{"name":"Ada Admin","password":"correct horse"}`, 400, "bad_request", false},
		{"without password", "POST", path, `{"name":"Ada Admin","email":"ada@example.com"}`, 400, "bad_request", false},
		{"with a null password", "POST", path, `{"name":"Ada Admin","email":"ada@example.com","password":null}`, 400, "bad_request", false},
		{"with an empty name", "POST", path, `{"name":"","email":"ada@example.com","password":"correct horse"}`, 400, "invalid", false},
		{"complete", "POST", path, `{"name":"Ada Admin","email":"ada@example.com","password":"correct horse"}`, 201, "", true},
	})
}

func TestLoginMissingMembers(t *testing.T) {
	s := startServer(t)
	s.firstAdmin()
	anyone := s.newOperatorClient()
	state := func() string { return fmt.Sprint("GET /api/session = ", anyone.do("GET", "/api/session", nil, nil)) }
	const path = "/api/session"
	sendBodies(t, anyone, noIDs, state, []bodyCase{
		{"without email", "POST", path, `{"password":"correct horse"}`, 400, "bad_request", false},
		{"with a null email", "POST", path, `{"email":null,"password":"correct horse"}`, 400, "bad_request", false},
		{"without password", "POST", path, `{"email":"ada@example.com"}`, 400, "bad_request", false},
		{"with a null password", "POST", path, `{"email":"ada@example.com","password":null}`, 400, "bad_request", false},
		{"complete", "POST", path, `{"email":"ada@example.com","password":"correct horse"}`, 200, "", true},
	})
}

func TestOperatorMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	ids := strings.NewReplacer("{me}", itoa(admin.me.ID))
	state := func() string { return readRaw(admin, "/api/operators") }
	const path = "/api/operators"
	sendBodies(t, admin, ids, state, []bodyCase{
		{"create without name", "POST", path, `{"email":"maria@example.com","password":"12345678"}`, 400, "bad_request", false},
		{"create without email", "POST", path, `{"name":"Maria Lopez","password":"12345678"}`, 400, "bad_request", false},
		{"create with a null email", "POST", path, `{"name":"Maria Lopez","email":null,"password":"12345678"}`, 400, "bad_request", false},
		{"create without password", "POST", path, `{"name":"Maria Lopez","email":"maria@example.com"}`, 400, "bad_request", false},
		{"create with a short password", "POST", path, `{"name":"Maria Lopez","email":"maria@example.com","password":"1234"}`, 400, "invalid", false},
		{"create complete", "POST", path, `{"name":"John Mathews","email":"john@example.com","password":"12345678","role":"operator","priority_level":1,"chat_limit":2}`, 201, "", true},
		{"create with defaults", "POST", path, `{"name":"Anna Berg","email":"anna@example.com","password":"12345678"}`, 201, "", true},
		{"update: any subset", "PATCH", path + "/{me}", `{}`, 200, "", false},
		{"update: a change", "PATCH", path + "/{me}", `{"chat_limit":4}`, 200, "", true},
	})
}

func TestStatusMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	admin.console(nil, false) // without a console an operator shows Offline whatever they chose
	state := func() string {
		var me struct{ Operator struct{ Status string } }
		admin.mustDo("GET", "/api/session", nil, 200, &me)
		return me.Operator.Status
	}
	const path = "/api/me/status"
	sendBodies(t, admin, noIDs, state, []bodyCase{
		{"without status", "PUT", path, `{}`, 400, "bad_request", false},
		{"with a null status", "PUT", path, `{"status":null}`, 400, "bad_request", false},
		{"out of range", "PUT", path, `{"status":"Busy"}`, 400, "invalid", false},
		{"complete", "PUT", path, `{"status":"Away"}`, 200, "", true},
	})
}

func TestSettingsMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	state := func() string { return readRaw(admin, "/api/settings") }
	const path = "/api/settings"
	sendBodies(t, admin, noIDs, state, []bodyCase{
		{"any subset", "PATCH", path, `{}`, 200, "", false},
		{"out of range", "PATCH", path, `{"chat_rule":"Sometimes"}`, 400, "invalid", false},
		{"a change", "PATCH", path, `{"chat_rule":"Automatic"}`, 200, "", true},
	})
}

func TestActionRuleMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	var rule struct{ ID int64 }
	admin.mustDo("POST", "/api/action-rules", map[string]any{"name": "Product page", "enabled": true, "target_operator_id": john.me.ID,
		"conditions": []map[string]string{{"field": "url", "op": "contains", "value": "/product"}}}, 201, &rule)
	ids := strings.NewReplacer("{john}", itoa(john.me.ID), "{rule}", itoa(rule.ID), "{cond}", `{"field":"url","op":"contains","value":"/pricing"}`)
	state := func() string { return readRaw(admin, "/api/action-rules") }
	const path = "/api/action-rules"
	sendBodies(t, admin, ids, state, []bodyCase{
		{"without name", "POST", path, `{"enabled":true,"conditions":[{cond}],"target_operator_id":{john}}`, 400, "bad_request", false},
		{"without enabled", "POST", path, `{"name":"Pricing","conditions":[{cond}],"target_operator_id":{john}}`, 400, "bad_request", false},
		{"without conditions", "POST", path, `{"name":"Pricing","enabled":true,"target_operator_id":{john}}`, 400, "bad_request", false},
		{"without target", "POST", path, `{"name":"Pricing","enabled":true,"conditions":[{cond}]}`, 400, "bad_request", false},
		{"with a null target", "POST", path, `{"name":"Pricing","enabled":true,"conditions":[{cond}],"target_operator_id":null}`, 400, "bad_request", false},
		{"condition without field", "POST", path, `{"name":"Pricing","enabled":true,"conditions":[{"op":"contains","value":"x"}],"target_operator_id":{john}}`, 400, "bad_request", false},
		{"condition without op", "POST", path, `{"name":"Pricing","enabled":true,"conditions":[{"field":"url","value":"x"}],"target_operator_id":{john}}`, 400, "bad_request", false},
		{"second condition without value", "PUT", path + "/{rule}", `{"name":"Product page","enabled":true,"conditions":[{cond},{"field":"url","op":"contains"}],"target_operator_id":{john}}`, 400, "bad_request", false},
		{"with no conditions (a value)", "PUT", path + "/{rule}", `{"name":"Product page","enabled":true,"conditions":[],"target_operator_id":{john}}`, 400, "invalid", false},
		{"complete", "POST", path, `{"name":"Pricing","enabled":true,"conditions":[{cond}],"target_operator_id":{john}}`, 201, "", true},
		{"move without direction", "POST", path + "/{rule}/move", `{}`, 400, "bad_request", false},
		{"move complete", "POST", path + "/{rule}/move", `{"direction":"down"}`, 200, "", true},
		{"routing test without url", "POST", path + "/test", `{"title":"Product"}`, 400, "bad_request", false},
		{"routing test with url only", "POST", path + "/test", `{"url":"http://x/product"}`, 200, "", false},
	})
}

func TestInvitationRuleMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	addInvitationRule(t, admin, "/pricing", 10, 0, "Need a plan?")
	var list struct{ Rules []struct{ ID int64 } }
	admin.mustDo("GET", "/api/invitation-rules", nil, 200, &list)
	ids := strings.NewReplacer("{rule}", itoa(list.Rules[0].ID), "{url}", `{"op":"contains","value":"/pricing"}`)
	state := func() string { return readRaw(admin, "/api/invitation-rules") }
	const path = "/api/invitation-rules"
	sendBodies(t, admin, ids, state, []bodyCase{
		{"without name", "POST", path, `{"enabled":true,"url":null,"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 400, "bad_request", false},
		{"without enabled", "POST", path, `{"name":"Any","url":null,"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 400, "bad_request", false},
		{"without time on page", "POST", path, `{"name":"Any","enabled":true,"url":null,"min_pages_viewed":0,"message":"Hi"}`, 400, "bad_request", false},
		{"without pages viewed", "POST", path, `{"name":"Any","enabled":true,"url":null,"min_time_on_page_seconds":10,"message":"Hi"}`, 400, "bad_request", false},
		{"without message", "PUT", path + "/{rule}", `{"name":"Any","enabled":true,"url":null,"min_time_on_page_seconds":10,"min_pages_viewed":0}`, 400, "bad_request", false},
		{"url without op", "POST", path, `{"name":"Any","enabled":true,"url":{"value":"/pricing"},"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 400, "bad_request", false},
		{"url without value", "POST", path, `{"name":"Any","enabled":true,"url":{"op":"contains"},"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 400, "bad_request", false},
		{"time on page out of range", "POST", path, `{"name":"Any","enabled":true,"url":null,"min_time_on_page_seconds":-1,"min_pages_viewed":0,"message":"Hi"}`, 400, "invalid", false},
		{"complete", "POST", path, `{"name":"Pricing","enabled":true,"url":{url},"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 201, "", true},
		{"for any page (null url)", "POST", path, `{"name":"Any","enabled":true,"url":null,"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 201, "", true},
		{"for any page (no url)", "PUT", path + "/{rule}", `{"name":"Any","enabled":true,"min_time_on_page_seconds":10,"min_pages_viewed":0,"message":"Hi"}`, 200, "", true},
	})
}

func TestTransferMissingMembers(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	john := admin.addOperator("John Mathews", 1, 2)
	john.console(nil, false) // a chat goes only to an operator who is not Offline
	v := s.visitor("/demo/")
	v.say("hello")
	admin.take(v.chatID)
	ids := strings.NewReplacer("{chat}", itoa(v.chatID), "{john}", itoa(john.me.ID), "{me}", itoa(admin.me.ID))
	state := func() string { return readRaw(admin, "/api/chats/"+itoa(v.chatID)) }
	const path = "/api/chats/{chat}/transfer"
	sendBodies(t, admin, ids, state, []bodyCase{
		{"without operator_id", "POST", path, `{}`, 400, "bad_request", false},
		{"with a null operator_id", "POST", path, `{"operator_id":null}`, 400, "bad_request", false},
		{"a mistyped member", "POST", path, `{"operator_id":"{john}"}`, 400, "bad_request", false},
		{"not an object", "POST", path, `[{john}]`, 400, "bad_request", false},
		{"to the operator who has it (a value)", "POST", path, `{"operator_id":{me}}`, 400, "invalid", false},
		{"complete", "POST", path, `{"operator_id":{john}}`, 200, "", true},
	})
}
