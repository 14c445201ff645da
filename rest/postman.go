package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/breadbox/breadbox/internal/id"
)

// PostmanCollection is a Postman collection in format v2.1, as GET
// /api/v1/postman.json serves it.
type PostmanCollection struct {
	Info     postmanInfo       `json:"info"`
	Auth     *postmanAuth      `json:"auth"`
	Variable []postmanVariable `json:"variable"`
	Item     []*PostmanItem    `json:"item"`
}

type postmanInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Schema      string `json:"schema"`
}

type postmanAuth struct {
	Type   string            `json:"type"`
	Bearer []postmanVariable `json:"bearer,omitempty"`
}

type postmanVariable struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	Disabled    bool   `json:"disabled,omitempty"`
}

// PostmanItem is a folder (with Item) or a request (with Request).
type PostmanItem struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Item        []*PostmanItem  `json:"item,omitempty"`
	Request     *PostmanRequest `json:"request,omitempty"`
	Event       []postmanEvent  `json:"event,omitempty"`
}

// PostmanRequest is one request of the collection.
type PostmanRequest struct {
	Method      string            `json:"method"`
	Description string            `json:"description,omitempty"`
	Auth        *postmanAuth      `json:"auth,omitempty"`
	Header      []postmanVariable `json:"header"`
	URL         postmanURL        `json:"url"`
	Body        *postmanBody      `json:"body,omitempty"`
}

type postmanURL struct {
	Raw   string            `json:"raw"`
	Host  []string          `json:"host"`
	Path  []string          `json:"path"`
	Query []postmanVariable `json:"query,omitempty"`
}

type postmanBody struct {
	Mode    string         `json:"mode"`
	Raw     string         `json:"raw"`
	Options map[string]any `json:"options"`
}

type postmanEvent struct {
	Listen string        `json:"listen"`
	Script postmanScript `json:"script"`
}

type postmanScript struct {
	Type string   `json:"type"`
	Exec []string `json:"exec"`
}

// postmanIDVariables maps ID prefixes to the collection variables that hold
// IDs of that type. A create request stores the new record's ID in its
// variable, and later requests use it.
var postmanIDVariables = map[string]string{
	id.Account:    "accountId",
	id.Contact:    "contactId",
	id.Deal:       "dealId",
	id.Device:     "deviceId",
	id.Task:       "taskId",
	id.Note:       "noteId",
	id.Touchpoint: "touchpointId",
	id.Site:       "siteId",
	id.User:       "userId",
	id.Lead:       "leadId",
	id.Contract:   "contractId",
}

// BuildPostman returns the Postman collection of the operations: a folder
// per tag and a request per operation, in an order where each request that
// names a record comes after the request that creates it. publicURL is the
// default of the baseUrl variable.
func BuildPostman(document *OpenAPIDocument, publicURL string, ops []Operation) *PostmanCollection {
	collection := &PostmanCollection{
		Info: postmanInfo{
			Name:        document.Info.Title,
			Description: document.Info.Description,
			Schema:      "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
		},
		Auth: &postmanAuth{Type: "bearer", Bearer: []postmanVariable{{Key: "token", Value: "{{apiKey}}", Type: "string"}}},
		Variable: []postmanVariable{
			{Key: "baseUrl", Value: strings.TrimRight(publicURL, "/") + "/api/v1", Description: "The API's base URL, ending in /api/v1."},
			{Key: "apiKey", Value: "msp_test_replace_me", Description: "An API key; a msp_test_ key fires no webhooks."},
		},
	}
	prefixes := make([]string, 0, len(postmanIDVariables))
	for prefix := range postmanIDVariables {
		prefixes = append(prefixes, prefix)
	}
	slices.Sort(prefixes)
	for _, prefix := range prefixes {
		collection.Variable = append(collection.Variable, postmanVariable{
			Key: postmanIDVariables[prefix], Value: exampleID(prefix),
			Description: "Set by the request that creates the record.",
		})
	}

	folders := map[string]*PostmanItem{}
	for _, tag := range document.Tags {
		folder := &PostmanItem{Name: tag.Name, Description: tag.Description}
		folders[tag.Name] = folder
		collection.Item = append(collection.Item, folder)
	}
	creates := map[string]bool{}
	for i := range ops {
		if isCreate(&ops[i]) {
			creates[ops[i].tag()] = true
		}
	}
	ordered := slices.Clone(ops)
	slices.SortStableFunc(ordered, func(a, b Operation) int { return postmanRank(&a, creates) - postmanRank(&b, creates) })
	for i := range ordered {
		op := &ordered[i]
		folder := folders[op.tag()]
		folder.Item = append(folder.Item, postmanRequest(document, op, creates[op.tag()]))
	}
	return collection
}

