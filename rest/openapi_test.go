package rest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	entcontract "github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/rest"
)

// get sends an unauthenticated GET to the server and returns the status,
// the Content-Type and the body.
func (b *testBundle) get(t *testing.T, path string) (int, string, []byte) {
	t.Helper()
	response, err := b.server.Client().Get(b.server.URL + path)
	require.NoError(t, err)
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	require.NoError(t, err)
	return response.StatusCode, response.Header.Get("Content-Type"), body
}

func TestDocumentsServedWithoutKey(t *testing.T) {
	t.Parallel()
	b := setup(t)

	status, contentType, body := b.get(t, "/api/v1/openapi.json")
	require.Equal(t, http.StatusOK, status, "%s", body)
	require.Contains(t, contentType, "application/json")
	var document map[string]any
	require.NoError(t, json.Unmarshal(body, &document))
	require.Equal(t, "3.1.0", document["openapi"])
	require.Equal(t, publicURL+"/api/v1", document["servers"].([]any)[0].(map[string]any)["url"])
	require.Contains(t, document["webhooks"], "deal.closed_won")

	status, _, body = b.get(t, "/api/v1/postman.json")
	require.Equal(t, http.StatusOK, status, "%s", body)
	var collection map[string]any
	require.NoError(t, json.Unmarshal(body, &collection))
	require.Equal(t, "https://schema.getpostman.com/json/collection/v2.1.0/collection.json", collection["info"].(map[string]any)["schema"])
	variables := map[string]any{}
	for _, variable := range collection["variable"].([]any) {
		variables[variable.(map[string]any)["key"].(string)] = variable.(map[string]any)["value"]
	}
	require.Equal(t, publicURL+"/api/v1", variables["baseUrl"])
	require.Contains(t, variables, "apiKey")
	require.Equal(t, "bearer", collection["auth"].(map[string]any)["type"])

	status, contentType, body = b.get(t, "/docs/api")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, contentType, "text/html")
	require.Contains(t, string(body), `id="errors"`)
	require.Contains(t, string(body), "idempotency_conflict")
	require.Contains(t, string(body), "/accounts/{id}")
}

// TestRoutesMatchDocument walks the server's router and checks that every
// route under /api/v1 is an operation of the served document and every
// operation of the document is a route.
func TestRoutesMatchDocument(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.loadContract(t)

	routes, isRoutes := b.app.Handler().(chi.Routes)
	require.True(t, isRoutes, "the app's handler is not a chi router")
	served := map[string]bool{}
	require.NoError(t, chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		path, below := strings.CutPrefix(route, "/api/v1")
		if below && path != rest.PanicPath {
			served[method+" "+path] = true
		}
		return nil
	}))

	documented := map[string]bool{}
	for path, item := range c.raw["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for route := range served {
		if documented[route] {
			continue
		}
		// A route outside the table may only be a placeholder that returns
		// not_found, such as an endpoint reserved before its row exists.
		method, path, _ := strings.Cut(route, " ")
		if strings.Contains(path, "{") {
			t.Errorf("the route %s has no operation in the OpenAPI document", route)
			continue
		}
		res := b.call(t, method, path, "", nil)
		require.Equal(t, http.StatusNotFound, res.Status, "the route %s has no operation in the OpenAPI document", route)
	}
	for operation := range documented {
		require.True(t, served[operation], "the document lists %s, which the router does not serve", operation)
	}
	for _, op := range rest.Operations() {
		require.True(t, documented[op.Method+" "+op.Path], "the operation %s %s is missing from the document", op.Method, op.Path)
	}
}

// TestExamplesMatchRequestSchemas validates each request example of the
// document against its request body schema.
func TestExamplesMatchRequestSchemas(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.loadContract(t)
	for path, item := range c.raw["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			body, hasBody := raw.(map[string]any)["requestBody"].(map[string]any)
			if !hasBody {
				continue
			}
			media := body["content"].(map[string]any)["application/json"].(map[string]any)
			example, hasExample := media["example"]
			if !hasExample {
				continue
			}
			pointer := "/paths/" + escapePointer(path) + "/" + method + "/requestBody/content/application~1json/schema"
			schema, err := c.schema(pointer)
			require.NoError(t, err)
			require.NoError(t, schema.Validate(example), "the example of %s %s does not match its schema", method, path)
		}
	}
}

