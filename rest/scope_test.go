package rest_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/rest"
)

// pathPrefixes gives the ID prefix of the {id} of each collection.
var pathPrefixes = map[string]string{
	"accounts":  "acc",
	"contacts":  "con",
	"deals":     "deal",
	"devices":   "dev",
	"tasks":     "task",
	"contracts": "ctr",
	"leads":     "lead",
}

// paramPrefixes gives the ID prefix of each named path parameter other than
// {id}.
var paramPrefixes = map[string]string{
	"accountId": "acc",
}

// extraScopes lists the scopes an operation checks beyond its Scope: a
// conversion creates an account and a contact.
var extraScopes = map[string][]auth.Scope{
	"POST /leads/{id}/convert": {auth.AccountsWrite, auth.ContactsWrite},
}

// routePath fills the operation's {id} with a well-formed ID of the right
// type that does not exist.
func routePath(t *testing.T, op rest.Operation) string {
	t.Helper()
	path := op.Path
	for name, prefix := range paramPrefixes {
		path = strings.ReplaceAll(path, "{"+name+"}", prefix+"_01JD0000000000000000000000")
	}
	if !strings.Contains(path, "{id}") {
		return path
	}
	collection := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")[0]
	prefix, known := pathPrefixes[collection]
	require.True(t, known, "no ID prefix for %s; add it to pathPrefixes", op.Path)
	return strings.Replace(path, "{id}", prefix+"_01JD0000000000000000000000", 1)
}

// scopesExcept returns every scope that does not grant required.
func scopesExcept(required auth.Scope) []auth.Scope {
	var scopes []auth.Scope
	for _, scope := range auth.AllScopes {
		if !auth.NewScopeSet(scope).Grants(required) {
			scopes = append(scopes, scope)
		}
	}
	return scopes
}

// writeScopeOf returns the write scope of a read scope's resource.
func writeScopeOf(read auth.Scope) auth.Scope {
	return auth.Scope(strings.TrimSuffix(string(read), ":read") + ":write")
}

func bodyFor(op rest.Operation) any {
	if op.Method == http.MethodPost || op.Method == http.MethodPatch {
		return map[string]any{}
	}
	return nil
}

func TestRouteScopes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Scopes")
	adminRead := b.key(t, orgID, auth.AdminRead)

	operations := rest.Operations()
	require.NotEmpty(t, operations)
	for _, op := range operations {
		if op.Scope == "" {
			continue
		}
		path := routePath(t, op)
		name := op.Method + " " + op.Path

		// An operation that accepts any of several scopes is refused only
		// to a key that has none of them.
		lackingScopes := scopesExcept(op.Scope)
		for _, accepted := range op.AnyScope {
			lackingScopes = slices.DeleteFunc(lackingScopes, func(scope auth.Scope) bool {
				return auth.NewScopeSet(scope).Grants(accepted)
			})
		}
		lacking := b.key(t, orgID, lackingScopes...)
		res := b.call(t, op.Method, path, lacking, bodyFor(op))
		res.requireError(t, http.StatusForbidden, "insufficient_scope")
		require.Contains(t, res.Body["error"].(map[string]any)["message"], string(op.Scope), name)

		exact := b.key(t, orgID, append([]auth.Scope{op.Scope}, extraScopes[name]...)...)
		res = b.call(t, op.Method, path, exact, bodyFor(op))
		require.NotEqual(t, http.StatusForbidden, res.Status, "%s with %s: %s", name, op.Scope, res.Raw)
		require.NotEqual(t, http.StatusUnauthorized, res.Status, "%s with %s: %s", name, op.Scope, res.Raw)

		res = b.call(t, op.Method, path, adminRead, bodyFor(op))
		if op.Scope.IsRead() {
			require.NotEqual(t, http.StatusForbidden, res.Status, "admin:read must read %s: %s", name, res.Raw)
			// mrr:read, compliance:read and contracts:read have no write
			// scope.
			if _, err := auth.ParseScope(string(writeScopeOf(op.Scope))); err == nil {
				writer := b.key(t, orgID, writeScopeOf(op.Scope))
				res = b.call(t, op.Method, path, writer, nil)
				require.NotEqual(t, http.StatusForbidden, res.Status, "%s must imply %s for %s: %s", writeScopeOf(op.Scope), op.Scope, name, res.Raw)
			}
		} else {
			res.requireError(t, http.StatusForbidden, "insufficient_scope")
		}
	}
}

// authenticatedOperations returns the operations that need a key.
func authenticatedOperations() []rest.Operation {
	var authenticated []rest.Operation
	for _, op := range rest.Operations() {
		if op.Scope != "" {
			authenticated = append(authenticated, op)
		}
	}
	return authenticated
}

// Each kind of bad key runs on its own server, because requests rejected for
// authentication count against the client address (60 per minute).

func TestRouteWithoutKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, op := range authenticatedOperations() {
		b.call(t, op.Method, routePath(t, op), "", bodyFor(op)).requireError(t, http.StatusUnauthorized, "unauthorized")
	}
}

func TestRouteMalformedKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, op := range authenticatedOperations() {
		b.call(t, op.Method, routePath(t, op), "msp_live_short", bodyFor(op)).requireError(t, http.StatusUnauthorized, "unauthorized")
	}
}

func TestRouteRevokedKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Revoked")
	all := b.key(t, orgID, auth.AllScopes...)
	keys, err := admin.ListKeys(context.Background(), b.client, orgID)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	_, err = admin.RevokeKey(context.Background(), b.client, orgID, keys[0].ID)
	require.NoError(t, err)

	for _, op := range authenticatedOperations() {
		b.call(t, op.Method, routePath(t, op), all, bodyFor(op)).requireError(t, http.StatusUnauthorized, "unauthorized")
	}
}

func TestStatusNeedsNoKey(t *testing.T) {
	t.Parallel()
	b := setup(t)

	res := b.call(t, http.MethodGet, "/status", "", nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "ok", res.data(t)["status"])
	require.Equal(t, map[string]any{"database": "ok"}, res.data(t)["components"])

	require.NoError(t, b.app.DB.SQL.Close())
	res = b.call(t, http.MethodGet, "/status", "", nil)
	res.requireError(t, http.StatusServiceUnavailable, "service_unavailable", "components.database")
}
