package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// TestAccountParentCycleIsRejected sets parents through GraphQL: a chain of
// three accounts is accepted, and closing it into a cycle, or naming the
// account itself, is a validation_error that leaves the parent unchanged.
func TestAccountParentCycleIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite, auth.AccountsRead)
	create := `mutation($name: String!, $parent: ID) { createAccount(input: {name: $name, parentID: $parent}) { id parentAccountID } }`
	setParent := `mutation($id: ID!, $parent: ID!) { updateAccount(id: $id, input: {parentID: $parent}) { id parentAccountID } }`

	top := b.mustPost(t, key, create, map[string]any{"name": "Holding"}).value(t, "createAccount", "id").(string)
	middle := b.mustPost(t, key, create, map[string]any{"name": "Region", "parent": top})
	require.Equal(t, top, middle.value(t, "createAccount", "parentAccountID"))
	middleID := middle.value(t, "createAccount", "id").(string)
	bottom := b.mustPost(t, key, create, map[string]any{"name": "Branch", "parent": middleID}).value(t, "createAccount", "id").(string)

	response := b.post(t, key, setParent, map[string]any{"id": top, "parent": bottom})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	response = b.post(t, key, setParent, map[string]any{"id": top, "parent": top})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)

	read := b.mustPost(t, key, `query($id: ID!) { node(id: $id) { ... on Account { parentAccountID } } }`, map[string]any{"id": top})
	require.Nil(t, read.value(t, "node", "parentAccountID"), "the rejected updates left the parent unset")

	cleared := b.mustPost(t, key, `mutation($id: ID!) { updateAccount(id: $id, input: {clearParent: true}) { parentAccountID } }`, map[string]any{"id": bottom})
	require.Nil(t, cleared.value(t, "updateAccount", "parentAccountID"))
	moved := b.mustPost(t, key, setParent, map[string]any{"id": top, "parent": bottom})
	require.Equal(t, bottom, moved.value(t, "updateAccount", "parentAccountID"), "without the old chain the move is no cycle")
}
