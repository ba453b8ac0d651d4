package desk

import (
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func op(id int64, name string, status Status, prio, limit, active int, lastAssigned time.Duration) Candidate {
	c := Candidate{ID: id, Name: name, Status: status, PriorityLevel: prio, ChatLimit: limit, Active: active}
	if lastAssigned != 0 {
		c.LastAssignedAt = t0.Add(lastAssigned)
	}
	return c
}

func rule(id int64, name string, pos int, target int64, conds ...Condition) ActionRule {
	return ActionRule{ID: id, Name: name, Enabled: true, Position: pos, TargetOperatorID: target, Conditions: conds}
}

var (
	productPage = Page{URL: "http://127.0.0.1:8080/demo/product", Title: "Product"}
	pricingPage = Page{URL: "http://127.0.0.1:8080/demo/pricing", Title: "Pricing", Referrer: "https://www.google.com/"}
	urlProduct  = Condition{FieldURL, OpContains, "/product"}
)

func TestRoute(t *testing.T) {
	john := func(s Status, active int) Candidate { return op(1, "John Mathews", s, 1, 2, active, 0) }
	anna := func(s Status, active int) Candidate { return op(2, "Anna Berg", s, 2, 3, active, 0) }
	maria := func(s Status, active int) Candidate { return op(3, "Maria Lopez", s, 3, 3, active, 0) }
	productRule := rule(10, "Product page", 1, 1, urlProduct)

	tests := []struct {
		name string
		r    Routing
		page Page
		want Decision
	}{
		{
			name: "seed example: product page goes to John by the rule",
			r:    Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOnline, 0), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{OperatorID: 1, OperatorName: "John Mathews", Kind: RoutedByActionRule, Text: "Routed to John Mathews by action rule “Product page”"},
		},
		{
			name: "seed example: John at 2/2, the chat rule picks Anna",
			r:    Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOnline, 2), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{OperatorID: 2, OperatorName: "Anna Berg", Kind: RoutedAutomatic, Text: "Automatic: priority 2, 1 of 3 chats",
				PassedOver: []string{"John Mathews: at chat limit 2/2"}},
		},
		{
			name: "seed example: John at 2/2 and the others Offline, the chat waits",
			r:    Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOnline, 2), anna(StatusOffline, 0), maria(StatusOffline, 0)}},
			page: productPage,
			want: Decision{Kind: RoutedNoRoom, Text: "Automatic: no operator has room; waiting for the first free operator",
				PassedOver: []string{"John Mathews: at chat limit 2/2", "Anna Berg: Offline", "Maria Lopez: Offline"}},
		},
		{
			name: "rule target Offline: passed over, chat rule decides",
			r:    Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOffline, 0), anna(StatusOnline, 1)}},
			page: productPage,
			want: Decision{OperatorID: 2, OperatorName: "Anna Berg", Kind: RoutedAutomatic, Text: "Automatic: priority 2, 2 of 3 chats",
				PassedOver: []string{"John Mathews: Offline"}},
		},
		{
			name: "rule target Away: passed over",
			r:    Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusAway, 0), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{OperatorID: 2, OperatorName: "Anna Berg", Kind: RoutedAutomatic, Text: "Automatic: priority 2, 1 of 3 chats",
				PassedOver: []string{"John Mathews: Away"}},
		},
		{
			name: "rule does not match the page: chat rule decides by priority",
			r:    Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{rule(10, "Product page", 1, 2, urlProduct)}, Operators: []Candidate{john(StatusOnline, 0), anna(StatusOnline, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 1, OperatorName: "John Mathews", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 1 of 2 chats",
				PassedOver: []string{"Anna Berg: lower priority (2)"}},
		},
		{
			name: "disabled rule is skipped",
			r: Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{func() ActionRule { r := rule(10, "To Anna", 1, 2, urlProduct); r.Enabled = false; return r }()},
				Operators: []Candidate{john(StatusOnline, 0), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{OperatorID: 1, OperatorName: "John Mathews", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 1 of 2 chats",
				PassedOver: []string{"Anna Berg: lower priority (2)"}},
		},
		{
			name: "rules apply in position order, not id order",
			r: Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{rule(1, "To John", 2, 1, urlProduct), rule(2, "To Anna", 1, 2, urlProduct)},
				Operators: []Candidate{john(StatusOnline, 0), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{OperatorID: 2, OperatorName: "Anna Berg", Kind: RoutedByActionRule, Text: "Routed to Anna Berg by action rule “To Anna”"},
		},
		{
			name: "first matching rule's target full: the next matching rule gets it",
			r: Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{rule(1, "To John", 1, 1, urlProduct), rule(2, "To Anna", 2, 2, urlProduct)},
				Operators: []Candidate{john(StatusOnline, 2), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{OperatorID: 2, OperatorName: "Anna Berg", Kind: RoutedByActionRule, Text: "Routed to Anna Berg by action rule “To Anna”",
				PassedOver: []string{"John Mathews: at chat limit 2/2"}},
		},
		{
			name: "title and referrer conditions all must hold",
			r: Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{
				rule(1, "Google pricing", 1, 2, Condition{FieldTitle, OpContains, "pricing"}, Condition{FieldReferrer, OpContains, "google"}),
			}, Operators: []Candidate{anna(StatusOnline, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 2, OperatorName: "Anna Berg", Kind: RoutedByActionRule, Text: "Routed to Anna Berg by action rule “Google pricing”"},
		},
		{
			name: "Manual without a matching rule: the chat waits",
			r:    Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOnline, 0), anna(StatusOnline, 0)}},
			page: pricingPage,
			want: Decision{Kind: RoutedManual, Text: "Manual: waiting for an operator to take it"},
		},
		{
			name: "Manual with a matching rule: the rule still routes",
			r:    Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOnline, 1)}},
			page: productPage,
			want: Decision{OperatorID: 1, OperatorName: "John Mathews", Kind: RoutedByActionRule, Text: "Routed to John Mathews by action rule “Product page”"},
		},
		{
			name: "Manual with a matching rule whose target is full: waits, says why",
			r:    Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{productRule}, Operators: []Candidate{john(StatusOnline, 2), anna(StatusOnline, 0)}},
			page: productPage,
			want: Decision{Kind: RoutedManual, Text: "Manual: waiting for an operator to take it", PassedOver: []string{"John Mathews: at chat limit 2/2"}},
		},
		{
			name: "priority beats load",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(1, "Low", StatusOnline, 2, 5, 0, 0), op(2, "High", StatusOnline, 1, 5, 4, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 2, OperatorName: "High", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 5 of 5 chats",
				PassedOver: []string{"Low: lower priority (2)"}},
		},
		{
			name: "equal priority: fewest active chats",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(1, "Busy", StatusOnline, 1, 5, 2, 0), op(2, "Idle", StatusOnline, 1, 5, 1, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 2, OperatorName: "Idle", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 2 of 5 chats",
				PassedOver: []string{"Busy: more chats (2 of 5)"}},
		},
		{
			name: "equal priority and load: oldest last assignment",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(1, "Recent", StatusOnline, 1, 5, 1, time.Minute), op(2, "Earlier", StatusOnline, 1, 5, 1, time.Second)}},
			page: pricingPage,
			want: Decision{OperatorID: 2, OperatorName: "Earlier", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 2 of 5 chats",
				PassedOver: []string{"Recent: assigned more recently"}},
		},
		{
			name: "never assigned counts as oldest",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(1, "Had one", StatusOnline, 1, 5, 0, time.Second), op(2, "New", StatusOnline, 1, 5, 0, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 2, OperatorName: "New", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 1 of 5 chats",
				PassedOver: []string{"Had one: assigned more recently"}},
		},
		{
			name: "equal in everything: the earlier account, and the other is not said to be more recent",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(2, "Second", StatusOnline, 1, 5, 1, time.Minute), op(1, "First", StatusOnline, 1, 5, 1, time.Minute)}},
			page: pricingPage,
			want: Decision{OperatorID: 1, OperatorName: "First", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 2 of 5 chats",
				PassedOver: []string{"Second: tied with First, whose account is older"}},
		},
		{
			name: "equal and never assigned: the older account",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(1, "First", StatusOnline, 1, 5, 0, 0), op(2, "Second", StatusOnline, 1, 5, 0, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 1, OperatorName: "First", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 1 of 5 chats",
				PassedOver: []string{"Second: tied with First, whose account is older"}},
		},
		{
			name: "three at equal priority: each passed over for its own reason",
			r: Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{
				op(3, "Tied", StatusOnline, 1, 5, 1, time.Second), op(4, "Recent", StatusOnline, 1, 5, 1, time.Minute),
				op(2, "Chosen", StatusOnline, 1, 5, 1, time.Second), op(5, "Busy", StatusOnline, 1, 5, 2, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 2, OperatorName: "Chosen", Kind: RoutedAutomatic, Text: "Automatic: priority 1, 2 of 5 chats",
				PassedOver: []string{"Tied: tied with Chosen, whose account is older", "Recent: assigned more recently", "Busy: more chats (2 of 5)"}},
		},
		{
			name: "Away and at-limit operators are skipped by the chat rule",
			r: Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{
				op(1, "Away One", StatusAway, 1, 5, 0, 0), op(2, "Full One", StatusOnline, 1, 1, 1, 0), op(3, "Free One", StatusOnline, 3, 1, 0, 0)}},
			page: pricingPage,
			want: Decision{OperatorID: 3, OperatorName: "Free One", Kind: RoutedAutomatic, Text: "Automatic: priority 3, 1 of 1 chats",
				PassedOver: []string{"Away One: Away", "Full One: at chat limit 1/1"}},
		},
		{
			name: "chat limit 0 never gets automatic chats",
			r:    Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{op(1, "Zero", StatusOnline, 1, 0, 0, 0)}},
			page: pricingPage,
			want: Decision{Kind: RoutedNoRoom, Text: "Automatic: no operator has room; waiting for the first free operator", PassedOver: []string{"Zero: at chat limit 0/0"}},
		},
		{
			name: "nobody online: waits",
			r:    Routing{ChatRule: ChatRuleAutomatic},
			page: pricingPage,
			want: Decision{Kind: RoutedNoRoom, Text: "Automatic: no operator has room; waiting for the first free operator"},
		},
		{
			name: "a rule whose operator is gone is passed over",
			r:    Routing{ChatRule: ChatRuleManual, Rules: []ActionRule{rule(1, "Ghost", 1, 99, urlProduct)}},
			page: productPage,
			want: Decision{Kind: RoutedManual, Text: "Manual: waiting for an operator to take it", PassedOver: []string{"Rule “Ghost”: its operator no longer exists"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.r.Route(tc.page)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Route =\n  %+v\nwant\n  %+v", got, tc.want)
			}
		})
	}
}