// isCreate reports whether the operation creates a record of its tag.
func isCreate(op *Operation) bool {
	return op.Method == http.MethodPost && len(op.pathParams()) == 0 && op.successStatus() == http.StatusCreated
}

// postmanRank orders the requests of a folder: creates first, then reads and
// updates of the created record, then lists, and deletes last. In a folder
// without a create, a read of one record keeps its place after the list,
// which stores the ID of the first record it returns.
func postmanRank(op *Operation, creates map[string]bool) int {
	hasParams := len(op.pathParams()) > 0
	switch {
	case op.Method == http.MethodPost && !hasParams:
		return 0
	case op.Method == http.MethodGet && hasParams && !op.List && creates[op.tag()]:
		return 1
	case op.Method == http.MethodPatch:
		return 2
	case op.Method == http.MethodDelete:
		return 4
	default:
		return 3
	}
}

func postmanRequest(document *OpenAPIDocument, op *Operation, folderCreates bool) *PostmanItem {
	built := document.Paths[op.Path][strings.ToLower(op.Method)]
	request := &PostmanRequest{
		Method:      op.Method,
		Description: built.Description,
		Header:      []postmanVariable{},
		URL:         postmanURLOf(op),
	}
	if op.Scope == "" {
		request.Auth = &postmanAuth{Type: "noauth"}
	}
	if op.Scope != "" && op.isWrite() {
		request.Header = append(request.Header, postmanVariable{
			Key: "Idempotency-Key", Value: "{{$guid}}", Disabled: true,
			Description: "Makes a retry safe: the same key and body replay the stored response.",
		})
	}
	if op.hasBody() {
		request.Header = append(request.Header, postmanVariable{Key: "Content-Type", Value: jsonContent})
		example := op.Doc.Example
		if example == nil {
			example = map[string]any{}
		}
		encoded, _ := json.MarshalIndent(example, "", "  ")
		request.Body = &postmanBody{
			Mode:    "raw",
			Raw:     replaceExampleIDs(string(encoded)),
			Options: map[string]any{"raw": map[string]any{"language": "json"}},
		}
	}
	item := &PostmanItem{
		Name:    op.Summary,
		Request: request,
		Event:   []postmanEvent{{Listen: "test", Script: postmanScript{Type: "text/javascript", Exec: postmanTests(op, folderCreates)}}},
	}
	// A read of one record in a folder without a create needs the ID that
	// the list stored, and is skipped when the list returned no record.
	if variable := postmanRecordVariable(op); !folderCreates && variable != "" && op.Method == http.MethodGet && !op.List && len(op.pathParams()) > 0 {
		item.Event = append(item.Event, postmanEvent{Listen: "prerequest", Script: postmanScript{Type: "text/javascript", Exec: []string{
			fmt.Sprintf(`if (!pm.collectionVariables.get(%q)) { pm.execution.skipRequest(); }`, variable),
		}}})
	}
	return item
}

// replaceExampleIDs puts the collection's ID variables in place of example
// IDs.
func replaceExampleIDs(text string) string {
	for prefix, variable := range postmanIDVariables {
		text = strings.ReplaceAll(text, exampleID(prefix), "{{"+variable+"}}")
	}
	return text
}

// postmanPathVariable returns the variable that fills a path parameter: the
// parameter's own name, or for {id} the ID variable of the path's first
// segment (accounts gives accountId).
func postmanPathVariable(op *Operation, param string) string {
	if param != "id" {
		return param
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(op.Path, "/"), "/")
	singular := strings.TrimSuffix(first, "s")
	words := strings.Split(singular, "-")
	for i := 1; i < len(words); i++ {
		words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
	}
	return strings.Join(words, "") + "Id"
}

