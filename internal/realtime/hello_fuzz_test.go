package realtime

import (
	"encoding/json"
	"reflect"
	"testing"

	"outputdesk/internal/protocol"
)

// helloSeeds are hellos as clients send them, and near misses.
var helloSeeds = []string{
	// the widget's (JSON.stringify): a new visitor, then a returning one
	`{"type":"hello","token":"","page":{"id":"pv-1","url":"https://shop.example/product?a=1&b=2","title":"Product \"X\" — 20% off","referrer":""},"visible":true,"user_agent":"Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0 Safari/537.36","chat_id":null,"last_seq":0}`,
	`{"type":"hello","token":"vt_abc","page":{"id":"pv-2","url":"https://shop.example/","title":"Home","referrer":"https://www.example.com/"},"visible":false,"user_agent":"UA","chat_id":12,"last_seq":-3}`,
	// Go's encoder escapes & < > as \u00XX
	`{"chat_id":null,"last_seq":0,"page":{"id":"pv-1","referrer":"http://x/load/","title":"Load page 1","url":"http://x/load/p1?v=1\u0026t=2"},"token":"","type":"hello","user_agent":"odload","visible":true}`,
	` { "type" : "hello" , "page" : { } } `, `{"type":"hello","page":null,"visible":null,"token":null}`,
	`{"type":"hello","ref":"r1"}`, `{"type":"page"}`, `{"type":""}`, `{}`, `[]`, `null`, `"hello"`,
	`{"type":"hello","chat_id":1.0}`, `{"type":"hello","chat_id":1e3}`, `{"type":"hello","chat_id":01}`, `{"type":"hello","chat_id":-0}`,
	`{"type":"hello","chat_id":9223372036854775807}`, `{"type":"hello","chat_id":"1"}`, `{"type":"hello","visible":"yes"}`,
	`{"type":"hello","type":"page"}`, `{"Type":"hello"}`, `{"type":"hello","watch":{}}`, `{"type":"hello",}`,
	`{"type":"hello","token":"a\u00e9\ud83d\ude00\n\t\/"}`, `{"type":"hello","token":"\ud83d"}`, `{"type":"hello","token":"\ud83dx"}`,
	"{\"type\":\"hello\",\"token\":\"\xff\"}", "{\"type\":\"hello\",\"token\":\"a\x01\"}", `{"type":"hello","page":{"url":"a","url":"b"}}`,
	`{"type":"hello","page":{"url":1}}`, `{"type":"hello","visible":truex}`, `{"type":"hello"} x`,
}

// FuzzReadHelloFrame: a hello read by hand is exactly what encoding/json
// reads; whatever it does not read plainly goes to readFrame, so every
// input gives what readFrame gives.
func FuzzReadHelloFrame(f *testing.F) {
	for _, seed := range helloSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := readHelloFrame(data)
		want, wantErr := readFrame(data, nil)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
			t.Fatalf("readHelloFrame(%q) = %+v, %v; readFrame = %+v, %v", data, got, gotErr, want, wantErr)
		}
		if plain, ok := plainHello(data); ok {
			var viaJSON protocol.ClientFrame
			if err := json.Unmarshal(data, &viaJSON); err != nil || !reflect.DeepEqual(plain, viaJSON) {
				t.Fatalf("plainHello(%q) = %+v; encoding/json = %+v, %v", data, plain, viaJSON, err)
			}
		}
	})
}

// The hellos clients send are read by hand, not handed to encoding/json.
func TestUsualHellosAreReadByHand(t *testing.T) {
	for _, seed := range helloSeeds[:6] {
		f, ok := plainHello([]byte(seed))
		if !ok || f.Type != protocol.TypeHello {
			t.Errorf("plainHello(%s) = %+v, %v; want a hello read by hand", seed, f, ok)
		}
	}
	f, _ := plainHello([]byte(helloSeeds[0]))
	if f.Page == nil || f.Page.Title != `Product "X" — 20% off` || f.Page.URL != "https://shop.example/product?a=1&b=2" || f.Visible == nil || !*f.Visible || f.ChatID != 0 {
		t.Errorf("the widget's hello read as %+v (page %+v)", f, f.Page)
	}
	if f, _ := plainHello([]byte(helloSeeds[2])); f.Page == nil || f.Page.URL != "http://x/load/p1?v=1&t=2" {
		t.Errorf("Go's escaped & read as %+v", f.Page)
	}
}
