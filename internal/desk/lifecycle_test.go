package desk

import (
	"fmt"
	"testing"
	"time"
)

func TestLifecycle(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	waiting := Chat{ID: 7, VisitorID: 3, State: ChatWaiting, StartedBy: AuthorVisitor}
	routed := waiting
	routed.Routing = []RoutingEntry{{At: t0, Kind: RoutedNoRoom, Text: "No operator has room", PassedOver: []string{"John Mathews: at limit 2/2"}}}
	taken := routed
	taken.State, taken.OperatorID, taken.OperatorName = ChatActive, 2, "Anna Berg"
	taken.Routing = append(append([]RoutingEntry{}, routed.Routing...), RoutingEntry{Kind: RoutedTaken, Text: "Taken by Anna Berg"})
	handedBackAndRouted := taken
	handedBackAndRouted.OperatorID, handedBackAndRouted.OperatorName = 1, "John Mathews"
	handedBackAndRouted.Routing = append(append([]RoutingEntry{}, taken.Routing...),
		RoutingEntry{Kind: RoutedHandedBack, Text: "Anna Berg went Offline"}, RoutingEntry{Kind: RoutedAutomatic, Text: "Routed to John Mathews by the Automatic chat rule"})
	ended := handedBackAndRouted
	ended.State, ended.EndedBy, ended.EndReason, ended.EndedByOperatorID, ended.EndedByOperatorName = ChatEnded, AuthorOperator, EndCancel, 1, "John Mathews"
	touched := taken
	touched.LastSeq = 9

	cases := []struct {
		name          string
		before, after Chat
		want          string
	}{
		{"created", Chat{}, waiting, "[chat started [chat 7 visitor 3 started_by visitor]]"},
		{"routed, left waiting", waiting, routed, "[chat routed [chat 7 visitor 3 kind no_room reason No operator has room passed_over [John Mathews: at limit 2/2]]]"},
		{"taken", routed, taken, "[chat taken [chat 7 visitor 3 kind taken reason Taken by Anna Berg operator 2 operator_name Anna Berg]]"},
		{"handed back and routed in one change", taken, handedBackAndRouted,
			"[chat handed back [chat 7 visitor 3 kind handed_back reason Anna Berg went Offline from_operator 2] " +
				"chat routed [chat 7 visitor 3 kind automatic reason Routed to John Mathews by the Automatic chat rule operator 1 operator_name John Mathews]]"},
		{"ended", handedBackAndRouted, ended, "[chat ended [chat 7 visitor 3 ended_by operator reason cancel by_operator 1 by_operator_name John Mathews operator 1]]"},
		{"a message is no step", taken, touched, "[]"},
		{"ended twice is one end", ended, ended, "[]"},
	}
	for _, c := range cases {
		got := fmt.Sprint(Lifecycle(c.before, c.after))
		got = trimBraces(got)
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// trimBraces turns fmt's {What [attrs]} into "What [attrs]".
func trimBraces(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '{' && s[i] != '}' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
