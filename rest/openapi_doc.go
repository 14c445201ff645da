package rest

import (
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"unicode"

	"github.com/breadbox/breadbox/internal/apierr"
)

// Doc describes an operation for the OpenAPI document, the Postman collection
// and the HTML reference. Schema names refer to the component schemas that
// responseSchemas and requestSchemas register.
type Doc struct {
	// Request names the schema of the request body; "" means no body.
	Request string
	// Response names the schema of data, of each item for a list. "" leaves
	// the response undocumented: the document then allows any 2XX with any
	// data, and TestOperationsDocumented fails.
	Response string
	// Status is the status of success; 0 means 201 for POST and 200 for the
	// other methods.
	Status int
	// Example is a request body that the operation accepts, with IDs from
	// exampleID. The Postman collection sends it as is, with the IDs
	// replaced by collection variables.
	Example any
	// Filters documents each name of Operation.Filters.
	Filters []Param
	// Query documents further query parameters, such as force.
	Query []Param
	// Errors lists the error codes the handler returns beyond those that
	// every operation of its kind returns (see errorCodes).
	Errors []apierr.Code
	// Description is Markdown shown below the summary.
	Description string
	// Tag groups the operation; "" means the first segment of its path.
	Tag string
	// OperationID replaces the operationId taken from the handler's name.
	OperationID string
	// Extension marks an operation that the public reference does not list.
	Extension bool
	// Page marks an operation that is not a List (it takes no sort or
	// updatedAfter) but responds with a list envelope: data is a list, with
	// hasMore and nextCursor.
	Page bool
	// NoBody marks a POST whose handler reads no request body.
	NoBody bool
}

// Param is a query parameter with its schema.
type Param struct {
	Name        string
	Description string
	Schema      *Schema
	// Extension marks a parameter that the public reference does not name.
	Extension bool
}

// filterEnum documents a filter whose value is one of values.
func filterEnum[E ~string](name string, values []E, description string) Param {
	return Param{Name: name, Description: description, Schema: enumSchema(values)}
}

// filterID documents a filter whose value is an ID of the type with prefix.
func filterID(name, prefix, description string) Param {
	return Param{Name: name, Description: description, Schema: idSchema(prefix)}
}

// filterBool documents a filter of true or false.
func filterBool(name, description string) Param {
	return Param{Name: name, Description: description, Schema: &Schema{Type: "boolean"}}
}

// filterText documents a filter of free text.
func filterText(name, description string) Param {
	return Param{Name: name, Description: description, Schema: stringSchema()}
}

// documented reports whether the operation's response is described.
func (op *Operation) documented() bool {
	return op.Doc.Response != ""
}

// successStatus returns the status of a successful call.
func (op *Operation) successStatus() int {
	switch {
	case op.Doc.Status != 0:
		return op.Doc.Status
	case op.Method == http.MethodPost:
		return http.StatusCreated
	default:
		return http.StatusOK
	}
}

// tag returns the group of the operation.
func (op *Operation) tag() string {
	if op.Doc.Tag != "" {
		return op.Doc.Tag
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(op.Path, "/"), "/")
	return first
}

