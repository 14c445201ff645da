package rest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/pagination"
)

// OpenAPIDocument is an OpenAPI 3.1 document, as GET /api/v1/openapi.json
// serves it.
type OpenAPIDocument struct {
	OpenAPI           string                                  `json:"openapi"`
	Info              openAPIInfo                             `json:"info"`
	JSONSchemaDialect string                                  `json:"jsonSchemaDialect"`
	Servers           []openAPIServer                         `json:"servers"`
	Security          []map[string][]string                   `json:"security"`
	Tags              []openAPITag                            `json:"tags"`
	Paths             map[string]map[string]*OpenAPIOperation `json:"paths"`
	Webhooks          map[string]map[string]*OpenAPIOperation `json:"webhooks"`
	Components        openAPIComponents                       `json:"components"`
}

type openAPIInfo struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type openAPIServer struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

type openAPITag struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// OpenAPIOperation is an operation of a path or a webhook.
type OpenAPIOperation struct {
	OperationID string   `json:"operationId"`
	Summary     string   `json:"summary"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	// Security is nil for webhooks and empty for operations that need no key.
	Security      *[]map[string][]string      `json:"security,omitempty"`
	RequiredScope string                      `json:"x-required-scope,omitempty"`
	Extension     bool                        `json:"x-breadbox-extension,omitempty"`
	Parameters    []*OpenAPIParameter         `json:"parameters,omitempty"`
	RequestBody   *OpenAPIRequestBody         `json:"requestBody,omitempty"`
	Responses     map[string]*OpenAPIResponse `json:"responses"`
}

// OpenAPIParameter is a parameter, or a reference to one in the components.
type OpenAPIParameter struct {
	Ref         string  `json:"$ref,omitempty"`
	Name        string  `json:"name,omitempty"`
	In          string  `json:"in,omitempty"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Schema      *Schema `json:"schema,omitempty"`
	Example     any     `json:"example,omitempty"`
	Extension   bool    `json:"x-breadbox-extension,omitempty"`
}

// OpenAPIRequestBody is the body of an operation.
type OpenAPIRequestBody struct {
	Required bool                     `json:"required"`
	Content  map[string]*OpenAPIMedia `json:"content"`
}

// OpenAPIMedia is the schema and example of one content type.
type OpenAPIMedia struct {
	Schema  *Schema `json:"schema"`
	Example any     `json:"example,omitempty"`
}

// OpenAPIResponse is one response of an operation.
type OpenAPIResponse struct {
	Description string                    `json:"description"`
	Headers     map[string]*OpenAPIHeader `json:"headers,omitempty"`
	Content     map[string]*OpenAPIMedia  `json:"content,omitempty"`
	Extension   bool                      `json:"x-breadbox-extension,omitempty"`
}

