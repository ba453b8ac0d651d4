package app_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"outputdesk/internal/config"
)

// seedTeam sets up the seed's example: John Mathews (priority 1, limit 2),
// Anna Berg (2, 3), Maria Lopez (3, 3), Automatic, and the action rule
// "Product page": URL contains /product → John Mathews.
func seedTeam(t *testing.T, s *server) (admin, john, anna, maria *operator) {
	admin = s.firstAdmin()
	john, anna, maria = admin.addOperator("John Mathews", 1, 2), admin.addOperator("Anna Berg", 2, 3), admin.addOperator("Maria Lopez", 3, 3)
	admin.patchSettings(map[string]any{"chat_rule": "Automatic"})
	admin.mustDo("POST", "/api/action-rules", map[string]any{"name": "Product page", "enabled": true, "target_operator_id": john.me.ID,
		"conditions": []map[string]string{{"field": "url", "op": "contains", "value": "/product"}}}, 201, nil)
	return admin, john, anna, maria
}

func lastRouting(c frame) frame {
	r := c.list("routing")
	return r[len(r)-1]
}

// The seed's example, exactly, through the real server.
func TestSeedExample(t *testing.T) {
	t.Run("John gets two, Anna the third", func(t *testing.T) {
		s := startServer(t)
		_, john, anna, _ := seedTeam(t, s)
		jc, ac := john.console(nil, false), anna.console(nil, false)
		var chats []int64
		for i := 0; i < 3; i++ {
			v := s.visitor("/demo/product")
			v.say(fmt.Sprintf("question %d", i))
			chats = append(chats, v.chatID)
		}
		for _, id := range chats[:2] {
			c := jc.chatState(id, "active")
			if c.obj("operator").str("name") != "John Mathews" || lastRouting(c).str("text") != "Routed to John Mathews by action rule “Product page”" {
				t.Fatalf("chat %d: %v", id, c)
			}
		}
		third := ac.chatState(chats[2], "active")
		r := lastRouting(third)
		if third.obj("operator").str("name") != "Anna Berg" || r.str("text") != "Automatic: priority 2, 1 of 3 chats" {
			t.Fatalf("third chat: %v", third)
		}
		if passed := fmt.Sprint(r["passed_over"]); !strings.Contains(passed, "John Mathews: at chat limit 2/2") || !strings.Contains(passed, "Maria Lopez: Offline") {
			t.Fatalf("passed over = %s", passed)
		}
	})
	t.Run("others Offline: the third waits, John frees a slot and gets it", func(t *testing.T) {
		s := startServer(t)
		admin, john, anna, _ := seedTeam(t, s)
		anna.setStatus("Offline")
		jc := john.console(nil, false)
		ac := anna.console(nil, false) // connected but Offline by choice
		var vs []*widget
		for i := 0; i < 3; i++ {
			v := s.visitor("/demo/product")
			v.say(fmt.Sprintf("question %d", i))
			vs = append(vs, v)
		}
		jc.chatState(vs[0].chatID, "active")
		jc.chatState(vs[1].chatID, "active")
		// every online operator sees the ticket: John's console, and an admin who comes online
		ticket := jc.chatState(vs[2].chatID, "waiting")
		r := lastRouting(ticket)
		if r.str("kind") != "no_room" || !strings.Contains(fmt.Sprint(r["passed_over"]), "John Mathews: at chat limit 2/2") {
			t.Fatalf("ticket routing = %v", r)
		}
		admin.setStatus("Away") // an admin is an operator too: Away takes no chats
		adminCon := admin.console(nil, false)
		found := false
		for _, c := range adminCon.welcome.list("chats") {
			found = found || (c.num("id") == vs[2].chatID && c.str("state") == "waiting")
		}
		if !found {
			t.Fatalf("the admin's console does not list the ticket: %v", adminCon.welcome["chats"])
		}
		ac.chatState(vs[2].chatID, "waiting") // Anna's console shows tickets too, though she gets none

		john.end(vs[0].chatID)
		got := jc.chatWith(vs[2].chatID, "active", "John Mathews")
		if lastRouting(got).str("text") != "Routed to John Mathews by action rule “Product page”" {
			t.Fatalf("after John ended a chat: %v", got)
		}
	})
}