func postmanURLOf(op *Operation) postmanURL {
	var path []string
	for _, segment := range strings.Split(strings.TrimPrefix(op.Path, "/"), "/") {
		if strings.HasPrefix(segment, "{") {
			segment = "{{" + postmanPathVariable(op, strings.Trim(segment, "{}")) + "}}"
		}
		path = append(path, segment)
	}
	url := postmanURL{Raw: "{{baseUrl}}/" + strings.Join(path, "/"), Host: []string{"{{baseUrl}}"}, Path: path}
	if op.List {
		url.Query = append(url.Query,
			postmanVariable{Key: "limit", Value: "50", Disabled: true, Description: "Page size, 1 to 100."},
			postmanVariable{Key: "cursor", Value: "", Disabled: true, Description: "The nextCursor of the previous page."},
			postmanVariable{Key: "sort", Value: op.Sorts[0].Name + ":asc", Disabled: true, Description: "field:direction pairs."},
			postmanVariable{Key: "updatedAfter", Value: "2026-05-01T00:00:00Z", Disabled: true, Description: "Only rows updated after this RFC 3339 time."},
		)
	}
	for _, name := range op.Filters {
		param := filterDoc(op, name)
		url.Query = append(url.Query, postmanVariable{Key: name, Value: postmanSampleValue(param.Schema), Disabled: true, Description: param.Description})
	}
	for _, param := range op.Doc.Query {
		url.Query = append(url.Query, postmanVariable{Key: param.Name, Value: postmanSampleValue(param.Schema), Disabled: true, Description: param.Description})
	}
	return url
}

// postmanSampleValue returns a value of a query parameter's schema.
func postmanSampleValue(schema *Schema) string {
	switch {
	case schema == nil:
		return ""
	case len(schema.Enum) > 0:
		return fmt.Sprint(schema.Enum[0])
	case len(schema.Examples) > 0:
		return replaceExampleIDs(fmt.Sprint(schema.Examples[0]))
	case slices.Contains(typeOf(schema), "boolean"):
		return "true"
	}
	return ""
}

// postmanTests returns the test script of a request: the status of success
// and, for envelopes, success true. A create stores the new ID.
func postmanTests(op *Operation, folderCreates bool) []string {
	status := op.successStatus()
	if !op.documented() {
		return []string{
			`pm.test("status is 2xx", function () { pm.expect(pm.response.code).to.be.within(200, 299); });`,
			`pm.test("success is true", function () { pm.expect(pm.response.json().success).to.eql(true); });`,
		}
	}
	lines := []string{fmt.Sprintf(`pm.test("status is %d", function () { pm.response.to.have.status(%d); });`, status, status)}
	if op.serveDocument != nil {
		return append(lines, `pm.test("body is a JSON object", function () { pm.expect(pm.response.json()).to.be.an("object"); });`)
	}
	lines = append(lines, `pm.test("success is true", function () { pm.expect(pm.response.json().success).to.eql(true); });`)
	if op.Method == http.MethodPost && status == http.StatusCreated {
		if variable := postmanRecordVariable(op); variable != "" {
			lines = append(lines, fmt.Sprintf(`if (pm.response.code === %d) { pm.collectionVariables.set(%q, pm.response.json().data.id); }`, status, variable))
		}
	}
	if op.List && !folderCreates {
		if variable := postmanRecordVariable(op); variable != "" {
			lines = append(lines,
				`var listed = pm.response.json().data || [];`,
				fmt.Sprintf(`if (listed.length > 0) { pm.collectionVariables.set(%q, listed[0].id); } else { pm.collectionVariables.unset(%q); }`, variable, variable),
			)
		}
	}
	return lines
}

// postmanRecordVariable returns the ID variable of the record an operation
// returns, named after its response schema (Account gives accountId), or ""
// when the collection has no such variable.
func postmanRecordVariable(op *Operation) string {
	name := op.Doc.Response
	if name == "" {
		return ""
	}
	variable := strings.ToLower(name[:1]) + name[1:] + "Id"
	for _, known := range postmanIDVariables {
		if known == variable {
			return variable
		}
	}
	return ""
}