// OpenAPIHeader is a response header, or a reference to one.
type OpenAPIHeader struct {
	Ref         string  `json:"$ref,omitempty"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Schema      *Schema `json:"schema,omitempty"`
}

type openAPIComponents struct {
	Schemas         map[string]*Schema           `json:"schemas"`
	Parameters      map[string]*OpenAPIParameter `json:"parameters"`
	Headers         map[string]*OpenAPIHeader    `json:"headers"`
	SecuritySchemes map[string]openAPISecurity   `json:"securitySchemes"`
}

type openAPISecurity struct {
	Type         string `json:"type"`
	Scheme       string `json:"scheme"`
	BearerFormat string `json:"bearerFormat,omitempty"`
	Description  string `json:"description"`
}

const (
	jsonContent    = "application/json"
	securityScheme = "bearerAuth"
)

// apiDescription is the introduction of the document: the rules every
// endpoint follows.
const apiDescription = `The Breadbox public API reads and writes CRM data for PSA, RMM and automation tools. Every call is scoped, audit-logged and rate-limited.

**Authentication.** Send ` + "`Authorization: Bearer <key>`" + `. Keys start with ` + "`msp_live_`" + ` or ` + "`msp_test_`" + `; test keys read and write the same data, are flagged in the audit log, and the events they cause are recorded but never delivered. Each operation names the scope it requires in ` + "`x-required-scope`" + `; a write scope implies its read scope, and ` + "`admin:read`" + ` implies every read scope.

**Envelope.** Every response, success or error, is a JSON object with ` + "`success`" + `, ` + "`requestId`" + ` (also the X-Request-Id header) and ` + "`timestamp`" + `. Success adds ` + "`data`" + `; a list adds ` + "`hasMore`" + ` and ` + "`nextCursor`" + `, null on the last page. An error carries ` + "`error`" + ` with ` + "`code`" + `, ` + "`message`" + `, ` + "`docsUrl`" + ` and ` + "`details`" + ` (each ` + "`{path, message}`" + `, where path is a list of field names and indexes such as ` + "`[\"devices\", 3, \"hostname\"]`" + `).

**Pagination.** Lists are paged by cursor. ` + "`limit`" + ` defaults to 50; above 100 it is clamped to 100; non-numeric or below 1 is a validation_error. ` + "`nextCursor`" + ` is the ID of the page's last item, and ` + "`cursor=<that ID>`" + ` continues after it for any sort. Every sort ends with the ID as a tie-breaker, so paging while rows change never repeats or skips a row that did not move. An unknown or malformed cursor is a validation_error naming cursor.

**Sort.** ` + "`sort`" + ` takes comma-separated ` + "`field:direction`" + ` pairs; the direction is ` + "`asc`" + ` (the default) or ` + "`desc`" + `. Fields outside the endpoint's list are ignored, and a list with none usable uses the default order: newest first (` + "`createdAt:desc`" + `), or ` + "`updatedAt:asc`" + ` when ` + "`updatedAfter`" + ` is given. Null values sort last ascending and first descending.

**Incremental sync.** ` + "`updatedAfter`" + ` is an RFC 3339 time and exclusive: only rows updated strictly after it are listed. A ` + "`+`" + ` of its offset that arrived decoded as a space is read as ` + "`+`" + `. Times in responses are UTC with three decimals and can be passed back as they are.

**Query parameters.** An operation takes only the query parameters it documents; any other, including a misspelt filter such as ` + "`accountID`" + `, is a validation_error naming it, so a typo never returns an unfiltered list. Names are case-sensitive.

**Bodies.** Request bodies are single JSON objects. Unknown fields are a validation_error, field names are case-sensitive, and a repeated key or anything after the JSON value is invalid_json. On PATCH an absent field is left unchanged and null clears an optional field; null on a required field is a validation_error. Text with a NUL character is a validation_error, and length limits count characters. Money is a JSON number with at most two decimals, never rounded. Dates without a time are ` + "`YYYY-MM-DD`" + `. Bodies over 5 MiB get 413 payload_too_large.

**Statuses.** A create answers 201 with the record; reads, updates and bulk calls 200. A delete answers 200 with the envelope: a soft delete returns the record, a hard delete ` + "`{\"id\": …, \"deleted\": true}`" + `.

**Idempotency.** POST, PATCH and DELETE take an ` + "`Idempotency-Key`" + ` header matching ` + "`[a-zA-Z0-9_-]{1,255}`" + `; a malformed key is a bad_request. Keys are scoped to the org and stored for 24 hours with the method, path and canonical JSON body: key order and whitespace do not matter, but numbers are compared as written, so 30 and 30.0 are different bodies. A retry with the same key and body returns the stored response with ` + "`X-Idempotent-Replay: true`" + ` without running again; a different body gets 422 idempotency_conflict; a retry while the first request runs gets 409 idempotency_in_progress with ` + "`Retry-After: 1`" + `. 2xx and 4xx responses are stored, 5xx and 429 are not.

**Rate limits.** A sliding window per key and one per org. ` + "`X-RateLimit-Limit`" + `, ` + "`X-RateLimit-Remaining`" + ` and ` + "`X-RateLimit-Reset`" + ` (Unix seconds) report the tighter window, ` + "`X-RateLimit-Policy`" + ` is ` + "`sliding-window`" + `, and the IETF draft's ` + "`RateLimit-Policy`" + ` and ` + "`RateLimit`" + ` fields name both windows (` + "`\"key\"`" + ` and ` + "`\"org\"`" + `). A 429 carries Retry-After and an error whose details name the window that tripped. Requests rejected for authentication count against the client address.

**Errors.** Unknown paths are 404 not_found and known paths with another method 405 method_not_allowed with an Allow header, both in the envelope. The codes and their statuses are listed at ` + "`docsUrl`" + ` and in the Error schema.

**Extensions.** Operations, parameters, responses, scopes and events that the public reference does not list carry ` + "`x-breadbox-extension: true`" + `.`

// scopeDescription is the description of the bearer security scheme.
const scopeDescription = "An API key: `msp_live_…` for production or `msp_test_…` for test traffic. Each key holds scopes; every operation names the one it requires in `x-required-scope`."

// BuildOpenAPI returns the OpenAPI document of the operations. publicURL is
// the base of the server URL and of docsUrl; "" gives relative URLs.
func BuildOpenAPI(publicURL string, ops []Operation) *OpenAPIDocument {
	document, _ := buildOpenAPI(publicURL, ops)
	return document
}

// buildOpenAPI returns the document and the problems found in its schemas,
// which TestSchemasHaveNoProblems reports.
func buildOpenAPI(publicURL string, ops []Operation) (*OpenAPIDocument, []string) {
	base := strings.TrimRight(publicURL, "/")
	schemas := newSchemaSet()
	responseSchemas(schemas)
	extensionResponseSchemas(schemas)
	requestSchemas(schemas)
	extensionRequestSchemas(schemas)
	envelopeSchemas(schemas)

	document := &OpenAPIDocument{
		OpenAPI: "3.1.0",
		Info: openAPIInfo{
			Title:       "Breadbox public API",
			Version:     "1",
			Description: apiDescription,
		},
		JSONSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
		Servers:           []openAPIServer{{URL: base + "/api/v1"}},
		Security:          []map[string][]string{{securityScheme: {}}},
		Paths:             map[string]map[string]*OpenAPIOperation{},
		Components: openAPIComponents{
			Schemas:    schemas.schemas,
			Parameters: commonParameters(),
			Headers:    commonHeaders(),
			SecuritySchemes: map[string]openAPISecurity{
				securityScheme: {Type: "http", Scheme: "bearer", BearerFormat: "msp_live_… or msp_test_…", Description: scopeDescription},
			},
		},
	}

	for i := range ops {
		op := &ops[i]
		if !slices.ContainsFunc(document.Tags, func(t openAPITag) bool { return t.Name == op.tag() }) {
			document.Tags = append(document.Tags, openAPITag{Name: op.tag(), Description: tagDescriptions[op.tag()]})
		}
		item := document.Paths[op.Path]
		if item == nil {
			item = map[string]*OpenAPIOperation{}
			document.Paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = buildOperation(op)
	}
	document.Webhooks = buildWebhooks(schemas)
	return document, schemas.problems
}

// tagDescriptions describes the groups of operations.
var tagDescriptions = map[string]string{
	"meta":              "The service's state and this API's own documents; no key needed.",
	"accounts":          "Clients and prospects of the MSP, and their sites.",
	"contacts":          "People and their relationships with accounts.",
	"deals":             "The sales pipeline and its stages.",
	"devices":           "Device inventory, usually pushed from an RMM.",
	"tasks":             "Tasks on accounts and deals.",
	"notes":             "Notes on accounts, deals, contracts, leads and contacts.",
	"touchpoints":       "Logged interactions with accounts.",
	"health-scores":     "Churn risk of accounts, its signals and history.",
	"mrr":               "Monthly recurring revenue of the org.",
	"contracts":         "Contracts with their service lines and MRR.",
	"leads":             "Leads and their ICP scores.",
	"compliance-items":  "Compliance items of accounts.",
	"compliance-status": "Compliance framework status per account.",
	"events":            "The recorded webhook events, for catching up and incremental sync.",
}

func buildOperation(op *Operation) *OpenAPIOperation {
	built := &OpenAPIOperation{
		OperationID: op.operationID(),
		Summary:     op.Summary,
		Description: op.Doc.Description,
		Tags:        []string{op.tag()},
		Extension:   op.Doc.Extension,
		Responses:   map[string]*OpenAPIResponse{},
	}
	if op.Scope == "" {
		built.Security = &[]map[string][]string{}
		built.Description = joinParagraphs(built.Description, "Needs no API key.")
	} else {
		built.Security = &[]map[string][]string{{securityScheme: {}}}
		built.RequiredScope = string(op.Scope)
		built.Description = joinParagraphs(built.Description, fmt.Sprintf("Requires the `%s` scope.", op.Scope))
	}
	if !op.documented() {
		built.Description = joinParagraphs(built.Description, "NOTE: this operation's response is not documented yet.")
	}

	built.Parameters = buildParameters(op)
	if op.Doc.Request != "" {
		built.RequestBody = &OpenAPIRequestBody{Required: true, Content: map[string]*OpenAPIMedia{
			jsonContent: {Schema: ref(op.Doc.Request), Example: op.Doc.Example},
		}}
	} else if op.hasBody() {
		built.RequestBody = &OpenAPIRequestBody{Required: true, Content: map[string]*OpenAPIMedia{
			jsonContent: {Schema: &Schema{Type: "object", Description: "Not documented yet."}},
		}}
	}

	success := successResponse(op)
	if op.documented() {
		built.Responses[strconv.Itoa(op.successStatus())] = success
	} else {
		built.Responses["2XX"] = success
	}
	for status, codes := range op.errorCodes() {
		built.Responses[strconv.Itoa(status)] = errorResponse(op, status, codes)
	}
	return built
}

func joinParagraphs(first, second string) string {
	if first == "" {
		return second
	}
	return first + "\n\n" + second
}

// buildParameters returns the path, list, filter, query and header
// parameters of an operation.
func buildParameters(op *Operation) []*OpenAPIParameter {
	var parameters []*OpenAPIParameter
	for _, name := range op.pathParams() {
		parameters = append(parameters, &OpenAPIParameter{
			Name: name, In: "path", Required: true,
			Description: "The ID of the record; an ID of another type or org is not_found, a malformed one a bad_request.",
			Schema:      &Schema{Type: "string", Pattern: pathIDPattern.String()},
		})
	}
	if op.List {
		parameters = append(parameters,
			&OpenAPIParameter{Ref: "#/components/parameters/limit"},
			&OpenAPIParameter{Ref: "#/components/parameters/cursor"},
			sortParameter(op),
			&OpenAPIParameter{Ref: "#/components/parameters/updatedAfter"},
		)
	}
	for _, name := range op.Filters {
		parameters = append(parameters, queryParameter(filterDoc(op, name)))
	}
	for _, param := range op.Doc.Query {
		parameters = append(parameters, queryParameter(param))
	}
	if op.Scope != "" && op.isWrite() {
		parameters = append(parameters, &OpenAPIParameter{Ref: "#/components/parameters/Idempotency-Key"})
	}
	return parameters
}

// filterDoc returns the documentation of a filter, or a plain string with a
// note when the row has none.
func filterDoc(op *Operation, name string) Param {
	for _, param := range op.Doc.Filters {
		if param.Name == name {
			return param
		}
	}
	return Param{Name: name, Description: "NOTE: not documented yet.", Schema: stringSchema()}
}

func queryParameter(param Param) *OpenAPIParameter {
	return &OpenAPIParameter{Name: param.Name, In: "query", Description: param.Description, Schema: param.Schema, Extension: param.Extension}
}

// sortParameter documents the sort fields of a list and its default order.
func sortParameter(op *Operation) *OpenAPIParameter {
	names := make([]string, len(op.Sorts))
	for i, field := range op.Sorts {
		names[i] = field.Name
	}
	// The pattern lists the allowed fields, so tools can check a value;
	// the server ignores fields outside it. Directions are case-insensitive.
	term := `\s*(` + strings.Join(names, "|") + `)\s*(:\s*([aA][sS][cC]|[dD][eE][sS][cC])\s*)?`
	defaultOrder := "createdAt:desc"
	if op.DefaultSort != nil {
		defaultOrder = formatSort(op.DefaultSort)
	}
	return &OpenAPIParameter{
		Name: "sort", In: "query",
		Description: fmt.Sprintf("Comma-separated field:direction pairs, direction asc (the default) or desc. Fields: %s. Other fields are ignored. Default order: %s, or updatedAt:asc with updatedAfter.",
			strings.Join(names, ", "), defaultOrder),
		Schema:  &Schema{Type: "string", Pattern: "^" + term + "(," + term + ")*$"},
		Example: names[0] + ":desc",
	}
}

func formatSort(terms []pagination.Term) string {
	parts := make([]string, len(terms))
	for i, term := range terms {
		direction := "asc"
		if term.Desc {
			direction = "desc"
		}
		parts[i] = term.Field.Name + ":" + direction
	}
	return strings.Join(parts, ",")
}

// commonParameters are the parameters every list or write shares.
func commonParameters() map[string]*OpenAPIParameter {
	return map[string]*OpenAPIParameter{
		"limit": {
			Name: "limit", In: "query",
			Description: fmt.Sprintf("Page size, %d by default; larger values are clamped to %d, and a value below 1 or not a whole number is a validation_error.", pagination.DefaultLimit, pagination.MaxLimit),
			Schema:      &Schema{Type: "integer", Minimum: floatPointer(1)},
		},
		"cursor": {
			Name: "cursor", In: "query",
			Description: "The nextCursor of the previous page: the ID of its last item. An unknown or malformed cursor is a validation_error.",
			Schema:      &Schema{Type: "string", Pattern: cursorPattern.String()},
		},
		"updatedAfter": {
			Name: "updatedAfter", In: "query",
			Description: "RFC 3339 time; lists only rows updated strictly after it. Without sort the list is in updatedAt:asc order.",
			Schema:      &Schema{Type: "string", Format: "date-time"},
			Example:     "2026-05-01T00:00:00Z",
		},
		"Idempotency-Key": {
			Name: "Idempotency-Key", In: "header",
			Description: "Makes a retry safe for 24 hours: the same key and body replay the stored response, a different body is idempotency_conflict.",
			Schema:      &Schema{Type: "string", Pattern: "^[a-zA-Z0-9_-]{1,255}$"},
			Example:     "import-job-2026-05-06-abc123",
		},
	}
}

// The response headers.
const (
	headerRequestID          = "X-Request-Id"
	headerRateLimitLimit     = "X-RateLimit-Limit"
	headerRateLimitRemaining = "X-RateLimit-Remaining"
	headerRateLimitReset     = "X-RateLimit-Reset"
	headerRateLimitPolicy    = "X-RateLimit-Policy"
	headerRateLimit          = "RateLimit"
	headerRateLimitPolicies  = "RateLimit-Policy"
	headerRetryAfter         = "Retry-After"
	headerIdempotentReplay   = "X-Idempotent-Replay"
)

func commonHeaders() map[string]*OpenAPIHeader {
	integer := &Schema{Type: "integer", Minimum: floatPointer(0)}
	return map[string]*OpenAPIHeader{
		headerRequestID:          {Description: "The request's ID, equal to requestId in the body; include it in support tickets.", Required: true, Schema: &Schema{Type: "string", Pattern: "^req_[0-9a-f]{16}$"}},
		headerRateLimitLimit:     {Description: "Requests per minute allowed in the tighter of the key's and the org's windows.", Schema: integer},
		headerRateLimitRemaining: {Description: "Requests left in that window.", Schema: integer},
		headerRateLimitReset:     {Description: "When that window has room again, in Unix seconds.", Schema: integer},
		headerRateLimitPolicy:    {Description: "The kind of window: sliding-window.", Schema: &Schema{Type: "string", Enum: []any{"sliding-window"}}},
		headerRateLimit:          {Description: "The IETF draft's RateLimit field for each window, such as \"key\";r=55;t=30, \"org\";r=110;t=30.", Schema: stringSchema()},
		headerRateLimitPolicies:  {Description: "The IETF draft's RateLimit-Policy field for each window, such as \"key\";q=60;w=60, \"org\";q=120;w=60.", Schema: stringSchema()},
		headerRetryAfter:         {Description: "Seconds to wait before retrying.", Required: true, Schema: integer},
		headerIdempotentReplay:   {Description: "true when the response is a replay of a stored one for the same Idempotency-Key.", Schema: &Schema{Type: "string", Enum: []any{"true"}}},
	}
}

// responseHeaders returns the headers of one response of an operation.
func responseHeaders(op *Operation, status int) map[string]*OpenAPIHeader {
	headers := map[string]*OpenAPIHeader{headerRequestID: headerRef(headerRequestID)}
	if op.Scope != "" {
		for _, name := range []string{headerRateLimitLimit, headerRateLimitRemaining, headerRateLimitReset, headerRateLimitPolicy, headerRateLimit, headerRateLimitPolicies} {
			headers[name] = headerRef(name)
		}
	}
	if op.Scope != "" && op.isWrite() {
		headers[headerIdempotentReplay] = headerRef(headerIdempotentReplay)
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusConflict, http.StatusServiceUnavailable:
		headers[headerRetryAfter] = headerRef(headerRetryAfter)
	}
	return headers
}

func headerRef(name string) *OpenAPIHeader {
	return &OpenAPIHeader{Ref: "#/components/headers/" + name}
}

// successResponse describes the envelope of a successful call.
func successResponse(op *Operation) *OpenAPIResponse {
	response := &OpenAPIResponse{Headers: responseHeaders(op, op.successStatus())}
	switch {
	case op.serveDocument != nil:
		response.Description = op.Summary
		response.Content = map[string]*OpenAPIMedia{jsonContent: {Schema: ref(op.Doc.Response)}}
		return response
	case op.List || op.Doc.Page:
		response.Description = "A page of the list."
	case op.Method == http.MethodPost && op.successStatus() == http.StatusCreated:
		response.Description = "The created record."
	default:
		response.Description = "Success."
	}

	if !op.documented() {
		// Until the row has a Doc, any envelope of success passes.
		response.Content = map[string]*OpenAPIMedia{jsonContent: {Schema: &Schema{
			Type: "object", Required: []string{"success", "requestId", "timestamp"}, Description: "Not documented yet.",
			Properties: map[string]*Schema{"success": {Const: true}, "requestId": ref("RequestId"), "timestamp": ref("Timestamp")},
		}}}
		return response
	}
	data := ref(op.Doc.Response)
	envelope := &Schema{
		Type: "object", AdditionalProperties: false,
		Required: []string{"success", "data", "requestId", "timestamp"},
		Properties: map[string]*Schema{
			"success":   {Const: true},
			"data":      data,
			"requestId": ref("RequestId"),
			"timestamp": ref("Timestamp"),
		},
	}
	if op.List || op.Doc.Page {
		envelope.Properties["data"] = &Schema{Type: "array", Items: data}
		envelope.Properties["hasMore"] = &Schema{Type: "boolean", Description: "Whether items follow this page."}
		envelope.Properties["nextCursor"] = &Schema{Type: []string{"string", "null"}, Description: "The cursor of the next page; null on the last page."}
		envelope.Required = append(envelope.Required, "hasMore", "nextCursor")
	}
	response.Content = map[string]*OpenAPIMedia{jsonContent: {Schema: envelope}}
	return response
}

// errorResponse describes the error envelope of one status with its codes.
func errorResponse(op *Operation, status int, codes []apierr.Code) *OpenAPIResponse {
	names := make([]any, len(codes))
	lines := make([]string, len(codes))
	extension := true
	for i, code := range codes {
		names[i] = string(code)
		lines[i] = "`" + string(code) + "`"
		if !codeIsExtension(code) {
			extension = false
		}
	}
	// ErrorResponse allows every code; this status narrows it to its own.
	schema := &Schema{AllOf: []*Schema{
		ref("ErrorResponse"),
		{Properties: map[string]*Schema{"error": {Properties: map[string]*Schema{"code": {Enum: names}}}}},
	}}
	return &OpenAPIResponse{
		Description: http.StatusText(status) + ": " + strings.Join(lines, ", ") + ".",
		Headers:     responseHeaders(op, status),
		Content:     map[string]*OpenAPIMedia{jsonContent: {Schema: schema}},
		Extension:   extension,
	}
}

func codeIsExtension(code apierr.Code) bool {
	for _, doc := range errorCodeDocs {
		if doc.Code == code {
			return doc.Extension
		}
	}
	return true
}

// envelopeSchemas registers the schemas shared by every envelope.
func envelopeSchemas(s *schemaSet) {
	s.add("RequestId", &Schema{Type: "string", Pattern: "^req_[0-9a-f]{16}$", Description: "The request's ID, also sent as the X-Request-Id header."})
	s.add("Timestamp", &Schema{Type: "string", Format: "date-time", Description: "When the response was written, in UTC with three decimals."})
	s.add("ErrorDetail", &Schema{
		Type: "object", AdditionalProperties: false, Required: []string{"path", "message"},
		Description: "One invalid part of the request.",
		Properties: map[string]*Schema{
			"path":    {Type: "array", Items: &Schema{Type: []string{"string", "integer"}}, Description: "Field names and list indexes, such as [\"devices\", 3, \"hostname\"]."},
			"message": stringSchema(),
		},
	})
	codes := make([]any, len(errorCodeDocs))
	var lines []string
	for i, doc := range errorCodeDocs {
		codes[i] = string(doc.Code)
		line := fmt.Sprintf("- `%s` (%d): %s", doc.Code, doc.Code.Status(), doc.Meaning)
		if doc.Extension {
			line += " (extension)"
		}
		lines = append(lines, line)
	}
	s.add("Error", &Schema{
		Type: "object", AdditionalProperties: false, Required: []string{"code", "message", "docsUrl", "details"},
		Description: "An error. The codes:\n" + strings.Join(lines, "\n"),
		Properties: map[string]*Schema{
			"code":    {Type: "string", Enum: codes},
			"message": stringSchema(),
			"docsUrl": {Type: "string", Format: "uri"},
			"details": {Type: "array", Items: ref("ErrorDetail")},
		},
	})
	s.add("ErrorResponse", &Schema{
		Type: "object", AdditionalProperties: false, Required: []string{"success", "error", "requestId", "timestamp"},
		Description: "The envelope of every error, including those of unknown paths (404) and methods (405).",
		Properties: map[string]*Schema{
			"success":   {Const: false},
			"error":     ref("Error"),
			"requestId": ref("RequestId"),
			"timestamp": ref("Timestamp"),
		},
	})
	s.add("OpenAPIDocument", &Schema{
		Type: "object", Required: []string{"openapi", "info", "paths"}, Description: "An OpenAPI 3.1 document.",
		Properties: map[string]*Schema{"openapi": {Const: "3.1.0"}, "info": {Type: "object"}, "paths": {Type: "object"}},
	})
	s.add("PostmanCollection", &Schema{
		Type: "object", Required: []string{"info", "item"}, Description: "A Postman collection, format v2.1.",
		Properties: map[string]*Schema{"info": {Type: "object"}, "item": {Type: "array"}},
	})
}