// operationID returns Doc.OperationID, or else the name of the handler method
// (listAccounts, createDeal), or else one made of the method and the path.
func (op *Operation) operationID() string {
	if op.Doc.OperationID != "" {
		return op.Doc.OperationID
	}
	if op.handle != nil {
		name := runtime.FuncForPC(reflect.ValueOf(op.handle).Pointer()).Name()
		name = strings.TrimSuffix(name[strings.LastIndex(name, ".")+1:], "-fm")
		if name != "" && unicode.IsLower(rune(name[0])) && !strings.HasPrefix(name, "func") {
			return name
		}
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(op.Method))
	for _, segment := range strings.Split(op.Path, "/") {
		if segment == "" || strings.HasPrefix(segment, "{") {
			continue
		}
		for _, word := range strings.FieldsFunc(segment, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

// pathParams returns the names of the path's {parameters}.
func (op *Operation) pathParams() []string {
	var names []string
	for _, segment := range strings.Split(op.Path, "/") {
		if strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}") {
			names = append(names, strings.Trim(segment, "{}"))
		}
	}
	return names
}

// isWrite reports whether the operation changes data, so it takes an
// Idempotency-Key and runs in a transaction.
func (op *Operation) isWrite() bool {
	switch op.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// hasBody reports whether the handler reads a request body.
func (op *Operation) hasBody() bool {
	return op.serveDocument == nil && !op.Doc.NoBody && (op.Method == http.MethodPost || op.Method == http.MethodPatch)
}

// errorCodes returns the error codes the operation can return, by status.
func (op *Operation) errorCodes() map[int][]apierr.Code {
	var codes []apierr.Code
	add := func(more ...apierr.Code) {
		for _, code := range more {
			if !containsCode(codes, code) {
				codes = append(codes, code)
			}
		}
	}
	if op.serveDocument != nil {
		add(apierr.InternalError)
		return groupByStatus(codes)
	}
	if op.Scope != "" {
		add(apierr.Unauthorized, apierr.InsufficientScope, apierr.RateLimited)
	}
	if len(op.pathParams()) > 0 {
		add(apierr.BadRequest, apierr.NotFound)
	}
	// Every operation rejects a query parameter it does not take.
	add(apierr.ValidationError)
	if op.hasBody() {
		add(apierr.BadRequest, apierr.InvalidJSON, apierr.PayloadTooLarge, apierr.ValidationError)
	}
	if op.Scope != "" && op.isWrite() {
		// The idempotency layer reads the body of every write and checks
		// the Idempotency-Key.
		add(apierr.BadRequest, apierr.PayloadTooLarge, apierr.IdempotencyInProgress, apierr.IdempotencyConflict)
	}
	add(op.Doc.Errors...)
	add(apierr.InternalError, apierr.Unavailable)
	return groupByStatus(codes)
}

func containsCode(codes []apierr.Code, code apierr.Code) bool {
	for _, existing := range codes {
		if existing == code {
			return true
		}
	}
	return false
}

func groupByStatus(codes []apierr.Code) map[int][]apierr.Code {
	grouped := map[int][]apierr.Code{}
	for _, code := range codes {
		grouped[code.Status()] = append(grouped[code.Status()], code)
	}
	return grouped
}

// errorCodeDocs lists every error code in the order of the reference, with
// its meaning. Codes the reference does not list are extensions.
var errorCodeDocs = []struct {
	Code      apierr.Code
	Meaning   string
	Extension bool
}{
	{apierr.BadRequest, "Missing or malformed path parameter, Idempotency-Key header or request body.", false},
	{apierr.InvalidJSON, "The request body is not valid JSON: a syntax error, a repeated key or data after the value.", false},
	{apierr.Unauthorized, "Missing or invalid API key.", false},
	{apierr.InsufficientScope, "The key lacks the scope the endpoint requires.", false},
	{apierr.NotFound, "No such endpoint, or the record does not exist or belongs to another org.", false},
	{apierr.MethodNotAllowed, "The HTTP method is not supported on this path; the Allow header lists those that are.", false},
	{apierr.IdempotencyInProgress, "A request with the same Idempotency-Key is still running; retry after the Retry-After seconds.", true},
	{apierr.PayloadTooLarge, "The request body is larger than 5 MiB.", true},
	{apierr.ValidationError, "The request failed validation; error.details points at each invalid part.", false},
	{apierr.IdempotencyConflict, "The Idempotency-Key was used before with a different request.", false},
	{apierr.RateLimited, "A rate limit was exceeded; error.details names the window, and Retry-After gives the seconds to wait.", false},
	{apierr.InternalError, "Unexpected server error; retry with exponential backoff.", false},
	{apierr.Unavailable, "A component the service needs is unreachable, the request timed out, or a write collided with a concurrent write and was rolled back; retry after the Retry-After seconds.", true},
}