// TestBodySchemasMatchReaders checks each request schema against the handler
// that reads the body. An empty body must be missing exactly the required
// properties, and every property must be a field the handler reads. Every
// field of the response that the schema leaves out must be rejected as
// read-only or unknown.
func TestBodySchemasMatchReaders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.loadContract(t)
	key := b.key(t, b.org(t, "Bodies"), auth.AllScopes...)
	schemas := c.raw["components"].(map[string]any)["schemas"].(map[string]any)

	for _, op := range rest.Operations() {
		if op.Doc.Request == "" {
			continue
		}
		path := strings.NewReplacer("{id}", "x_1").Replace(op.Path)
		for _, prefix := range []string{"accounts", "contacts", "deals", "devices", "tasks", "health-scores"} {
			if strings.HasPrefix(op.Path, "/"+prefix+"/{") {
				path = routePath(t, op)
			}
		}
		if op.Path == "/leads/{id}" {
			// updateLead loads the lead before it reads the body.
			created := b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Body check"})
			path = "/leads/" + created.data(t)["id"].(string)
		}
		schema := schemas[op.Doc.Request].(map[string]any)
		properties := schema["properties"].(map[string]any)
		name := op.Method + " " + op.Path

		res := b.call(t, op.Method, path, key, map[string]any{})
		if op.Method == http.MethodPost {
			require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s with {}: %s", name, res.Raw)
			var required []string
			for _, field := range schema["required"].([]any) {
				required = append(required, field.(string))
			}
			// Of alternatives such as "rawValue or subScore", the handler
			// reports the first missing.
			if alternatives, ok := schema["oneOf"].([]any); ok {
				for _, field := range alternatives[0].(map[string]any)["required"].([]any) {
					required = append(required, field.(string))
				}
			}
			slices.Sort(required)
			reported := res.detailPaths()
			slices.Sort(reported)
			require.Equal(t, required, reported, "%s: the required properties differ from the fields reported missing", name)
		}

		wrong := map[string]any{}
		for property := range properties {
			wrong[property] = map[string]any{"wrongType": true}
		}
		res = b.call(t, op.Method, path, key, wrong)
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s: %s", name, res.Raw)
		for _, detail := range details(res) {
			require.NotContains(t, detail.message, "not a known field", "%s: the schema has %v, which the handler does not read", name, detail.path)
		}

		responseName := op.Doc.Response
		responseSchema, known := schemas[responseName].(map[string]any)
		if !known {
			continue
		}
		for field := range responseSchema["properties"].(map[string]any) {
			if _, inRequest := properties[field]; inRequest {
				continue
			}
			res = b.call(t, op.Method, path, key, map[string]any{field: map[string]any{"wrongType": true}})
			for _, detail := range details(res) {
				if detail.path != field {
					continue
				}
				readOnly := strings.Contains(detail.message, "read-only") || strings.Contains(detail.message, "not a known field") || strings.Contains(detail.message, "cannot be changed")
				require.True(t, readOnly, "%s reads %s, which %s does not document: %s", name, field, op.Doc.Request, detail.message)
			}
		}
	}
}

type detail struct {
	path    string
	message string
}

func details(res response) []detail {
	errorBody, _ := res.Body["error"].(map[string]any)
	list, _ := errorBody["details"].([]any)
	paths := res.detailPaths()
	found := make([]detail, len(list))
	for i, item := range list {
		found[i] = detail{path: paths[i], message: item.(map[string]any)["message"].(string)}
	}
	return found
}

var (
	postmanVariablePattern = regexp.MustCompile(`\{\{(\w+)\}\}`)
	postmanStatusPattern   = regexp.MustCompile(`pm\.response\.to\.have\.status\((\d+)\)`)
	postmanSetPattern      = regexp.MustCompile(`pm\.collectionVariables\.set\("(\w+)"`)
)