// 300 chats at once against limits 2/3/3 → exactly 8 assigned, none past its
// limit, 292 waiting in order; ending chats drains the queue oldest first.
func TestConcurrentChatsRespectLimits(t *testing.T) {
	s := startServer(t)
	_, john, anna, maria := seedTeam(t, s)
	ops := []*operator{john, anna, maria}
	for _, o := range ops {
		o.console(nil, false)
	}
	const n = 300
	visitors := make([]*widget, n)
	for i := range visitors {
		visitors[i] = s.visitor("/demo/pricing")
	}
	var wg sync.WaitGroup
	for _, v := range visitors {
		wg.Add(1)
		go func(v *widget) {
			defer wg.Done()
			ref := v.ref()
			v.send(map[string]any{"type": "message.send", "ref": ref, "client_id": "first", "body": "hello"})
		}(v)
	}
	wg.Wait()
	for _, v := range visitors {
		f := v.reply(v.refLast())
		if f.str("type") != "ack" {
			t.Fatalf("send failed: %v", f)
		}
		v.chatID = f.num("chat_id")
	}
	type listed struct {
		Chats []struct {
			ID       int64
			State    string
			Operator *struct{ ID int64 }
		}
	}
	list := func(state string) []int64 {
		var l listed
		john.mustDo("GET", "/api/chats?limit=200&state="+state, nil, 200, &l)
		var ids []int64
		for _, c := range l.Chats {
			ids = append(ids, c.ID)
		}
		for len(l.Chats) == 200 {
			before := l.Chats[len(l.Chats)-1].ID
			l = listed{}
			john.mustDo("GET", fmt.Sprintf("/api/chats?limit=200&state=%s&before_id=%d", state, before), nil, 200, &l)
			for _, c := range l.Chats {
				ids = append(ids, c.ID)
			}
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return ids
	}
	active, waiting := list("active"), list("waiting")
	if len(active) != 8 || len(waiting) != 292 {
		t.Fatalf("%d active, %d waiting; want 8 and 292", len(active), len(waiting))
	}
	if active[7] > waiting[0] {
		t.Fatalf("a later chat (%d) was assigned while an earlier one (%d) waits", active[7], waiting[0])
	}
	loads := map[string]int{}
	for _, o := range ops {
		var me struct {
			Operator struct {
				ActiveChats int `json:"active_chats"`
			}
		}
		o.mustDo("GET", "/api/session", nil, 200, &me)
		loads[o.me.Name] = me.Operator.ActiveChats
	}
	if loads["John Mathews"] != 2 || loads["Anna Berg"] != 3 || loads["Maria Lopez"] != 3 {
		t.Fatalf("loads = %v, want 2/3/3", loads)
	}
	// operators end chats: each freed slot takes the oldest waiting chat
	for i := 0; i < 5; i++ {
		o := ops[i%3]
		var mine listed
		o.mustDo("GET", fmt.Sprintf("/api/chats?state=active&operator_id=%d", o.me.ID), nil, 200, &mine)
		o.end(mine.Chats[0].ID)
		// the queue moves once the end is done: wait for the oldest chat to go
		waitFor(t, fmt.Sprintf("chat %d to leave the queue", waiting[i]), func() bool {
			c, _ := o.chat(waiting[i])
			return c.State != "waiting"
		})
		c, _ := o.chat(waiting[i])
		if c.State != "active" || c.Operator == nil || c.Operator.ID != o.me.ID {
			t.Fatalf("after %s ended a chat, the oldest waiting chat %d is %s with %+v", o.me.Name, waiting[i], c.State, c.Operator)
		}
		if next, _ := o.chat(waiting[i+1]); next.State != "waiting" {
			t.Fatalf("chat %d jumped the queue", waiting[i+1])
		}
	}
}

func (w *widget) refLast() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return fmt.Sprintf("r%d", w.refs)
}

