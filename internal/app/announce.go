package app

import (
	"outputdesk/internal/desk"
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

// announceInvitation tells everyone an invitation opened or closed: the
// visitor's tabs show or close it.
func (a *App) announceInvitation(inv desk.Invitation) { a.announce.Invitation(inv) }
