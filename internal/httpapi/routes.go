// Package httpapi serves the REST API of docs/protocol.md, the console, the
// widget script and the demo website. routes.go lists every route with who
// may call it; each handler file is one area of the API.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"

	"outputdesk/internal/protocol"
	"outputdesk/internal/proxies"
)

// Deps is what the routes are served from.
type Deps struct {
	Service Service
	Visitor http.Handler // GET /ws/visitor
	Console http.Handler // GET /ws/console
	Assets  fs.FS        // web.Files: dist/ and demo/
	Log     *slog.Logger
	// Proxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (--trusted-proxies).
	Proxies proxies.Trusted
	// HTTPSPublic: browsers reach us at an https:// public URL, so the
	// session cookie is Secure whatever the connection to this node is.
	HTTPSPublic bool
}

// Routes returns the whole route table.
func Routes(d Deps) http.Handler {
	s := &server{svc: d.Service, log: d.Log, assets: d.Assets, proxies: d.Proxies, httpsPublic: d.HTTPSPublic}
	s.static = loadStatic(d.Assets, d.Log)
	mux := http.NewServeMux()
	anyone := func(pattern string, h http.HandlerFunc) { mux.HandleFunc(pattern, h) }
	operator := func(pattern string, h operatorHandler) { mux.HandleFunc(pattern, s.withOperator(h, false)) }
	admin := func(pattern string, h operatorHandler) { mux.HandleFunc(pattern, s.withOperator(h, true)) }

	anyone("GET /healthz", s.health)

	anyone("GET /api/setup", s.setupStatus)
	anyone("POST /api/setup/admin", s.createFirstAdmin)
	anyone("POST /api/session", s.login)
	operator("GET /api/session", s.currentSession)
	operator("DELETE /api/session", s.logout)

	operator("GET /api/operators", s.listOperators)
	admin("POST /api/operators", withBody(s, s.createOperator, protocol.CreateOperatorMembers...))
	admin("PATCH /api/operators/{id}", withIDAndBody(s, s.updateOperator))
	operator("PUT /api/me/status", withBody(s, s.setStatus, protocol.StatusMembers...))
	operator("GET /api/me/preferences", s.getPreferences)                   // the caller's own; no route to another's
	operator("PATCH /api/me/preferences", withBody(s, s.changePreferences)) // any subset of the members

	operator("GET /api/settings", s.getSettings)
	admin("PATCH /api/settings", withBody(s, s.updateSettings))
	operator("GET /api/install", s.install)

	operator("GET /api/action-rules", s.listActionRules)
	admin("POST /api/action-rules", withBody(s, s.createActionRule, protocol.ActionRuleMembers...))
	admin("PUT /api/action-rules/{id}", withIDAndBody(s, s.updateActionRule, protocol.ActionRuleMembers...))
	admin("DELETE /api/action-rules/{id}", withID(s, s.deleteActionRule))
	admin("POST /api/action-rules/{id}/move", withIDAndBody(s, s.moveActionRule, protocol.MoveMembers...))
	operator("POST /api/action-rules/test", withBody(s, s.testActionRules, protocol.RoutingTestMembers...))

	operator("GET /api/invitation-rules", s.listInvitationRules)
	admin("POST /api/invitation-rules", withBody(s, s.createInvitationRule, protocol.InvitationRuleMembers...))
	admin("PUT /api/invitation-rules/{id}", withIDAndBody(s, s.updateInvitationRule, protocol.InvitationRuleMembers...))
	admin("DELETE /api/invitation-rules/{id}", withID(s, s.deleteInvitationRule))

	// canned replies: shared ones an admin's to change, personal ones their owner's (the service checks)
	operator("GET /api/canned-replies", s.listCannedReplies)
	operator("POST /api/canned-replies", withBody(s, s.createCannedReply, protocol.CannedReplyMembers...))
	operator("PUT /api/canned-replies/{id}", withIDAndBody(s, s.updateCannedReply, protocol.CannedReplyMembers...))
	operator("DELETE /api/canned-replies/{id}", withID(s, s.deleteCannedReply))

	operator("GET /api/chats", s.listChats)
	operator("GET /api/chats.csv", s.exportChats) // History's filtered list as a file
	operator("GET /api/reports", s.getReport)     // "Reports": any operator
	operator("GET /api/chats/{id}", withID(s, s.getChat))
	operator("POST /api/chats/{id}/take", withID(s, s.takeChat))                                             // any operator, even above their limit
	operator("POST /api/chats/{id}/transfer", withIDAndBody(s, s.transferChat, protocol.TransferMembers...)) // the chat's operator or an admin
	operator("POST /api/chats/{id}/end", withID(s, s.endChat))                                               // the chat's operator, an admin, anyone for a ticket
	operator("GET /api/chats/{id}/notes", withID(s, s.listNotes))                                            // private notes: any operator of the site
	operator("POST /api/chats/{id}/notes", withIDAndBody(s, s.addNote, protocol.NoteMembers...))

	// files in chats: any operator of the site reads them (as History); only
	// the chat's operator sends one, as a message. The widget's are
	// cross-origin, by visitor token: files_visitor.go.
	operator("POST /api/chats/{id}/files", withID(s, s.operatorUpload))
	operator("GET /api/files/{id}", withID(s, s.operatorDownload))
	anyone("GET /api/visitor/files", s.visitorFileSettings)
	anyone("POST /api/visitor/files", s.visitorUpload)
	anyone("GET /api/visitor/files/{id}", s.visitorDownload)
	anyone("OPTIONS /api/visitor/files", s.visitorPreflight)
	anyone("OPTIONS /api/visitor/files/{id}", s.visitorPreflight)

	operator("GET /api/offline-messages", s.listOfflineMessages)                  // "Offline messages": any operator
	operator("POST /api/offline-messages/{id}/handled", withID(s, s.markHandled)) // any operator of the site

	operator("GET /api/visitors/{id}/pages", withID(s, s.visitorPages))
	operator("POST /api/visitors/{id}/invite", withID(s, s.invite)) // an operator who is Online or Away

	anyone("/api/", s.noSuchEndpoint)

	mux.Handle("GET /ws/visitor", d.Visitor) // the site key and origin decide
	mux.Handle("GET /ws/console", d.Console) // the session cookie decides

	anyone("GET /{$}", s.home)
	anyone("GET /console/", s.console)
	anyone("GET /favicon.svg", s.favicon)
	anyone("GET /widget.js", s.widgetFile("widget.js"))
	anyone("GET /widget/panel.js", s.widgetFile("panel.js"))
	anyone("GET /demo/{$}", s.demoPage("index.html"))
	anyone("GET /demo/product", s.demoPage("product.html"))
	anyone("GET /demo/pricing", s.demoPage("pricing.html"))
	anyone("GET /demo/demo.css", s.demoFile("demo.css"))
	return logRequests(d.Log, d.Proxies, noSniff(mux))
}

type server struct {
	svc         Service
	log         *slog.Logger
	assets      fs.FS
	proxies     proxies.Trusted
	httpsPublic bool
	static      assetIndex // web/dist with its precompressed variants
}
