package app

import (
	"context"
	"net/http"

	"outputdesk/internal/httpapi"
	"outputdesk/web"
)

func (a *App) routes() http.Handler {
	return httpapi.Routes(httpapi.Deps{
		Service: a,
		Visitor: a.hub.VisitorHandler(a),
		Console: a.hub.ConsoleHandler(a),
		Assets:  web.Files,
		Log:     a.log,
	})
}

// Ping answers when the store does (GET /healthz).
func (a *App) Ping(ctx context.Context) error { return a.store.Ping(ctx) }
