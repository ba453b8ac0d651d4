package realtime

import (
	"encoding/json"
	"errors"
	"log/slog"

	"outputdesk/internal/desk"
	"outputdesk/internal/protocol"
)

// readFrame decodes a client frame, or says what is wrong with it: not a
// JSON object, a member of the wrong type, or a member that required (by
// frame type) names missing — all bad_request. Values out of range are for
// the service to refuse (invalid).
func readFrame(data []byte, required map[string][]string) (protocol.ClientFrame, *desk.Error) {
	var f protocol.ClientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return f, desk.Errorf(desk.CodeBadRequest, "Member %q has the wrong type", typeErr.Field)
		}
		return f, desk.Errorf(desk.CodeBadRequest, "The frame is not a JSON object")
	}
	if len(f.Ref) > protocol.MaxRefLength {
		f.Ref = f.Ref[:protocol.MaxRefLength]
		return f, desk.Errorf(desk.CodeBadRequest, "ref is longer than %d bytes", protocol.MaxRefLength)
	}
	if f.Type == "" {
		return f, desk.Errorf(desk.CodeBadRequest, "The frame has no type")
	}
	if miss := protocol.MissingMember(data, required[f.Type]); miss != "" {
		return f, desk.Errorf(desk.CodeBadRequest, "%s needs the member %q", f.Type, miss)
	}
	return f, nil
}

// errorFrame renders err for the client; faults of the server are logged and
// reported without their detail.
func errorFrame(log *slog.Logger, ref string, err error) []byte {
	var de *desk.Error
	if errors.As(err, &de) && de.Code != desk.CodeInternal {
		return protocol.ErrorFrame(ref, string(de.Code), de.Message)
	}
	log.Error("socket request failed", "err", err)
	return protocol.ErrorFrame(ref, string(desk.CodeInternal), "Something went wrong on the server")
}

func unknownType(t string) *desk.Error {
	return desk.Errorf(desk.CodeUnknownType, "Unknown frame type %q", t)
}
