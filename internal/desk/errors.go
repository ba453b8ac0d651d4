package desk

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for clients; docs/protocol.md lists them.
type Code string

const (
	CodeBadRequest     Code = "bad_request"
	CodeUnknownType    Code = "unknown_type"
	CodeInvalid        Code = "invalid"
	CodeTooLarge       Code = "too_large"
	CodeUnauthorized   Code = "unauthorized"
	CodeSessionExpired Code = "session_expired"
	CodeForbidden      Code = "forbidden"
	CodeNotFound       Code = "not_found"
	CodeTaken          Code = "taken"
	CodeEnded          Code = "ended"
	CodeConflict       Code = "conflict"
	CodeUnsupported    Code = "unsupported_media_type"
	CodeUnavailable    Code = "unavailable"
	CodeTooMany        Code = "too_many_requests"
	CodeInternal       Code = "internal"
)

// Error is the one error type every layer returns to a client: a code, a
// message safe to show, and the cause for the log.
type Error struct {
	Code    Code
	Message string
	Err     error
	// RetryAfter is how long a refused caller should wait (CodeTooMany).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, desk.ErrNotFound) true for any not_found error.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code && t.Message == ""
}

// Sentinels for errors.Is; their empty Message matches any error of the code.
var (
	ErrNotFound  = &Error{Code: CodeNotFound}
	ErrConflict  = &Error{Code: CodeConflict}
	ErrTaken     = &Error{Code: CodeTaken}
	ErrEnded     = &Error{Code: CodeEnded}
	ErrForbidden = &Error{Code: CodeForbidden}
	ErrInvalid   = &Error{Code: CodeInvalid}
)

// Errorf makes an Error with a client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the error for an unknown id, or one the caller may not see.
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// CodeOf returns the code of err, or CodeInternal for errors that carry none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
