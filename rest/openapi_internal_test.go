package rest

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/webhook"
)

func TestSchemasHaveNoProblems(t *testing.T) {
	t.Parallel()
	_, problems := buildOpenAPI("", Operations())
	require.Empty(t, problems)
}

// TestOperationsDocumented lists every row of the operation table whose Doc
// is missing a part, so a new row without documentation fails here.
func TestOperationsDocumented(t *testing.T) {
	t.Parallel()
	document := BuildOpenAPI("", Operations())
	schemas := document.Components.Schemas

	var missing []string
	seenIDs := map[string]string{}
	for _, op := range Operations() {
		name := op.Method + " " + op.Path
		report := func(problem string) { missing = append(missing, name+": "+problem) }

		if op.Doc.Response == "" {
			report("Doc.Response names no schema")
		} else if schemas[op.Doc.Response] == nil {
			report("Doc.Response names the unknown schema " + op.Doc.Response)
		}
		if op.hasBody() && op.Doc.Request == "" {
			report("Doc.Request names no schema, but the handler reads a body")
		}
		if op.Doc.Request != "" && schemas[op.Doc.Request] == nil {
			report("Doc.Request names the unknown schema " + op.Doc.Request)
		}
		if op.Doc.Request != "" && op.Doc.Example == nil {
			report("Doc.Example is missing")
		}
		for _, filter := range op.Filters {
			if !slices.ContainsFunc(op.Doc.Filters, func(p Param) bool { return p.Name == filter }) {
				report("the filter " + filter + " has no entry in Doc.Filters")
			}
		}
		for _, param := range op.Doc.Filters {
			if !slices.Contains(op.Filters, param.Name) {
				report("Doc.Filters documents " + param.Name + ", which Filters does not list")
			}
		}
		if op.List && len(op.Sorts) == 0 {
			report("a list without Sorts")
		}
		if other, taken := seenIDs[op.operationID()]; taken {
			report("operationId " + op.operationID() + " is also used by " + other)
		}
		seenIDs[op.operationID()] = name
	}
	require.Empty(t, missing, "operations with incomplete documentation:\n%s", strings.Join(missing, "\n"))
}

func TestWebhooksDocumented(t *testing.T) {
	t.Parallel()
	document := BuildOpenAPI("", Operations())
	for _, event := range webhook.Events {
		post := document.Webhooks[event]["post"]
		require.NotNil(t, post, "event %s has no webhook entry", event)
		data := webhookData(post)
		require.False(t, data.Ref == "" && data.OneOf == nil, "event %s has no data schema; add its resource to eventDataSchemas", event)
	}
}

func TestOperationsHaveExpectedParameters(t *testing.T) {
	t.Parallel()
	document := BuildOpenAPI("https://app.example.com", Operations())
	require.Equal(t, "https://app.example.com/api/v1", document.Servers[0].URL)

	list := document.Paths["/deals"]["get"]
	names := make([]string, 0, len(list.Parameters))
	for _, param := range list.Parameters {
		names = append(names, param.Name+param.Ref)
	}
	require.Equal(t, []string{
		"#/components/parameters/limit", "#/components/parameters/cursor", "sort", "#/components/parameters/updatedAfter",
		"stage", "accountId", "ownerId", "type",
	}, names)
	require.Contains(t, list.Parameters[2].Description, "estimatedMrr")
	require.Equal(t, "deals:read", list.RequiredScope)

	create := document.Paths["/deals"]["post"]
	require.Equal(t, "#/components/parameters/Idempotency-Key", create.Parameters[len(create.Parameters)-1].Ref)
	require.Contains(t, create.Responses, "201")
	require.Contains(t, create.Responses, "409")
	require.Contains(t, create.Responses["201"].Headers, "X-RateLimit-Limit")
	require.Contains(t, create.Responses["429"].Headers, "Retry-After")

	status := document.Paths["/status"]["get"]
	require.NotNil(t, status.Security)
	require.Empty(t, *status.Security, "/status needs no key")
	require.True(t, status.Extension)
	require.Contains(t, status.Responses, "503")

	require.Equal(t, http.StatusOK, (&Operation{Method: http.MethodDelete}).successStatus())
}
