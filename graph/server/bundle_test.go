package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/graph/server"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/testdb"
)

// testBundle is a running Breadbox server on a fresh database with two orgs.
// Requests go over loopback HTTP to the handler that app.New builds.
type testBundle struct {
	app    *app.App
	server *httptest.Server
	// client is the server's own ent client, for seeding and checking rows
	// under auth.SystemContext.
	client *ent.Client
	orgA   string
	orgB   string
}

// setup starts a server on a fresh, migrated database with orgs A and B.
func setup(t *testing.T) *testBundle {
	t.Helper()
	ctx := context.Background()

	cfg := config.Config{SecretKey: strings.Repeat("ab", 32), DatabaseURL: testdb.URL(t), MigrateOnStart: true, KeyCacheTTL: 0}
	application, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = application.Close() })

	httpServer := httptest.NewServer(application.Handler())
	t.Cleanup(httpServer.Close)

	orgA, err := admin.CreateOrg(ctx, application.DB.Client, "Org A", "")
	require.NoError(t, err)
	orgB, err := admin.CreateOrg(ctx, application.DB.Client, "Org B", "")
	require.NoError(t, err)

	// The matrices send hundreds of requests a minute per org, far more than
	// a plan allows; these tests are not about rate limits.
	for _, orgID := range []string{orgA.ID, orgB.ID} {
		application.DB.Client.Org.UpdateOneID(orgID).
			SetRateLimitPerKey(1_000_000).
			SetRateLimitPerOrg(1_000_000).
			ExecX(auth.SystemContext(ctx, orgID))
	}

	return &testBundle{
		app:    application,
		server: httpServer,
		client: application.DB.Client,
		orgA:   orgA.ID,
		orgB:   orgB.ID,
	}
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

// system returns a context acting as the system inside the org.
func (b *testBundle) system(orgID string) context.Context {
	return auth.SystemContext(context.Background(), orgID)
}

// writeScopes lists every write scope a key can hold.
func writeScopes() []auth.Scope {
	var scopes []auth.Scope
	for _, scope := range auth.AllScopes {
		if !scope.IsRead() {
			scopes = append(scopes, scope)
		}
	}
	return scopes
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// gqlResponse is a decoded GraphQL response with its HTTP status and raw body.
type gqlResponse struct {
	Status int             `json:"-"`
	Body   string          `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// codes returns the extensions.code of every error, in order.
func (r gqlResponse) codes() []string {
	codes := make([]string, len(r.Errors))
	for i, gqlErr := range r.Errors {
		codes[i], _ = gqlErr.Extensions["code"].(string)
	}
	return codes
}

// dataIsNull reports whether the response carries no data at all.
func (r gqlResponse) dataIsNull() bool {
	trimmed := strings.TrimSpace(string(r.Data))
	return trimmed == "" || trimmed == "null"
}

// value returns the value at path inside data, such as "accounts",
// "totalCount", or nil when any step is missing.
func (r gqlResponse) value(t *testing.T, path ...any) any {
	t.Helper()
	var current any
	if r.dataIsNull() {
		return nil
	}
	require.NoError(t, json.Unmarshal(r.Data, &current))
	for _, step := range path {
		switch key := step.(type) {
		case string:
			object, ok := current.(map[string]any)
			if !ok {
				return nil
			}
			current = object[key]
		case int:
			list, ok := current.([]any)
			if !ok || key >= len(list) {
				return nil
			}
			current = list[key]
		default:
			t.Fatalf("path step %v has type %T; use string or int", step, step)
		}
	}
	return current
}

// connectionIDs returns the node IDs of a connection at path inside data.
func (r gqlResponse) connectionIDs(t *testing.T, path ...any) []string {
	t.Helper()
	edges, _ := r.value(t, append(path, "edges")...).([]any)
	ids := make([]string, 0, len(edges))
	for _, edge := range edges {
		node, _ := edge.(map[string]any)["node"].(map[string]any)
		ids = append(ids, fmt.Sprint(node["id"]))
	}
	return ids
}

// listIDs returns the IDs of a list of objects at path inside data.
func (r gqlResponse) listIDs(t *testing.T, path ...any) []string {
	t.Helper()
	items, _ := r.value(t, path...).([]any)
	ids := make([]string, 0, len(items))
	for _, item := range items {
		object, _ := item.(map[string]any)
		ids = append(ids, fmt.Sprint(object["id"]))
	}
	return ids
}

// post sends a GraphQL request with the key and checks that no error message
// exposes the database.
func (b *testBundle) post(t *testing.T, key, query string, variables map[string]any) gqlResponse {
	t.Helper()
	return postGraphQL(t, b.server.URL+"/graphql", key, query, variables)
}

// mustPost sends a GraphQL request that must succeed without errors.
func (b *testBundle) mustPost(t *testing.T, key, query string, variables map[string]any) gqlResponse {
	t.Helper()
	response := b.post(t, key, query, variables)
	require.Empty(t, response.Errors, "query %s returned errors: %s", query, response.Body)
	return response
}

func postGraphQL(t *testing.T, url, key, query string, variables map[string]any) gqlResponse {
	t.Helper()
	response, err := sendGraphQL(url, key, query, variables)
	require.NoError(t, err)
	requireCleanErrors(t, response)
	return response
}

// sendGraphQL posts a GraphQL request and decodes the response. It calls no
// testing functions, so goroutines other than the test's may use it.
func sendGraphQL(url, key, query string, variables map[string]any) (gqlResponse, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		return gqlResponse{}, err
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	request, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return gqlResponse{}, err
	}
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("Authorization", "Bearer "+key)

	response, err := http.DefaultClient.Do(request)
	if err != nil {
		return gqlResponse{}, err
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	if err != nil {
		return gqlResponse{}, err
	}

	decoded := gqlResponse{Status: response.StatusCode, Body: string(raw)}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return gqlResponse{}, fmt.Errorf("decoding the response %q: %w", raw, err)
	}
	return decoded, nil
}

// requireCleanErrors checks that no error message of the response, nor any
// message in its validation details, exposes the database.
func requireCleanErrors(t *testing.T, response gqlResponse) {
	t.Helper()
	for _, gqlErr := range response.Errors {
		requireCleanMessage(t, gqlErr.Message)
		details, _ := gqlErr.Extensions["details"].([]any)
		for _, detail := range details {
			message, _ := detail.(map[string]any)["message"].(string)
			requireCleanMessage(t, message)
		}
	}
}

// leakPatterns match what a database error would put in a message: ent's
// prefix, SQL and driver words, and the name of a table, either one with an
// underscore or a plain one quoted or qualifying a column.
var leakPatterns = []*regexp.Regexp{
	regexp.MustCompile(`ent:`),
	regexp.MustCompile(`(?i)sql`),
	regexp.MustCompile(`SQLSTATE`),
	regexp.MustCompile(`(?i)constraint`),
	regexp.MustCompile(`\b(account_contacts|deal_contacts|pipeline_stages|service_lines|compliance_items|health_signals|churn_risk_snapshots|api_keys|schema_migrations)\b`),
	regexp.MustCompile("[\"`'](orgs|users|accounts|sites|contacts|deals|contracts|devices|tasks|notes|touchpoints|leads)[\"`']"),
	regexp.MustCompile(`\b(orgs|users|accounts|sites|contacts|deals|contracts|devices|tasks|notes|touchpoints|leads)\.[a-z_]+`),
	regexp.MustCompile(`(?i)\b(from|into|update|table)\s+"?(orgs|users|accounts|sites|contacts|deals|contracts|devices|tasks|notes|touchpoints|leads)\b`),
}

