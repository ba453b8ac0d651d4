// Package bus carries events between the parts of Output Desk that must
// hear about a change: every connection on this node, and, when several
// nodes run, every other node. Memory is the single-node default; a NATS
// implementation passes the same bustest suite.
package bus

import (
	"context"
	"fmt"
)

// Bus publishes byte payloads on subjects and delivers them to subscribers.
// Payloads published on one subject by one publisher arrive in order.
type Bus interface {
	Publish(ctx context.Context, subject string, data []byte) error
	// Subscribe calls handler for each payload published on subject. The
	// handler must not block: it hands the payload on and returns.
	Subscribe(subject string, handler func(data []byte)) (Subscription, error)
	Close() error
}

// Subscription is one Subscribe call.
type Subscription interface {
	Unsubscribe() error
}

// Subjects. Every event of a site flows on one of these.

// ChatSubject carries a chat's messages to whoever watches it.
func ChatSubject(chatID int64) string { return fmt.Sprintf("od.chat.%d", chatID) }

// SiteSubject carries what every node serving a site must hear: chats,
// operators, invitations, settings and rules changing, sessions ending. A
// visitor's tabs hear their chat and invitations from it too, through each
// node's index of its visitor sockets (realtime/hub_visitors.go).
func SiteSubject(siteID int64) string { return fmt.Sprintf("od.site.%d", siteID) }
