package auth

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScopeListHasTwentyThreeScopes(t *testing.T) {
	t.Parallel()
	// The reference documents 21 scopes; contracts:read and webhooks:write
	// are the extensions.
	require.Len(t, AllScopes, 23)
}

func TestScopeSetGrants(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		granted  []Scope
		required Scope
		want     bool
	}{
		{"exact read", []Scope{AccountsRead}, AccountsRead, true},
		{"write implies read", []Scope{DevicesWrite}, DevicesRead, true},
		{"read does not imply write", []Scope{DevicesRead}, DevicesWrite, false},
		{"write of another resource", []Scope{DevicesWrite}, AccountsRead, false},
		{"admin read implies reads", []Scope{AdminRead}, MRRRead, true},
		{"admin read implies contracts", []Scope{AdminRead}, ContractsRead, true},
		{"admin read implies no write", []Scope{AdminRead}, AccountsWrite, false},
		{"empty set", nil, AccountsRead, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, NewScopeSet(tc.granted...).Grants(tc.required))
		})
	}
}

func TestAdminReadGrantsEveryReadScope(t *testing.T) {
	t.Parallel()
	admin := NewScopeSet(AdminRead)
	for _, scope := range AllScopes {
		require.Equal(t, scope.IsRead(), admin.Grants(scope), scope)
	}
}

func TestParseScopesRejectsUnknown(t *testing.T) {
	t.Parallel()
	_, err := ParseScopes([]string{"accounts:read", "accounts:delete"})
	require.ErrorContains(t, err, `unknown scope "accounts:delete"`)

	_, err = ParseScopes(nil)
	require.ErrorContains(t, err, "at least one scope")

	scopes, err := ParseScopes([]string{"deals:write", " deals:write"})
	require.NoError(t, err)
	require.Equal(t, []Scope{DealsWrite}, scopes)
}

func TestSystemPrincipalGrantsEverything(t *testing.T) {
	t.Parallel()
	system := &Principal{System: true}
	require.True(t, system.Grants(AccountsWrite))

	var missing *Principal
	require.False(t, missing.Grants(AccountsRead))
}
