package protocol

import (
	"bytes"
	"testing"
)

func TestEventRoundTrip(t *testing.T) {
	for _, e := range []Event{
		{Kind: EventChat, ChatID: 12, State: "active", PrevState: "waiting", OperatorID: 3, LastSeq: 1,
			Frame: []byte(`{"type":"chat","chat":{"id":12}}`), Last: []byte(`{"type":"message","message":{"body":"a\\nb"}}`)},
		{Kind: EventMessage, ChatID: 12, Seq: 4, Frame: []byte(`{"type":"message"}`)},
		{Kind: EventOperator, OperatorID: 3, Frame: []byte(`{}`)},
	} {
		got, err := DecodeEvent(e.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != e.Kind || got.ChatID != e.ChatID || got.Seq != e.Seq || got.State != e.State || got.PrevState != e.PrevState ||
			got.OperatorID != e.OperatorID || got.LastSeq != e.LastSeq || !bytes.Equal(got.Frame, e.Frame) || !bytes.Equal(got.Last, e.Last) {
			t.Fatalf("round trip of %+v gave %+v", e, got)
		}
	}
	if _, err := DecodeEvent([]byte(`{"kind":"chat"}`)); err == nil {
		t.Fatal("a payload without frames decoded")
	}
}
