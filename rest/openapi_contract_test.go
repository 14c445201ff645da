package rest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// documentURL is the base URI under which the served OpenAPI document is
// loaded into the JSON Schema compiler, so its #/components/... references
// resolve inside it.
const documentURL = "https://breadbox.test/api/v1/openapi.json"

// contract is the served OpenAPI document, loaded once for all tests: the
// operation table does not change while the tests run, and every test server
// has the same publicURL.
type contract struct {
	raw      map[string]any
	routes   []contractRoute
	compiler *jsonschema.Compiler

	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema
}

// contractRoute is a path of the document with a pattern that matches it.
type contractRoute struct {
	path    string
	pattern *regexp.Regexp
	params  int
}

var (
	contractOnce   sync.Once
	loadedContract *contract
	contractErr    error
)

// loadContract fetches the document from the bundle's server on first use.
func (b *testBundle) loadContract(t *testing.T) *contract {
	t.Helper()
	contractOnce.Do(func() { loadedContract, contractErr = fetchContract(b.server.URL + "/api/v1/openapi.json") })
	require.NoError(t, contractErr, "loading the served OpenAPI document")
	return loadedContract
}

func fetchContract(address string) (*contract, error) {
	response, err := http.Get(address)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	if err != nil {
		return nil, err
	}
	if response.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s returned %d: %s", address, response.StatusCode, raw)
	}

	document, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing the document: %w", err)
	}
	compiler := jsonschema.NewCompiler()
	compiler.DefaultDraft(jsonschema.Draft2020)
	compiler.AssertFormat()
	if err := compiler.AddResource(documentURL, document); err != nil {
		return nil, fmt.Errorf("adding the document to the compiler: %w", err)
	}

	loaded := &contract{raw: document.(map[string]any), compiler: compiler, compiled: map[string]*jsonschema.Schema{}}
	for path := range loaded.raw["paths"].(map[string]any) {
		params := strings.Count(path, "{")
		expression := "^" + regexp.MustCompile(`\\\{[^}]+\\\}`).ReplaceAllString(regexp.QuoteMeta(path), "[^/]+") + "$"
		loaded.routes = append(loaded.routes, contractRoute{path: path, pattern: regexp.MustCompile(expression), params: params})
	}
	// A static segment wins over a parameter, as in the router:
	// /accounts/bulk is not /accounts/{id}.
	slices.SortFunc(loaded.routes, func(a, b contractRoute) int { return a.params - b.params })
	return loaded, nil
}

// schema compiles the schema at a JSON pointer of the document.
func (c *contract) schema(pointer string) (*jsonschema.Schema, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if compiled, ok := c.compiled[pointer]; ok {
		return compiled, nil
	}
	compiled, err := c.compiler.Compile(documentURL + "#" + pointer)
	if err != nil {
		return nil, err
	}
	c.compiled[pointer] = compiled
	return compiled, nil
}

// escapePointer escapes a JSON pointer token.
func escapePointer(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

// operation returns the document's operation for a request path (below
// /api/v1, without the query) and its path template.
func (c *contract) operation(method, path string) (map[string]any, string) {
	for _, route := range c.routes {
		if !route.pattern.MatchString(path) {
			continue
		}
		item := c.raw["paths"].(map[string]any)[route.path].(map[string]any)
		if op, ok := item[strings.ToLower(method)].(map[string]any); ok {
			return op, route.path
		}
	}
	return nil, ""
}

// validateAgainstContract checks a response received by call against the
// served document: its status must be documented for the operation, its body
// must match the schema of that status, and its required headers must be
// present. Responses of unknown paths or methods must match ErrorResponse.
func (b *testBundle) validateAgainstContract(t *testing.T, method, target string, res response) {
	t.Helper()
	c := b.loadContract(t)
	parsed, err := url.Parse(target)
	require.NoError(t, err)

	op, template := c.operation(method, parsed.Path)
	if op == nil {
		require.GreaterOrEqual(t, res.Status, 400, "%s %s is not in the document but succeeded: %s", method, parsed.Path, res.Raw)
		b.requireSchema(t, c, "/components/schemas/ErrorResponse", res, method+" "+parsed.Path)
		return
	}

	responses := op["responses"].(map[string]any)
	status := strconv.Itoa(res.Status)
	key := status
	if _, ok := responses[key]; !ok {
		key = status[:1] + "XX"
	}
	if _, ok := responses[key]; !ok {
		key = "default"
	}
	documented, ok := responses[key].(map[string]any)
	require.True(t, ok, "status %d of %s %s is not documented; the document lists %v: %s",
		res.Status, method, template, sortedResponseKeys(responses), res.Raw)

	pointer := "/paths/" + escapePointer(template) + "/" + strings.ToLower(method) + "/responses/" + key + "/content/application~1json/schema"
	b.requireSchema(t, c, pointer, res, method+" "+template)

	headers, _ := documented["headers"].(map[string]any)
	for name, header := range headers {
		headerObject := header.(map[string]any)
		if ref, isRef := headerObject["$ref"].(string); isRef {
			headerObject = c.raw["components"].(map[string]any)["headers"].(map[string]any)[strings.TrimPrefix(ref, "#/components/headers/")].(map[string]any)
		}
		if required, _ := headerObject["required"].(bool); required {
			require.NotEmpty(t, res.Header.Get(name), "%s %s returned %d without the required %s header", method, template, res.Status, name)
		}
	}
	if _, scoped := op["x-required-scope"]; scoped && res.Status < 300 {
		require.NotEmpty(t, res.Header.Get("X-RateLimit-Limit"), "%s %s succeeded without rate-limit headers", method, template)
		require.NotEmpty(t, res.Header.Get("RateLimit-Policy"), "%s %s succeeded without RateLimit-Policy", method, template)
	}
}

func (b *testBundle) requireSchema(t *testing.T, c *contract, pointer string, res response, what string) {
	t.Helper()
	schema, err := c.schema(pointer)
	require.NoError(t, err, "compiling the schema at %s", pointer)
	body, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.Raw))
	require.NoError(t, err)
	if err := schema.Validate(body); err != nil {
		t.Fatalf("the %d response of %s does not match the OpenAPI document:\n%v\nbody: %s", res.Status, what, err, res.Raw)
	}
}

func sortedResponseKeys(responses map[string]any) []string {
	keys := make([]string, 0, len(responses))
	for key := range responses {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}
