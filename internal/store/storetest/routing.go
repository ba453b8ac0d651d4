package storetest

import (
	"sync"
	"testing"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/store"
)

// decideAutomatic routes the whole queue with the desk's routing, everyone
// connected: what the application does in Automatic mode.
func decideAutomatic(now time.Time) func(store.RoutingState) []store.Routed {
	return func(st store.RoutingState) []store.Routed {
		r := desk.Routing{ChatRule: desk.ChatRuleAutomatic, Rules: st.Rules}
		for _, o := range st.Operators {
			r.Operators = append(r.Operators, desk.Candidate{ID: o.ID, Name: o.Name, Status: o.Status, PriorityLevel: o.PriorityLevel,
				ChatLimit: o.ChatLimit, Active: st.Active[o.ID], LastAssignedAt: o.LastAssignedAt})
		}
		queue := st.Waiting
		var out []store.Routed
		for i, d := range r.RouteQueue(queue, now) {
			out = append(out, store.Routed{ChatID: queue[i].ID, Decision: d})
		}
		return out
	}
}

func testRoute(t *testing.T, f *fixture) {
	john := f.operator("John Mathews", 1, 2)
	c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
	var seen store.RoutingState
	changed, err := f.s.Route(f.ctx, f.site.ID, t0.Add(time.Second), func(st store.RoutingState) []store.Routed {
		seen = st
		return []store.Routed{
			{ChatID: c1.ID, Decision: desk.Decision{OperatorID: john.ID, OperatorName: john.Name, Kind: desk.RoutedByActionRule, Text: "Routed to John"}},
			{ChatID: c2.ID, Decision: desk.Decision{Kind: desk.RoutedManual, Text: "Manual: waiting", PassedOver: []string{"x: Offline"}}, Record: true},
		}
	})
	f.must(err)
	if len(seen.Waiting) != 2 || seen.Waiting[0].ID != c1.ID || seen.Settings.ChatRule != desk.ChatRuleManual || len(seen.Operators) != 1 {
		t.Fatalf("routing state = %+v", seen)
	}
	if len(changed) != 2 {
		t.Fatalf("%d chats changed, want 2", len(changed))
	}
	a, w := changed[0], changed[1]
	if a.State != desk.ChatActive || a.OperatorID != john.ID || a.OperatorName != "John Mathews" || !a.AssignedAt.Equal(t0.Add(time.Second)) ||
		len(a.Routing) != 1 || a.Routing[0].Kind != desk.RoutedByActionRule || a.Routing[0].Text != "Routed to John" {
		t.Fatalf("assigned chat = %+v", a)
	}
	if w.State != desk.ChatWaiting || len(w.Routing) != 1 || w.Routing[0].PassedOver[0] != "x: Offline" {
		t.Fatalf("recorded waiting chat = %+v", w)
	}
	if j, _ := f.s.Operator(f.ctx, john.ID); !j.LastAssignedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("last assignment not stamped: %v", j.LastAssignedAt)
	}
	counts, _ := f.s.ActiveChatCounts(f.ctx, f.site.ID)
	if counts[john.ID] != 1 {
		t.Fatalf("active counts = %v", counts)
	}
	// an outcome for a chat no longer waiting changes nothing
	changed, err = f.s.Route(f.ctx, f.site.ID, t0, func(store.RoutingState) []store.Routed {
		return []store.Routed{{ChatID: c1.ID, Decision: desk.Decision{OperatorID: john.ID, Kind: desk.RoutedAutomatic}}}
	})
	f.must(err)
	if len(changed) != 0 {
		t.Fatalf("re-routing an active chat changed %+v", changed)
	}
}

