package app

import (
	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
	"outputdesk/internal/store"
)

// This file is the last step of every change: the bus announces what
// happened. Every node — this one too — hears it: its sockets render it
// (realtime) and its own views follow it (site_events.go).

// announceChat tells everyone that a chat changed. prevState and prevOp are
// the chat's state and operator before the change.
func (a *App) announceChat(c desk.Chat, prevState desk.ChatState, prevOp int64) {
	a.announce.Chat(c, prevState, prevOp)
}

// announceChange tells everyone about a decision applied to a chat.
func (a *App) announceChange(res store.ChatResult) {
	a.announce.Change(res.Before, res.Chat, res.Lines)
}

// announceMessage tells everyone watching a chat that a message was stored.
func (a *App) announceMessage(m desk.Message) { a.announce.Message(m) }

// announceOperators tells every console operators' status and load.
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
		op.PasswordHash = ""
		a.announce.Operator(op, op.EffectiveStatus(a.operators.Connected(op.ID)), counts[op.ID])
	}
}

// byID names an operator the caller has not read.
func byID(id int64) desk.Operator { return desk.Operator{ID: id} }

// announceInvitation tells everyone an invitation opened or closed: the
// visitor's tabs show or close it.
func (a *App) announceInvitation(inv desk.Invitation) { a.announce.Invitation(inv) }

// operatorView shows an operator as routing sees them now.
func (a *App) operatorView(op desk.Operator, active int) protocol.Operator {
	return protocol.OperatorOf(op, op.EffectiveStatus(a.operators.Connected(op.ID)), active)
}
