package app

import (
	"context"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// routing builds the desk's view for routing from the store's state and who
// is connected now.
func (a *App) routing(st store.RoutingState) desk.Routing {
	r := desk.Routing{ChatRule: st.Settings.ChatRule, Rules: st.Rules}
	for _, o := range st.Operators {
		r.Operators = append(r.Operators, desk.Candidate{
			ID: o.ID, Name: o.Name, Status: o.EffectiveStatus(a.operators.connected(o.ID)),
			PriorityLevel: o.PriorityLevel, ChatLimit: o.ChatLimit, Active: st.Active[o.ID], LastAssignedAt: o.LastAssignedAt,
		})
	}
	return r
}

// route routes the given chats (just created or handed back) and, under the
// Automatic chat rule, the whole waiting queue oldest first (SPEC 3, 3.4).
// The decision for each given chat is recorded even if it stays waiting.
func (a *App) route(ctx context.Context, chatIDs ...int64) {
	site, _ := a.siteNow()
	given := map[int64]bool{}
	for _, id := range chatIDs {
		given[id] = true
	}
	now := a.clock.Now()
	changed, err := a.store.Route(ctx, site.ID, now, func(st store.RoutingState) []store.Routed {
		queue := st.Waiting
		if st.Settings.ChatRule != desk.ChatRuleAutomatic {
			queue = nil
			for _, q := range st.Waiting {
				if given[q.ID] {
					queue = append(queue, q)
				}
			}
		}
		var out []store.Routed
		for i, d := range a.routing(st).RouteQueue(queue, now) {
			out = append(out, store.Routed{ChatID: queue[i].ID, Decision: d, Record: given[queue[i].ID]})
		}
		return out
	})
	if err != nil {
		a.log.Error("routing", "err", err)
		return
	}
	var assigned []int64
	for _, c := range changed {
		a.announceChat(c, desk.ChatWaiting, 0)
		if c.State == desk.ChatActive {
			assigned = append(assigned, c.OperatorID)
		}
	}
	a.announceOperators(assigned...)
}

// moveQueue offers the waiting chats again when an operator may have gained
// room (SPEC 3.4); it does nothing under the Manual chat rule.
func (a *App) moveQueue(ctx context.Context) {
	if _, s := a.siteNow(); s.ChatRule == desk.ChatRuleAutomatic {
		a.route(ctx)
	}
}

// handBack returns an operator's active chats to the queue and routes them
// again (SPEC 3.5).
func (a *App) handBack(ctx context.Context, operatorID int64) {
	chats, lines, err := a.store.HandBack(ctx, operatorID, a.clock.Now())
	if err != nil {
		a.log.Error("hand back", "operator", operatorID, "err", err)
		return
	}
	if len(chats) == 0 {
		return
	}
	ids := make([]int64, len(chats))
	for i, c := range chats {
		ids[i] = c.ID
		a.announceChat(c, desk.ChatActive, operatorID)
		a.announceMessage(lines[i])
	}
	a.announceOperators(operatorID)
	a.route(ctx, ids...)
}

// TestRoute is the rule tester: who would get a chat from page p right now,
// by the same function that routes chats.
func (a *App) TestRoute(ctx context.Context, p desk.Page) (protocol.RoutingTest, error) {
	site, settings := a.siteNow()
	rules, err := a.store.ActionRules(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	ops, err := a.store.Operators(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	counts, err := a.store.ActiveChatCounts(ctx, site.ID)
	if err != nil {
		return protocol.RoutingTest{}, err
	}
	r := a.routing(store.RoutingState{Settings: settings, Rules: rules, Operators: ops, Active: counts})
	return protocol.RoutingTestOf(r.Route(p.Clean())), nil
}
