package app

import (
	"encoding/json"

	"outputdesk/internal/bus"
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// This file is the last step of every change: the bus announces it, and
// each node's sockets pass it on.

func (a *App) publish(subject string, e protocol.Event) {
	if err := a.bus.Publish(bg(), subject, e.Encode()); err != nil {
		a.log.Error("bus publish", "subject", subject, "err", err)
	}
}

// announceChat tells the consoles and the visitor's tabs that a chat
// changed, and updates the visitor's row. prevState and prevOp are the
// chat's state and operator before the change.
func (a *App) announceChat(c desk.Chat, prevState desk.ChatState, prevOp int64) {
	now := a.clock.Now()
	var last json.RawMessage
	if c.LastMessage != nil {
		last = protocol.MessageFrame(protocol.MessageOf(*c.LastMessage))
	}
	a.publish(bus.ConsoleSubject(c.SiteID), protocol.Event{
		Kind: protocol.EventChat, ChatID: c.ID, State: string(c.State), PrevState: string(prevState),
		OperatorID: c.OperatorID, PrevOperatorID: prevOp, Frame: protocol.ChatFrame(protocol.ChatOf(c, now)),
		LastSeq: c.LastSeq, Last: last,
	})
	a.publish(bus.VisitorSubject(c.VisitorID), protocol.Event{
		Kind: protocol.EventChat, ChatID: c.ID, State: string(c.State), OperatorID: c.OperatorID,
		Frame: protocol.WidgetChatFrame(protocol.WidgetChatOf(c)), LastSeq: c.LastSeq, Last: last,
	})
	a.visitors.chatChanged(c)
	if c.Open() {
		a.deadlines.wake(c.Deadline)
	}
}

// announceChange tells everyone about a decision applied to a chat: the
// chat, and its system lines.
func (a *App) announceChange(res store.ChatResult) {
	a.announceChat(res.Chat, res.Before.State, res.Before.OperatorID)
	for _, m := range res.Lines {
		a.announceMessage(m)
	}
}

// announceMessage sends a stored message to everyone watching its chat.
func (a *App) announceMessage(m desk.Message) {
	a.publish(bus.ChatSubject(m.ChatID), protocol.Event{
		Kind: protocol.EventMessage, ChatID: m.ChatID, Seq: m.Seq, Frame: protocol.MessageFrame(protocol.MessageOf(m)),
	})
}

// announceOperators sends operators' status and load to every console.
// Operators known only by id are read; the rest are as the caller has them.
func (a *App) announceOperators(ops ...desk.Operator) {
	if len(ops) == 0 {
		return
	}
	site, _ := a.siteNow()
	counts, err := a.store.ActiveChatCounts(bg(), site.ID)
	if err != nil {
		a.log.Error("active chat counts", "err", err)
		return
	}
	seen := map[int64]bool{}
	for _, op := range ops {
		if op.ID == 0 || seen[op.ID] {
			continue
		}
		seen[op.ID] = true
		if op.Name == "" {
			id := op.ID
			if op, err = a.store.Operator(bg(), id); err != nil {
				a.log.Error("announce operator", "operator", id, "err", err)
				continue
			}
		}
		a.publish(bus.ConsoleSubject(op.SiteID), protocol.Event{
			Kind: protocol.EventOperator, OperatorID: op.ID, Frame: protocol.OperatorFrame(a.operatorView(op, counts[op.ID])),
		})
	}
}

// byID names an operator the caller has not read.
func byID(id int64) desk.Operator { return desk.Operator{ID: id} }

// announceInvitation opens (or closes) an invitation in the visitor's tabs.
func (a *App) announceInvitation(inv desk.Invitation) {
	frame := protocol.InvitationFrame(protocol.InvitationOf(inv))
	if inv.State != desk.InvitationOpen {
		frame = protocol.InvitationClosedFrame(inv.ID, string(inv.State))
	}
	a.publish(bus.VisitorSubject(inv.VisitorID), protocol.Event{Kind: protocol.EventInvitation, Frame: frame})
	a.visitors.invitationChanged(inv)
}

// operatorView shows an operator as routing sees them now.
func (a *App) operatorView(op desk.Operator, active int) protocol.Operator {
	return protocol.OperatorOf(op, op.EffectiveStatus(a.operators.connected(op.ID)), active)
}
