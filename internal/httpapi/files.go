package httpapi

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// FileService: files in chats (issue 13, point 3).
type FileService interface {
	SiteByKey(ctx context.Context, key string) (desk.Site, error)
	VisitorOf(ctx context.Context, site desk.Site, token string) (desk.Visitor, error)
	FileSettings() protocol.FileSettings
	VisitorSendFile(ctx context.Context, v desk.Visitor, chatID int64, up desk.Upload) (desk.Message, error)
	OperatorSendFile(ctx context.Context, op desk.Operator, chatID int64, up desk.Upload) (desk.Message, error)
	VisitorFile(ctx context.Context, v desk.Visitor, fileID int64) (desk.File, error)
	OperatorFile(ctx context.Context, op desk.Operator, fileID int64) (desk.File, error)
}

// fileCSP is the policy of every file served: nothing in it may load or
// run anything, even opened on its own in a tab.
const fileCSP = "default-src 'none'; sandbox"

// readUpload reads an upload's body: the raw bytes of the file, at most the
// site's "Largest file". A body announced larger is refused before a byte
// of it is read.
func (s *server) readUpload(w http.ResponseWriter, r *http.Request) (desk.Upload, error) {
	q := r.URL.Query()
	up := desk.Upload{ClientID: q.Get("client_id"), Name: q.Get("name")}
	if !q.Has("client_id") {
		return up, desk.Errorf(desk.CodeBadRequest, "Query parameter client_id is required")
	}
	limit := s.svc.FileSettings().MaxFileBytes
	if r.ContentLength > limit {
		return up, desk.TooLarge(limit)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return up, desk.TooLarge(limit)
	}
	if err != nil {
		return up, desk.Errorf(desk.CodeBadRequest, "The file did not arrive whole")
	}
	up.Data = data
	return up, nil
}

// operatorUpload is POST /api/chats/{id}/files.
func (s *server) operatorUpload(w http.ResponseWriter, r *http.Request, op desk.Operator, chatID int64) {
	up, err := s.readUpload(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.svc.OperatorSendFile(r.Context(), op, chatID, up)
	s.respond(w, r, http.StatusCreated, protocol.UploadReply{Message: protocol.MessageOf(m)}, err)
}

// operatorDownload is GET /api/files/{id}.
func (s *server) operatorDownload(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
	f, err := s.svc.OperatorFile(r.Context(), op, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
	serveFile(w, f)
}

// serveFile sends a file as the type found in its bytes, never to be
// sniffed as another, in a sandbox, and as a download unless it is an
// image (SniffFile never lets HTML or SVG in, so no file renders as a
// page).
func serveFile(w http.ResponseWriter, f desk.File) {
	h := w.Header()
	ct := f.Type
	if ct == desk.TypeText {
		ct += "; charset=utf-8" // SniffFile took only UTF-8 as text
	}
	disposition := "attachment"
	if desk.IsImage(f.Type) {
		disposition = "inline"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	// a file never changes, but who may read it does not depend on the URL
	// alone: private caches only
	h.Set("Cache-Control", "private, max-age=86400")
	w.WriteHeader(http.StatusOK)
	w.Write(f.Data)
}

// fileID reads the route's {id}.
func fileID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.NotFound("file")
	}
	return id, nil
}

// bearer is the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) string {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}
