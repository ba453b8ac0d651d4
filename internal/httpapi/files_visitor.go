package httpapi

import (
	"net/http"
	"strconv"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// The widget's file endpoints are called by a script on the customer's
// pages, another origin: they answer CORS, for the site's allowed origins
// only (the list the visitor socket checks), and authenticate the visitor
// by the token in Authorization — never by a cookie, so a page of another
// site cannot use them on a visitor's behalf.

// visitorSite finds the site by the request's site_key and checks the
// request's Origin; an allowed origin is told so (CORS) in the response.
func (s *server) visitorSite(w http.ResponseWriter, r *http.Request) (desk.Site, bool) {
	site, err := s.svc.SiteByKey(r.Context(), r.URL.Query().Get("site_key"))
	if err != nil {
		s.writeError(w, r, desk.Errorf(desk.CodeNotFound, "Unknown site key"))
		return site, false
	}
	origin := r.Header.Get("Origin")
	h := w.Header()
	h.Add("Vary", "Origin")
	// A request without Origin is not a cross-origin request of a browser
	// (browsers send Origin on every one): the token alone decides.
	if origin != "" {
		if !site.OriginAllowed(origin) {
			s.writeError(w, r, desk.Errorf(desk.CodeForbidden, "This origin may not use the widget"))
			return site, false
		}
		h.Set("Access-Control-Allow-Origin", origin)
	}
	return site, true
}

// visitorPreflight answers a browser's CORS preflight (OPTIONS) for the
// widget's file endpoints.
func (s *server) visitorPreflight(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.visitorSite(w, r); !ok {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// visitor authenticates a widget's request: the site, the origin, then the
// visitor by its token.
func (s *server) visitor(w http.ResponseWriter, r *http.Request) (desk.Visitor, bool) {
	site, ok := s.visitorSite(w, r)
	if !ok {
		return desk.Visitor{}, false
	}
	v, err := s.svc.VisitorOf(r.Context(), site, bearer(r))
	if err != nil {
		s.writeError(w, r, err)
		return v, false
	}
	return v, true
}

// visitorUpload is POST /api/visitor/files.
func (s *server) visitorUpload(w http.ResponseWriter, r *http.Request) {
	v, ok := s.visitor(w, r)
	if !ok {
		return
	}
	chatID, err := strconv.ParseInt(r.URL.Query().Get("chat_id"), 10, 64)
	if err != nil {
		s.writeError(w, r, desk.Errorf(desk.CodeBadRequest, "Query parameter chat_id must be a chat's id"))
		return
	}
	up, err := s.readUpload(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.svc.VisitorSendFile(r.Context(), v, chatID, up)
	s.respond(w, r, http.StatusCreated, protocol.UploadReply{Message: protocol.MessageOf(m)}, err)
}

// visitorDownload is GET /api/visitor/files/{id}.
func (s *server) visitorDownload(w http.ResponseWriter, r *http.Request) {
	v, ok := s.visitor(w, r)
	if !ok {
		return
	}
	id, err := fileID(r)
	if err == nil {
		var f desk.File
		if f, err = s.svc.VisitorFile(r.Context(), v, id); err == nil {
			w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
			serveFile(w, f)
			return
		}
	}
	s.writeError(w, r, err)
}

// visitorFileSettings is GET /api/visitor/files: "Largest file" and
// "Allowed file types", for a widget to check a file before sending it.
// They are not in the welcome, which every page view of every visitor
// gets: only a visitor who picks a file asks.
func (s *server) visitorFileSettings(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.visitorSite(w, r); ok {
		writeJSON(w, http.StatusOK, s.svc.FileSettings())
	}
}
