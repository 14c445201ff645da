// Package apierr is the error vocabulary of the API: typed errors with a code
// from the public reference, the one table that maps codes to HTTP statuses,
// and the translation of ent and driver errors into that vocabulary, so no raw
// database message ever reaches a client.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Code is a machine-readable error code of the public API.
type Code string

// The error codes. Each one has exactly one HTTP status in statusOf.
const (
	BadRequest            Code = "bad_request"
	InvalidJSON           Code = "invalid_json"
	Unauthorized          Code = "unauthorized"
	InsufficientScope     Code = "insufficient_scope"
	NotFound              Code = "not_found"
	MethodNotAllowed      Code = "method_not_allowed"
	IdempotencyInProgress Code = "idempotency_in_progress"
	PayloadTooLarge       Code = "payload_too_large"
	ValidationError       Code = "validation_error"
	IdempotencyConflict   Code = "idempotency_conflict"
	RateLimited           Code = "rate_limited"
	InternalError         Code = "internal_error"
	Unavailable           Code = "service_unavailable"
)

// statusOf is the single table from error code to HTTP status.
var statusOf = map[Code]int{
	BadRequest:            http.StatusBadRequest,
	InvalidJSON:           http.StatusBadRequest,
	Unauthorized:          http.StatusUnauthorized,
	InsufficientScope:     http.StatusForbidden,
	NotFound:              http.StatusNotFound,
	MethodNotAllowed:      http.StatusMethodNotAllowed,
	IdempotencyInProgress: http.StatusConflict,
	PayloadTooLarge:       http.StatusRequestEntityTooLarge,
	ValidationError:       http.StatusUnprocessableEntity,
	IdempotencyConflict:   http.StatusUnprocessableEntity,
	RateLimited:           http.StatusTooManyRequests,
	InternalError:         http.StatusInternalServerError,
	Unavailable:           http.StatusServiceUnavailable,
}

// Status returns the HTTP status of the code; unknown codes are 500.
func (c Code) Status() int {
	if status, ok := statusOf[c]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// Detail points at one invalid part of a request. Path elements are field
// names (strings) and list indexes (ints), as in ["devices", 3, "hostname"].
type Detail struct {
	Path    []any  `json:"path"`
	Message string `json:"message"`
}

// Error is an API error: a code, a message a person can act on, and for
// validation errors the paths of the invalid fields.
type Error struct {
	Code    Code     `json:"code"`
	Message string   `json:"message"`
	Details []Detail `json:"details,omitempty"`
	// Scope is the scope that was missing, for insufficient_scope.
	Scope string `json:"-"`
	cause error
}

// Error implements error.
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Unwrap returns the error this one was translated from, if any.
func (e *Error) Unwrap() error { return e.cause }

// Status returns the HTTP status of the error.
func (e *Error) Status() int { return e.Code.Status() }

// New returns an error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Validation returns a validation_error for the given details. The message
// repeats the first detail so clients that show only the message still show
// something useful.
func Validation(details ...Detail) *Error {
	message := "the request failed validation"
	if len(details) > 0 {
		message = FormatPath(details[0].Path) + " " + details[0].Message
		if len(details) > 1 {
			message += fmt.Sprintf(" (and %d more problems, see details)", len(details)-1)
		}
	}
	return &Error{Code: ValidationError, Message: message, Details: details}
}

// Invalid returns a validation_error for one field.
func Invalid(field string, format string, args ...any) *Error {
	return Validation(Detail{Path: []any{field}, Message: fmt.Sprintf(format, args...)})
}

// MissingScope returns the insufficient_scope error for a required scope.
func MissingScope(scope string) *Error {
	return &Error{
		Code:    InsufficientScope,
		Message: fmt.Sprintf("this API key lacks the %s scope; create a key that has it", scope),
		Scope:   scope,
	}
}

// NotFoundf returns a not_found error. Records of other orgs are reported the
// same way as missing ones.
func NotFoundf(format string, args ...any) *Error {
	return New(NotFound, format, args...)
}

// FormatPath renders a detail path as a dotted name: devices[3].hostname.
func FormatPath(path []any) string {
	var b strings.Builder
	for i, element := range path {
		switch value := element.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", value)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, value)
		}
	}
	return b.String()
}

// Prefix returns a copy of the error whose detail paths start with prefix, as
// a bulk request reports item errors at ["devices", 3, …].
func (e *Error) Prefix(prefix ...any) *Error {
	copied := *e
	copied.Details = make([]Detail, len(e.Details))
	for i, detail := range e.Details {
		copied.Details[i] = Detail{Path: append(append([]any{}, prefix...), detail.Path...), Message: detail.Message}
	}
	if e.Code == ValidationError {
		return Validation(copied.Details...)
	}
	return &copied
}

// As returns err as an *Error when it is one or wraps one.
func As(err error) (*Error, bool) {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr, true
	}
	return nil, false
}