func testRouteLimit(t *testing.T, f *fixture) {
	john := f.operator("John Mathews", 1, 1)
	c1, c2 := f.waitingChat(t0), f.waitingChat(t0)
	// a decide that ignores the limit: the store must still refuse
	changed, err := f.s.Route(f.ctx, f.site.ID, t0, func(store.RoutingState) []store.Routed {
		return []store.Routed{
			{ChatID: c1.ID, Decision: desk.Decision{OperatorID: john.ID, Kind: desk.RoutedAutomatic}},
			{ChatID: c2.ID, Decision: desk.Decision{OperatorID: john.ID, Kind: desk.RoutedAutomatic}},
		}
	})
	f.must(err)
	if len(changed) != 1 || changed[0].ID != c1.ID {
		t.Fatalf("changed %d chats, want only the first (limit 1)", len(changed))
	}
	if c, _ := f.s.Chat(f.ctx, c2.ID); c.State != desk.ChatWaiting {
		t.Fatalf("second chat is %s, want waiting", c.State)
	}
}

// testRouteConcurrent: 300 chats started at once against limits 2/3/3, each
// routed as it is created → exactly 8 assigned, none past its limit, and the
// first 8 created are the ones assigned.
func testRouteConcurrent(t *testing.T, f *fixture) {
	ops := []desk.Operator{f.operator("John Mathews", 1, 2), f.operator("Anna Berg", 2, 3), f.operator("Maria Lopez", 3, 3)}
	visitors := make([]desk.Visitor, 300)
	for i := range visitors {
		visitors[i] = f.visitor()
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(visitors))
	for _, v := range visitors {
		wg.Add(1)
		go func(v desk.Visitor) {
			defer wg.Done()
			_, _, err := f.s.CreateChat(f.ctx, store.NewChat{Chat: desk.Chat{SiteID: f.site.ID, VisitorID: v.ID, State: desk.ChatWaiting,
				StartedBy: desk.AuthorVisitor, CreatedAt: t0, VisitorActiveAt: t0}})
			if err == nil {
				_, err = f.s.Route(f.ctx, f.site.ID, t0, decideAutomatic(t0))
			}
			errs <- err
		}(v)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		f.must(err)
	}
	counts, err := f.s.ActiveChatCounts(f.ctx, f.site.ID)
	f.must(err)
	total := 0
	for _, o := range ops {
		if counts[o.ID] > o.ChatLimit {
			t.Errorf("%s has %d chats, limit %d", o.Name, counts[o.ID], o.ChatLimit)
		}
		total += counts[o.ID]
	}
	if total != 8 {
		t.Fatalf("%d chats assigned, want 8", total)
	}
	waiting, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, States: []desk.ChatState{desk.ChatWaiting}})
	f.must(err)
	if len(waiting) != 292 {
		t.Fatalf("%d waiting, want 292", len(waiting))
	}
	active, err := f.s.ListChats(f.ctx, store.ChatFilter{SiteID: f.site.ID, States: []desk.ChatState{desk.ChatActive}})
	f.must(err)
	for _, a := range active {
		for _, w := range waiting {
			if w.ID < a.ID {
				t.Fatalf("chat %d waits while the later chat %d was assigned: not FIFO", w.ID, a.ID)
			}
		}
	}
}