// Two operators take one ticket at the same instant, 100 times: one winner.
func TestTakeRace(t *testing.T) {
	s := startServer(t)
	admin := s.firstAdmin()
	anna, john := admin.addOperator("Anna Berg", 1, 5), admin.addOperator("John Mathews", 1, 5)
	for i := 0; i < 100; i++ {
		v := s.visitor("/demo/")
		v.say("who takes me?")
		var wg sync.WaitGroup
		status := make([]int, 2)
		bodies := make([]map[string]any, 2)
		start := make(chan struct{})
		for j, o := range []*operator{anna, john} {
			wg.Add(1)
			go func(j int, o *operator) {
				defer wg.Done()
				<-start
				status[j] = o.do("POST", fmt.Sprintf("/api/chats/%d/take", v.chatID), nil, &bodies[j])
			}(j, o)
		}
		close(start)
		wg.Wait()
		wins, loser := 0, -1
		for j, st := range status {
			if st == 200 {
				wins++
			} else {
				loser = j
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: statuses %v", i, status)
		}
		winner := []string{"Anna Berg", "John Mathews"}[1-loser]
		if status[loser] != 409 || bodies[loser]["error"] != "This chat was already taken by "+winner || bodies[loser]["code"] != "taken" {
			t.Fatalf("round %d: loser got %d %v", i, status[loser], bodies[loser])
		}
		v.ws.Close()
	}
}

// An operator whose console has been gone longer than the grace hands their
// chats back; coming back within the grace keeps them.
func TestOperatorGrace(t *testing.T) {
	s := startServer(t, func(c *config.Config) { c.OperatorGrace = 30 * time.Second })
	_, john, anna, _ := seedTeam(t, s)
	jc := john.console(nil, false)
	ac := anna.console(nil, false)
	v := s.visitor("/demo/product")
	v.say("hello John")
	jc.chatState(v.chatID, "active")

	jc.ws.Close()
	waitFor(t, "the server to see John's console go", func() bool { return s.app.ConsolesOf(john.me.ID) == 0 })
	ac.operatorStatus("John Mathews", "Offline")
	s.advance(29 * time.Second)
	jc = john.console(nil, false) // back within the grace
	s.advance(time.Minute)
	if c, _ := john.chat(v.chatID); c.State != "active" || c.Operator.Name != "John Mathews" {
		t.Fatalf("after reconnecting within the grace: %s %+v", c.State, c.Operator)
	}

	jc.ws.Close()
	waitFor(t, "the server to see John's console go", func() bool { return s.app.ConsolesOf(john.me.ID) == 0 })
	s.advance(30 * time.Second)
	// handed back with a system line, and routed again: Anna has room
	got := ac.chatWith(v.chatID, "active", "Anna Berg")
	kinds := []string{}
	for _, r := range got.list("routing") {
		kinds = append(kinds, r.str("kind"))
	}
	if fmt.Sprint(kinds) != "[action_rule handed_back automatic]" {
		t.Fatalf("routing kinds = %v", kinds)
	}
	v.message("John Mathews went offline. The chat is waiting for another operator.")
}

// Offline hands chats back at once; Away keeps them but gets no new ones;
// coming Online, a raised limit and a transfer away move the queue.
func TestStatusAndQueueMoves(t *testing.T) {
	s := startServer(t)
	_, john, anna, _ := seedTeam(t, s)
	jc, ac := john.console(nil, false), anna.console(nil, false)
	anna.setStatus("Away")
	v1 := s.visitor("/demo/product")
	v1.say("one")
	jc.chatState(v1.chatID, "active")
	john.setStatus("Away")
	v2 := s.visitor("/demo/product")
	v2.say("two")
	r := lastRouting(jc.chatState(v2.chatID, "waiting"))
	if !strings.Contains(fmt.Sprint(r["passed_over"]), "John Mathews: Away") || !strings.Contains(fmt.Sprint(r["passed_over"]), "Anna Berg: Away") {
		t.Fatalf("passed over = %v", r["passed_over"])
	}
	if c, _ := john.chat(v1.chatID); c.State != "active" {
		t.Fatal("Away took John's chat away")
	}
	// Anna comes Online: the queue moves to her
	anna.setStatus("Online")
	ac.chatWith(v2.chatID, "active", "Anna Berg") // coming Online moved the queue
	// John goes Offline: his chat goes back at once and is routed to Anna
	john.setStatus("Offline")
	ac.chatWith(v1.chatID, "active", "Anna Berg") // going Offline handed it back
	// Anna at her limit 1; a raised limit moves the queue
	anna.me.ChatLimit = 2
	admin := s.login("ada@example.com", "correct horse")
	admin.mustDo("PATCH", fmt.Sprintf("/api/operators/%d", anna.me.ID), map[string]any{"chat_limit": 2}, 200, nil)
	v3 := s.visitor("/demo/")
	v3.say("three")
	ac.chatState(v3.chatID, "waiting")
	admin.mustDo("PATCH", fmt.Sprintf("/api/operators/%d", anna.me.ID), map[string]any{"chat_limit": 3}, 200, nil)
	ac.chatWith(v3.chatID, "active", "Anna Berg") // a raised chat limit moved the queue
	// transfer: John back Online, Anna hands him a chat; the chat says who
	john.setStatus("Online")
	var moved map[string]any
	anna.mustDo("POST", fmt.Sprintf("/api/chats/%d/transfer", v1.chatID), map[string]any{"operator_id": john.me.ID}, 200, &moved)
	got := jc.chatWith(v1.chatID, "active", "John Mathews")
	if lastRouting(got).str("text") != "Transferred by Anna Berg to John Mathews" {
		t.Fatalf("transferred chat = %v", got)
	}
	v1.message("Anna Berg transferred the chat to John Mathews")
}

// The rule tester answers with the same function that routes chats.
func TestRuleTester(t *testing.T) {
	s := startServer(t)
	_, john, anna, _ := seedTeam(t, s)
	john.console(nil, false)
	anna.console(nil, false)
	var res struct {
		Operator   *struct{ Name string }
		Kind, Text string
		PassedOver []string `json:"passed_over"`
	}
	anna.mustDo("POST", "/api/action-rules/test", map[string]string{"url": s.base + "/demo/product", "title": "Product", "referrer": ""}, 200, &res)
	if res.Operator == nil || res.Operator.Name != "John Mathews" || res.Text != "Routed to John Mathews by action rule “Product page”" {
		t.Fatalf("tester for the product page = %+v", res)
	}
	res.Operator = nil
	anna.mustDo("POST", "/api/action-rules/test", map[string]string{"url": s.base + "/demo/pricing"}, 200, &res)
	if res.Operator == nil || res.Operator.Name != "John Mathews" || res.Kind != "automatic" {
		t.Fatalf("tester for pricing = %+v", res)
	}
	john.setStatus("Away")
	anna.mustDo("POST", "/api/action-rules/test", map[string]string{"url": s.base + "/demo/product"}, 200, &res)
	if res.Operator == nil || res.Operator.Name != "Anna Berg" || fmt.Sprint(res.PassedOver) != "[John Mathews: Away Ada Admin: Offline Maria Lopez: Offline]" {
		t.Fatalf("tester with John Away = %+v", res)
	}
}
