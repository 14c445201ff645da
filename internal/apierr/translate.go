package apierr

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/privacy"
)

// From translates any error into an API error. ent's not-found, validation
// and constraint errors become not_found and validation_error with field
// paths; a privacy denial without its own code becomes not_found, because a
// record of another org must look missing; anything else is internal_error,
// whose message never carries the cause.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	if apiErr, ok := As(err); ok {
		return apiErr
	}

	switch {
	case ent.IsNotFound(err):
		return &Error{Code: NotFound, Message: "the record was not found", cause: err}
	case ent.IsValidationError(err):
		return fromValidation(err)
	case ent.IsConstraintError(err):
		return fromConstraint(err)
	case errors.Is(err, privacy.Deny):
		return &Error{Code: NotFound, Message: "the record was not found", cause: err}
	case concurrentWriteConflict(err):
		return &Error{Code: Unavailable, Message: "the write collided with a concurrent write to the same records and was rolled back; retry it", cause: err}
	case unstorableText(err):
		return &Error{Code: ValidationError, Message: "a text value contains a NUL character (\\u0000), which cannot be stored; remove it and retry", cause: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: Unavailable, Message: "the request timed out; retry with exponential backoff", cause: err}
	}
	return &Error{Code: InternalError, Message: "an unexpected error occurred; retry with exponential backoff", cause: err}
}

// Internal reports whether the error is a server fault that must be logged.
func Internal(err error) bool {
	apiErr := From(err)
	return apiErr.Code == InternalError || apiErr.Code == Unavailable
}

func fromValidation(err error) *Error {
	var validation *ent.ValidationError
	if !errors.As(err, &validation) {
		return &Error{Code: ValidationError, Message: "the request failed validation", cause: err}
	}

	reason := validation.Unwrap()
	for next := errors.Unwrap(reason); next != nil; next = errors.Unwrap(next) {
		reason = next
	}
	message := reason.Error()
	if strings.HasPrefix(message, "ent: validator failed") || strings.Contains(message, "invalid enum value") {
		message = "is invalid"
	}
	if replacement, ok := validatorMessages[message]; ok {
		message = replacement
	}

	apiErr := Invalid(JSONName(validation.Name), "%s", message)
	apiErr.cause = err
	return apiErr
}

// validatorMessages rewrites ent's built-in validator messages into advice.
var validatorMessages = map[string]string{
	"value is less than the required length":    "must not be empty",
	"value is greater than the required length": "is longer than allowed (names and titles: 255 characters)",
	"value out of range":                        "is out of range",
	"value does not match validation":           "has an invalid format",
	"value is less than the required runes":     "must not be empty",
}

// constraintColumns finds the column list of a unique violation on SQLite
// ("UNIQUE constraint failed: accounts.org_id, accounts.external_id") and the
// index name on PostgreSQL ("… unique constraint \"account_org_id_external_id\"").
var (
	sqliteUnique   = regexp.MustCompile(`UNIQUE constraint failed: ([a-z_., ]+)`)
	postgresUnique = regexp.MustCompile(`unique constraint "([a-z_0-9]+)"`)
)

// uniqueFields maps a column that makes a row unique to its API field.
var uniqueFields = []struct{ column, field string }{
	{"external_id", "externalId"},
	{"rmm_agent_id", "rmmAgentId"},
	{"email_key", "email"},
	{"email", "email"},
	{"contact_id", "contactId"},
	{"key", "key"},
}

func fromConstraint(err error) *Error {
	message := err.Error()
	var columns string
	if match := sqliteUnique.FindStringSubmatch(message); match != nil {
		columns = match[1]
	} else if match := postgresUnique.FindStringSubmatch(message); match != nil {
		columns = match[1]
	}

	if columns != "" {
		for _, unique := range uniqueFields {
			if strings.Contains(columns, unique.column) {
				apiErr := Invalid(unique.field, "is already used by another record of this org")
				apiErr.cause = err
				return apiErr
			}
		}
	}
	if strings.Contains(strings.ToLower(message), "foreign key") {
		return &Error{Code: ValidationError, Message: "a referenced record does not exist", cause: err}
	}
	return &Error{Code: ValidationError, Message: "the change conflicts with an existing record", cause: err}
}

// concurrentWriteConflict reports whether PostgreSQL aborted the transaction
// because of another one: a deadlock (40P01) or a serialization failure
// (40001). Nothing was written, so the caller may retry.
func concurrentWriteConflict(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// unstorableText reports whether PostgreSQL rejected a value because it contains
// a character that its text or jsonb types cannot store: 22021 for a NUL in
// text, 22P05 for \u0000 in jsonb. SQLite stores both, so only the fields
// that no validator checks reach this.
func unstorableText(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05")
}

// JSONName turns an ent field name into its API name: account_id → accountId.
func JSONName(field string) string {
	parts := strings.Split(field, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
