package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/testdb"
)

// publicURL is the PublicURL of the test servers, the base of docsUrl.
const publicURL = "https://breadbox.test"

// testBundle is a running Breadbox server on a fresh database. Requests go
// over loopback HTTP to the handler that app.New builds.
type testBundle struct {
	app    *app.App
	server *httptest.Server
	// client is the server's own ent client, for seeding rows under
	// auth.SystemContext.
	client *ent.Client
	logs   *syncBuffer
}

// syncBuffer collects the server's log lines; handlers log concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// setup starts a server on a fresh, migrated database.
func setup(t *testing.T, options ...app.Option) *testBundle {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	cfg := config.Config{DatabaseURL: testdb.URL(t), MigrateOnStart: true, KeyCacheTTL: 0, PublicURL: publicURL}
	application, err := app.New(context.Background(), cfg, logger, options...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = application.Close() })

	httpServer := httptest.NewServer(application.Handler())
	t.Cleanup(httpServer.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})

	return &testBundle{app: application, server: httpServer, client: application.DB.Client, logs: logs}
}

// org creates an Enterprise org, whose rate limits (300 requests per minute
// per key) leave room for the tests' requests.
func (b *testBundle) org(t *testing.T, name string) string {
	t.Helper()
	created, err := admin.CreateOrg(context.Background(), b.client, name, "enterprise")
	require.NoError(t, err)
	return created.ID
}

// key creates an API key of the org with the scopes and returns its raw value.
func (b *testBundle) key(t *testing.T, orgID string, scopes ...auth.Scope) string {
	t.Helper()
	names := make([]string, len(scopes))
	for i, scope := range scopes {
		names[i] = string(scope)
	}
	created, err := admin.CreateKey(context.Background(), b.client, admin.KeyParams{OrgID: orgID, Name: "test", Scopes: names})
	require.NoError(t, err)
	return created.Raw
}

// response is a received response with its envelope decoded.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// call sends a request to /api/v1 plus path. A string or []byte body is sent
// as is, and anything else is encoded as JSON. An empty key sends no
// Authorization header.
func (b *testBundle) call(t *testing.T, method, path, key string, body any) response {
	t.Helper()
	var reader io.Reader
	switch typed := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(typed)
	case []byte:
		reader = bytes.NewReader(typed)
	default:
		encoded, err := json.Marshal(typed)
		require.NoError(t, err)
		reader = bytes.NewReader(encoded)
	}

	request, err := http.NewRequest(method, b.server.URL+"/api/v1"+path, reader)
	require.NoError(t, err)
	if key != "" {
		request.Header.Set("Authorization", "Bearer "+key)
	}
	if reader != nil {
		request.Header.Set("Content-Type", "application/json")
	}
	httpResponse, err := b.server.Client().Do(request)
	require.NoError(t, err)
	defer httpResponse.Body.Close()

	raw, err := io.ReadAll(httpResponse.Body)
	require.NoError(t, err)
	res := response{Status: httpResponse.StatusCode, Header: httpResponse.Header, Raw: raw}
	require.NoError(t, json.Unmarshal(raw, &res.Body), "the response is not JSON: %s", raw)
	requireEnvelope(t, res)
	b.validateAgainstContract(t, method, path, res)
	return res
}

var timestampPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)

// requireEnvelope checks the envelope every response must have.
func requireEnvelope(t *testing.T, res response) {
	t.Helper()
	requestID := res.Header.Get("X-Request-Id")
	require.Regexp(t, `^req_[0-9a-f]{16}$`, requestID)
	require.Equal(t, requestID, res.Body["requestId"], "requestId must equal X-Request-Id")
	require.Regexp(t, timestampPattern, res.Body["timestamp"])
	require.Equal(t, res.Status < 400, res.Body["success"], "success must match status %d: %s", res.Status, res.Raw)
	require.Contains(t, res.Header.Get("Content-Type"), "application/json")
	if res.Status >= 400 {
		errorBody, isObject := res.Body["error"].(map[string]any)
		require.True(t, isObject, "an error response needs an error object: %s", res.Raw)
		require.NotEmpty(t, errorBody["code"])
		require.NotEmpty(t, errorBody["message"])
		require.Equal(t, publicURL+"/docs/api#errors", errorBody["docsUrl"])
		require.IsType(t, []any{}, errorBody["details"])
		require.NotContains(t, res.Body, "data")
	}
}

// requireOK checks the status of a successful response.
func (res response) requireStatus(t *testing.T, status int) response {
	t.Helper()
	require.Equal(t, status, res.Status, "unexpected status: %s", res.Raw)
	return res
}

// data returns the data object of a single-record response.
func (res response) data(t *testing.T) map[string]any {
	t.Helper()
	data, isObject := res.Body["data"].(map[string]any)
	require.True(t, isObject, "data is not an object: %s", res.Raw)
	return data
}

// list returns the data list of a list response.
func (res response) list(t *testing.T) []map[string]any {
	t.Helper()
	items, isList := res.Body["data"].([]any)
	require.True(t, isList, "data is not a list: %s", res.Raw)
	records := make([]map[string]any, len(items))
	for i, item := range items {
		records[i] = item.(map[string]any)
	}
	require.Contains(t, res.Body, "hasMore")
	require.Contains(t, res.Body, "nextCursor")
	return records
}

// errorCode returns the code of an error response.
func (res response) errorCode() string {
	errorBody, _ := res.Body["error"].(map[string]any)
	code, _ := errorBody["code"].(string)
	return code
}

// detailPaths returns the paths of an error's details, each joined by dots.
func (res response) detailPaths() []string {
	errorBody, _ := res.Body["error"].(map[string]any)
	details, _ := errorBody["details"].([]any)
	paths := make([]string, 0, len(details))
	for _, detail := range details {
		path, _ := detail.(map[string]any)["path"].([]any)
		parts := make([]string, len(path))
		for i, part := range path {
			encoded, _ := json.Marshal(part)
			parts[i] = strings.Trim(string(encoded), `"`)
		}
		paths = append(paths, strings.Join(parts, "."))
	}
	return paths
}

// requireError checks an error response's status, code and detail paths.
func (res response) requireError(t *testing.T, status int, code string, paths ...string) {
	t.Helper()
	require.Equal(t, status, res.Status, "unexpected status: %s", res.Raw)
	require.Equal(t, code, res.errorCode(), "unexpected error: %s", res.Raw)
	for _, path := range paths {
		require.Contains(t, res.detailPaths(), path, "missing detail: %s", res.Raw)
	}
}

// createAccount creates an account through the API and returns its ID.
func (b *testBundle) createAccount(t *testing.T, key string, body map[string]any) string {
	t.Helper()
	res := b.call(t, http.MethodPost, "/accounts", key, body).requireStatus(t, http.StatusCreated)
	return res.data(t)["id"].(string)
}