func testTakeChat(t *testing.T, f *fixture) {
	anna, john := f.operator("Anna Berg", 1, 0), f.operator("John Mathews", 1, 0)
	c := f.waitingChat(t0)
	got := f.take(c.ID, anna) // above her limit of 0: taking is a person's choice
	if got.OperatorID != anna.ID || got.State != desk.ChatActive || got.Routing[len(got.Routing)-1].Text != "Taken by Anna Berg" {
		t.Fatalf("taken chat = %+v", got)
	}
	if again := f.take(c.ID, anna); again.OperatorID != anna.ID {
		t.Fatal("taking one's own chat again failed")
	}
	_, err := f.s.TakeChat(f.ctx, c.ID, john, t0)
	wantCode(t, err, desk.CodeTaken)
	if err.Error() != "This chat was already taken by Anna Berg" {
		t.Fatalf("message = %q", err.Error())
	}
	ended, _, _, err := f.s.EndChat(f.ctx, c.ID, store.ChatEnd{By: desk.AuthorOperator, OperatorID: anna.ID, Reason: desk.EndCancel, At: t0})
	f.must(err)
	if ended.EndedBy != desk.AuthorOperator || ended.EndedByOperatorID != anna.ID || ended.EndedByOperatorName != "Anna Berg" {
		t.Fatalf("ended by %s %d %q, want Anna Berg", ended.EndedBy, ended.EndedByOperatorID, ended.EndedByOperatorName)
	}
	_, err = f.s.TakeChat(f.ctx, c.ID, john, t0)
	wantCode(t, err, desk.CodeEnded)
	_, err = f.s.TakeChat(f.ctx, 999999, john, t0)
	wantCode(t, err, desk.CodeNotFound)
}

