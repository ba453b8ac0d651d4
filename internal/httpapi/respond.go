package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// maxBodyBytes bounds every request body.
const maxBodyBytes = 64 << 10

var statusOf = map[desk.Code]int{
	desk.CodeBadRequest: 400, desk.CodeInvalid: 400, desk.CodeTooLarge: 413, desk.CodeUnauthorized: 401,
	desk.CodeSessionExpired: 401, desk.CodeForbidden: 403, desk.CodeNotFound: 404, desk.CodeTaken: 409,
	desk.CodeEnded: 409, desk.CodeConflict: 409, desk.CodeUnsupported: 415, desk.CodeUnavailable: 503, desk.CodeInternal: 500,
	desk.CodeTooMany: 429,
}

// writeJSON sends v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError renders any error as {"error", "code"}; faults of the server are
// logged and shown without detail. This is the one place errors become HTTP.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var de *desk.Error
	if !errors.As(err, &de) || de.Code == desk.CodeInternal {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		de = &desk.Error{Code: desk.CodeInternal, Message: "Something went wrong on the server"}
	}
	status := statusOf[de.Code]
	if status == 0 {
		status = 400
	}
	if de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((de.RetryAfter+time.Second-1)/time.Second)))
	}
	writeJSON(w, status, map[string]string{"error": de.Message, "code": string(de.Code)})
}

// respond answers with v and status, or with err.
func (s *server) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, v)
}

// withBody decodes the JSON body into a T and hands it to h; a bad body, or
// one without a member required names, is answered here.
func withBody[T any](s *server, h func(w http.ResponseWriter, r *http.Request, op desk.Operator, in T), required ...string) operatorHandler {
	return func(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
		var in T
		if err := readJSON(w, r, &in, required...); err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r, op, in)
	}
}

// withID reads the route's {id} and hands it to h.
func withID(s *server, h func(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64)) operatorHandler {
	return func(w http.ResponseWriter, r *http.Request, op desk.Operator, se desk.Session) {
		id, err := pathID(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r, op, id)
	}
}

// withIDAndBody reads the route's {id} and the JSON body and hands both to h.
func withIDAndBody[T any](s *server, h func(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64, in T), required ...string) operatorHandler {
	return withID(s, func(w http.ResponseWriter, r *http.Request, op desk.Operator, id int64) {
		var in T
		if err := readJSON(w, r, &in, required...); err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r, op, id, in)
	})
}

// readJSON decodes a JSON body into v: it must be application/json, at most
// maxBodyBytes, one JSON object, and carry every member required names
// (protocol.MissingMember's paths). Each failure is bad_request, except the
// size (too_large) and the media type (unsupported_media_type); values out of
// range are for the service to refuse (invalid).
func readJSON(w http.ResponseWriter, r *http.Request, v any, required ...string) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return desk.Errorf(desk.CodeUnsupported, "The body must be application/json")
	}
	body := http.MaxBytesReader(w, r.Body, maxBodyBytes)
	dec := json.NewDecoder(body)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return desk.Errorf(desk.CodeTooLarge, "The body is larger than %d bytes", maxBodyBytes)
		}
		return desk.Errorf(desk.CodeBadRequest, "The body is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return desk.Errorf(desk.CodeTooLarge, "The body is larger than %d bytes", maxBodyBytes)
		}
		return desk.Errorf(desk.CodeBadRequest, "The body must hold a single JSON value")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return desk.Errorf(desk.CodeBadRequest, "Member %q has the wrong type", typeErr.Field)
		}
		return desk.Errorf(desk.CodeBadRequest, "The body must be a JSON object")
	}
	if miss := protocol.MissingMember(raw, required); miss != "" {
		return desk.Errorf(desk.CodeBadRequest, "The body needs the member %q", miss)
	}
	return nil
}

// pathID reads the {id} of the route.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.CodeNotFound, "No such id %q", r.PathValue("id"))
	}
	return id, nil
}

func (s *server) noSuchEndpoint(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, desk.Errorf(desk.CodeNotFound, "No endpoint %s %s", r.Method, r.URL.Path))
}