func TestRouteQueueCountsEachAssignment(t *testing.T) {
	r := Routing{ChatRule: ChatRuleAutomatic, Operators: []Candidate{
		op(1, "John Mathews", StatusOnline, 1, 2, 0, 0), op(2, "Anna Berg", StatusOnline, 2, 3, 0, 0), op(3, "Maria Lopez", StatusOnline, 3, 3, 0, 0)}}
	queue := make([]QueuedChat, 10)
	for i := range queue {
		queue[i] = QueuedChat{ID: int64(i + 1), Page: pricingPage}
	}
	got := r.RouteQueue(queue, t0)
	want := []int64{1, 1, 2, 2, 2, 3, 3, 3, 0, 0}
	for i, d := range got {
		if d.OperatorID != want[i] {
			t.Errorf("chat %d went to %d, want %d (%s)", i+1, d.OperatorID, want[i], d.Text)
		}
	}
	if r.Operators[0].Active != 0 {
		t.Error("RouteQueue changed the caller's operators")
	}
}

func TestRouteQueueRuleFirstThenFIFO(t *testing.T) {
	r := Routing{ChatRule: ChatRuleAutomatic, Rules: []ActionRule{rule(1, "Product page", 1, 1, urlProduct)},
		Operators: []Candidate{op(1, "John Mathews", StatusOnline, 1, 2, 1, 0), op(2, "Anna Berg", StatusOnline, 2, 3, 3, 0)}}
	got := r.RouteQueue([]QueuedChat{{ID: 1, Page: pricingPage}, {ID: 2, Page: productPage}}, t0)
	if got[0].OperatorID != 1 || got[0].Kind != RoutedAutomatic {
		t.Errorf("oldest chat: %+v, want automatic to John", got[0])
	}
	if got[1].OperatorID != 0 {
		t.Errorf("second chat: %+v, want waiting (John now full)", got[1])
	}
}