// testTakeChatRace: two operators take one ticket at the same instant, 100
// times → one winner each time.
func testTakeChatRace(t *testing.T, f *fixture) {
	a, b := f.operator("Anna Berg", 1, 1), f.operator("John Mathews", 1, 1)
	for i := 0; i < 100; i++ {
		c := f.waitingChat(t0)
		var wg sync.WaitGroup
		results := make([]error, 2)
		start := make(chan struct{})
		for j, op := range []desk.Operator{a, b} {
			wg.Add(1)
			go func(j int, op desk.Operator) {
				defer wg.Done()
				<-start
				_, results[j] = f.s.TakeChat(f.ctx, c.ID, op, t0)
			}(j, op)
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range results {
			switch {
			case err == nil:
				wins++
			case desk.CodeOf(err) != desk.CodeTaken:
				t.Fatalf("round %d: loser got %v, want taken", i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d winners", i, wins)
		}
	}
}

func testTransferAndHandBack(t *testing.T, f *fixture) {
	anna, john := f.operator("Anna Berg", 1, 3), f.operator("John Mathews", 1, 3)
	c := f.waitingChat(t0)
	_, _, err := f.s.TransferChat(f.ctx, c.ID, anna, john, t0)
	wantCode(t, err, desk.CodeInvalid) // a waiting chat is taken, not transferred
	f.take(c.ID, anna)
	moved, line, err := f.s.TransferChat(f.ctx, c.ID, anna, john, t0.Add(time.Second))
	f.must(err)
	if moved.OperatorID != john.ID || line.Body != "Anna Berg transferred the chat to John Mathews" || line.Author != desk.AuthorSystem ||
		moved.Routing[len(moved.Routing)-1].Text != "Transferred by Anna Berg to John Mathews" {
		t.Fatalf("transfer: chat %+v line %+v", moved, line)
	}
	_, _, err = f.s.TransferChat(f.ctx, c.ID, anna, john, t0)
	wantCode(t, err, desk.CodeInvalid)

	c2 := f.waitingChat(t0)
	f.take(c2.ID, john)
	back, lines, err := f.s.HandBack(f.ctx, john.ID, t0.Add(time.Minute))
	f.must(err)
	if len(back) != 2 || len(lines) != 2 {
		t.Fatalf("handed back %d chats, %d lines; want 2, 2", len(back), len(lines))
	}
	for i, b := range back {
		if b.State != desk.ChatWaiting || b.OperatorID != 0 || b.Routing[len(b.Routing)-1].Kind != desk.RoutedHandedBack {
			t.Fatalf("handed back chat = %+v", b)
		}
		if lines[i].Body != "John Mathews went offline. The chat is waiting for another operator." {
			t.Fatalf("line = %q", lines[i].Body)
		}
	}
	if counts, _ := f.s.ActiveChatCounts(f.ctx, f.site.ID); counts[john.ID] != 0 {
		t.Fatalf("John still has %d chats", counts[john.ID])
	}
}

func testEndChat(t *testing.T, f *fixture) {
	c := f.waitingChat(t0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ends := 0
	for _, why := range []desk.EndReason{desk.EndCancel, desk.EndInactivity, desk.EndLeft, desk.EndCancel} {
		wg.Add(1)
		go func(why desk.EndReason) {
			defer wg.Done()
			_, _, ended, err := f.s.EndChat(f.ctx, c.ID, store.ChatEnd{By: desk.AuthorSystem, Reason: why, At: t0.Add(time.Minute)})
			f.must(err)
			if ended {
				mu.Lock()
				ends++
				mu.Unlock()
			}
		}(why)
	}
	wg.Wait()
	if ends != 1 {
		t.Fatalf("the chat ended %d times, want once", ends)
	}
	got, _ := f.s.Chat(f.ctx, c.ID)
	if got.State != desk.ChatEnded || got.EndReason == "" || !got.Deadline.IsZero() || got.LastSeq != 2 {
		t.Fatalf("ended chat = %+v (want one end line after the first message)", got)
	}
	msgs, _ := f.s.Messages(f.ctx, c.ID, 1, 0)
	if len(msgs) != 1 || msgs[0].Body != desk.EndText(got.EndReason) {
		t.Fatalf("end lines = %+v", msgs)
	}
}

func testDeadlines(t *testing.T, f *fixture) {
	early, late := f.waitingChat(t0), f.waitingChat(t0.Add(time.Minute))
	next, err := f.s.NextDeadline(f.ctx)
	f.must(err)
	if !next.Equal(early.Deadline) {
		t.Fatalf("NextDeadline = %v, want %v", next, early.Deadline)
	}
	due, _ := f.s.DueChats(f.ctx, t0.Add(20*time.Minute))
	if len(due) != 1 || due[0].ID != early.ID {
		t.Fatalf("DueChats at +20m = %+v", due)
	}
	// the late chat's visitor leaves at +2m: left timeout 5m → due at +7m
	c, line, changed, err := f.s.SetVisitorLeft(f.ctx, late.ID, t0.Add(2*time.Minute), t0.Add(2*time.Minute), timeouts)
	f.must(err)
	if !changed || !c.Deadline.Equal(t0.Add(7*time.Minute)) || c.DeadlineReason != desk.EndLeft || line.Body != "Visitor left the site" {
		t.Fatalf("left: changed=%v chat=%+v line=%q", changed, c, line.Body)
	}
	if _, _, changed, _ := f.s.SetVisitorLeft(f.ctx, late.ID, t0.Add(3*time.Minute), t0.Add(3*time.Minute), timeouts); changed {
		t.Fatal("leaving twice changed the chat")
	}
	due, _ = f.s.DueChats(f.ctx, t0.Add(7*time.Minute))
	if len(due) != 1 || due[0].ID != late.ID {
		t.Fatalf("DueChats at +7m = %+v, want the left chat", due)
	}
	// back in time: the inactivity deadline again
	c, line, changed, err = f.s.SetVisitorLeft(f.ctx, late.ID, time.Time{}, t0.Add(4*time.Minute), timeouts)
	f.must(err)
	if !changed || !c.VisitorLeftAt.IsZero() || !c.Deadline.Equal(t0.Add(21*time.Minute)) || c.DeadlineReason != desk.EndInactivity || line.Body != "Visitor returned to the site" {
		t.Fatalf("back: changed=%v chat=%+v line=%q", changed, c, line.Body)
	}
	_, _, _, err = f.s.EndChat(f.ctx, early.ID, store.ChatEnd{By: desk.AuthorSystem, Reason: desk.EndInactivity, At: t0})
	f.must(err)
	next, _ = f.s.NextDeadline(f.ctx)
	if !next.Equal(t0.Add(21 * time.Minute)) {
		t.Fatalf("NextDeadline after ending the early chat = %v", next)
	}
	f.must(nil)
}