func requireCleanMessage(t *testing.T, message string) {
	t.Helper()
	for _, pattern := range leakPatterns {
		require.NotRegexp(t, pattern, message, "an error message exposes the database")
	}
}

// statementCounter counts the SQL statements an ent client sends to its
// driver, inside and outside transactions.
type statementCounter struct {
	count atomic.Int64

	mu         sync.Mutex
	statements []string
}

// log is the logging function of dialect.DebugWithContext. It receives one
// line per driver operation; only queries and executions are statements.
func (c *statementCounter) log(_ context.Context, values ...any) {
	line := fmt.Sprint(values...)
	if !strings.Contains(line, ".Query") && !strings.Contains(line, ".Exec") {
		return
	}
	c.count.Add(1)
	c.mu.Lock()
	c.statements = append(c.statements, line)
	c.mu.Unlock()
}

// reset clears the count and the recorded statements.
func (c *statementCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count.Store(0)
	c.statements = nil
}

// recorded returns the statements counted since the last reset.
func (c *statementCounter) recorded() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.statements...)
}

// countingServer serves /graphql as the app does (request ID, request log,
// the app's authenticator, server.New), but over an ent client whose every
// statement is counted. The authenticator keeps the app's client, so the key
// lookup of each request is not counted.
func (b *testBundle) countingServer(t *testing.T) (*httptest.Server, *statementCounter) {
	t.Helper()
	counter := &statementCounter{}
	counted := ent.NewClient(ent.Driver(dialect.DebugWithContext(b.app.DB.Driver, counter.log)))

	authenticate := middleware.Authenticate(b.app.Authenticator, server.WriteError)
	handler := middleware.RequestID(middleware.Log(slog.New(slog.DiscardHandler))(authenticate(server.New(counted, server.Config{}))))
	mux := http.NewServeMux()
	mux.Handle("/graphql", handler)

	httpServer := httptest.NewServer(mux)
	t.Cleanup(httpServer.Close)
	return httpServer, counter
}