// TestPostmanCollectionRuns sends every request of the served Postman
// collection in its order, as newman does, with the IDs of the records it
// creates. Each response is validated against the OpenAPI document by call,
// and its status must be the one the request's test script expects.
func TestPostmanCollectionRuns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Postman")
	key := b.key(t, orgID, auth.AllScopes...)
	// The API cannot create contracts, so the collection reads one that
	// exists: the list stores the first contract's ID for the read.
	b.seedContract(t, orgID, b.createAccountAsSystem(t, orgID, "Contract holder"), "Managed IT", entcontract.StatusACTIVE,
		line{serviceline.CategoryMANAGED_SERVICES, 10, 12_500, serviceline.BillingFrequencyMONTHLY})

	status, _, body := b.get(t, "/api/v1/postman.json")
	require.Equal(t, http.StatusOK, status)
	var collection struct {
		Variable []struct{ Key, Value string }
		Item     []struct {
			Name string
			Item []struct {
				Name    string
				Request struct {
					Method string
					URL    struct{ Raw string }
					Body   *struct{ Raw string }
				}
				Event []struct {
					Script struct{ Exec []string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(body, &collection))
	variables := map[string]string{}
	for _, variable := range collection.Variable {
		variables[variable.Key] = variable.Value
	}
	substitute := func(text string) string {
		return postmanVariablePattern.ReplaceAllStringFunc(text, func(match string) string {
			return variables[strings.Trim(match, "{}")]
		})
	}

	sent := 0
	for _, folder := range collection.Item {
		for _, item := range folder.Item {
			script := strings.Join(item.Event[0].Script.Exec, "\n")
			target := strings.TrimPrefix(item.Request.URL.Raw, "{{baseUrl}}")
			var requestBody any
			if item.Request.Body != nil {
				requestBody = substitute(item.Request.Body.Raw)
			}
			if strings.HasSuffix(target, ".json") {
				continue // the documents are not envelopes; TestDocumentsServedWithoutKey reads them
			}
			match := postmanStatusPattern.FindStringSubmatch(script)
			if match == nil {
				continue // an undocumented operation, which TestOperationsDocumented reports
			}
			res := b.call(t, item.Request.Method, substitute(target), key, requestBody)
			sent++

			expected, _ := strconv.Atoi(match[1])
			require.Equal(t, expected, res.Status, "%s / %s %s: %s", folder.Name, item.Request.Method, target, res.Raw)
			if set := postmanSetPattern.FindStringSubmatch(script); set != nil {
				if item.Request.Method == http.MethodGet {
					listed := res.list(t)
					require.NotEmpty(t, listed, "%s / GET %s listed nothing to store in %s", folder.Name, target, set[1])
					variables[set[1]] = listed[0]["id"].(string)
				} else {
					variables[set[1]] = res.data(t)["id"].(string)
				}
			}
		}
	}
	require.Greater(t, sent, 20)
}

// TestContractCatchesWrongShape checks that the validator behind call
// rejects a body that breaks the document, so passing tests mean something.
func TestContractCatchesWrongShape(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.loadContract(t)
	schema, err := c.schema("/components/schemas/Account")
	require.NoError(t, err)

	valid := `{"id":"acc_01JTV3M8Q4XKXB5N3E7W9YHZ2A","name":"Acme","lifecycleStatus":"ACTIVE","industry":null,"employeeCount":null,
		"externalId":null,"website":null,"phone":null,"slaTier":null,"accountManagerId":null,"salesRepId":null,"parentAccountId":null,
		"clientSince":"2024-01-15","contractAnniversary":null,"fiscalYearEndMonth":null,"complianceFrameworks":[],"tags":[],
		"currentMrr":3500.5,"churnRisk":null,"createdAt":"2026-05-06T18:42:11.443Z","updatedAt":"2026-05-06T18:42:11.443Z"}`
	require.NoError(t, schema.Validate(mustJSON(t, valid)))

	for name, broken := range map[string]string{
		"money with three decimals": strings.Replace(valid, "3500.5", "3500.555", 1),
		"unknown lifecycle":         strings.Replace(valid, `"ACTIVE"`, `"DORMANT"`, 1),
		"date with a time":          strings.Replace(valid, `"2024-01-15"`, `"2024-01-15T00:00:00Z"`, 1),
		"extra property":            strings.Replace(valid, `"name":"Acme"`, `"name":"Acme","orgId":"org_1"`, 1),
		"null name":                 strings.Replace(valid, `"name":"Acme"`, `"name":null`, 1),
	} {
		require.Error(t, schema.Validate(mustJSON(t, broken)), name)
	}
}

func mustJSON(t *testing.T, text string) any {
	t.Helper()
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(text)))
	require.NoError(t, err)
	return value
}
