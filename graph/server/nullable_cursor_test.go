package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// TestCursorOverANullableOrderIsRejected proves that a connection walk
// ordered by a field that can be null is rejected at its second page rather
// than skipping rows, and that excluding the nulls makes the walk whole.
func TestCursorOverANullableOrderIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := b.system(b.orgA)
	withIndustry := map[string]bool{}
	for _, industry := range []string{"Legal", "", "Dental", "", "Retail", "Dental", ""} {
		create := b.client.Account.Create().SetName("Client")
		if industry != "" {
			create.SetIndustry(industry)
		}
		created := create.SaveX(ctx)
		if industry != "" {
			withIndustry[created.ID] = true
		}
	}
	key := b.key(t, b.orgA, auth.AccountsRead)
	page := `query($after: Cursor, $where: AccountWhereInput) {
		accounts(first: 2, after: $after, orderBy: [{field: INDUSTRY, direction: ASC}], where: $where) {
			edges { node { id } }
			pageInfo { hasNextPage endCursor }
		}
	}`

	first := b.mustPost(t, key, page, nil)
	cursor := first.value(t, "accounts", "pageInfo", "endCursor")
	response := b.post(t, key, page, map[string]any{"after": cursor})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	require.Contains(t, response.Errors[0].Message, "industryNotNil")

	// Without nulls the walk returns every account with an industry once.
	seen := map[string]int{}
	var after any
	for range 10 {
		response := b.mustPost(t, key, page, map[string]any{"after": after, "where": map[string]any{"industryNotNil": true}})
		for _, edge := range response.value(t, "accounts", "edges").([]any) {
			seen[edge.(map[string]any)["node"].(map[string]any)["id"].(string)]++
		}
		if response.value(t, "accounts", "pageInfo", "hasNextPage") != true {
			break
		}
		after = response.value(t, "accounts", "pageInfo", "endCursor")
	}
	require.Len(t, seen, len(withIndustry))
	for id, count := range seen {
		require.True(t, withIndustry[id])
		require.Equal(t, 1, count)
	}

	// Orders on fields that cannot be null page as before.
	response = b.post(t, key, `query($after: Cursor) { accounts(first: 2, after: $after, orderBy: [{field: NAME}]) { edges { node { id } } } }`,
		map[string]any{"after": cursor})
	require.Empty(t, response.Errors, response.Body)
}
