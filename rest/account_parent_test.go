package rest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// requireParentRejected checks a 422 validation_error on parentAccountId whose
// message contains text.
func requireParentRejected(t *testing.T, res response, text string) {
	t.Helper()
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "parentAccountId")
	errorBody := res.Body["error"].(map[string]any)
	require.Contains(t, errorBody["message"], text, "unexpected message: %s", res.Raw)
}

// parentOf returns the parentAccountId of an account as GET returns it.
func (b *testBundle) parentOf(t *testing.T, key, accountID string) any {
	t.Helper()
	return b.call(t, http.MethodGet, "/accounts/"+accountID, key, nil).requireStatus(t, http.StatusOK).data(t)["parentAccountId"]
}

func TestAccountParentSetAndClear(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Parents"), auth.AccountsWrite)
	holding := b.createAccount(t, key, map[string]any{"name": "Acme Holding"})
	other := b.createAccount(t, key, map[string]any{"name": "Other Holding"})

	res := b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Acme Clinic", "parentAccountId": holding}).
		requireStatus(t, http.StatusCreated)
	clinic := res.data(t)["id"].(string)
	require.Equal(t, holding, res.data(t)["parentAccountId"])
	require.Equal(t, holding, b.parentOf(t, key, clinic))

	res = b.call(t, http.MethodPatch, "/accounts/"+clinic, key, map[string]any{"industry": "Healthcare"}).requireStatus(t, http.StatusOK)
	require.Equal(t, holding, res.data(t)["parentAccountId"], "a PATCH without parentAccountId keeps the parent")

	res = b.call(t, http.MethodPatch, "/accounts/"+clinic, key, map[string]any{"parentAccountId": other}).requireStatus(t, http.StatusOK)
	require.Equal(t, other, res.data(t)["parentAccountId"])

	res = b.call(t, http.MethodPatch, "/accounts/"+clinic, key, map[string]any{"parentAccountId": nil}).requireStatus(t, http.StatusOK)
	require.Nil(t, res.data(t)["parentAccountId"], "null clears the parent")
	require.Nil(t, b.parentOf(t, key, clinic))

	res = b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Standalone", "parentAccountId": nil}).requireStatus(t, http.StatusCreated)
	require.Nil(t, res.data(t)["parentAccountId"])
}

func TestAccountParentRejectsSelf(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Self"), auth.AccountsWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPatch, "/accounts/"+acme, key, map[string]any{"parentAccountId": acme})
	requireParentRejected(t, res, "cannot be its own parent")
	require.Nil(t, b.parentOf(t, key, acme))
}

func TestAccountParentRejectsTwoAccountCycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Two"), auth.AccountsWrite)
	parent := b.createAccount(t, key, map[string]any{"name": "Parent"})
	child := b.createAccount(t, key, map[string]any{"name": "Child", "parentAccountId": parent})

	res := b.call(t, http.MethodPatch, "/accounts/"+parent, key, map[string]any{"parentAccountId": child})
	requireParentRejected(t, res, "would make a cycle, because "+child+" is a descendant of "+parent)
	require.Nil(t, b.parentOf(t, key, parent), "the rejected PATCH changed nothing")
}

func TestAccountParentRejectsThreeAccountCycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Three"), auth.AccountsWrite)
	top := b.createAccount(t, key, map[string]any{"name": "Top"})
	middle := b.createAccount(t, key, map[string]any{"name": "Middle", "parentAccountId": top})
	bottom := b.createAccount(t, key, map[string]any{"name": "Bottom"})

	b.call(t, http.MethodPatch, "/accounts/"+bottom, key, map[string]any{"parentAccountId": middle}).requireStatus(t, http.StatusOK)

	res := b.call(t, http.MethodPatch, "/accounts/"+top, key, map[string]any{"name": "Top renamed", "parentAccountId": bottom})
	requireParentRejected(t, res, "would make a cycle")
	require.Contains(t, res.Body["error"].(map[string]any)["message"], bottom+" → "+middle+" → "+top)

	got := b.call(t, http.MethodGet, "/accounts/"+top, key, nil).requireStatus(t, http.StatusOK).data(t)
	require.Nil(t, got["parentAccountId"])
	require.Equal(t, "Top", got["name"], "the rejected PATCH changed no field")
}

func TestAccountParentOfAnotherOrg(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Mine"), auth.AccountsWrite)
	otherKey := b.key(t, b.org(t, "Theirs"), auth.AccountsWrite)
	foreign := b.createAccount(t, otherKey, map[string]any{"name": "Foreign"})
	own := b.createAccount(t, key, map[string]any{"name": "Own"})

	res := b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Poacher", "parentAccountId": foreign})
	requireParentRejected(t, res, "which was not found in this org")

	res = b.call(t, http.MethodPatch, "/accounts/"+own, key, map[string]any{"parentAccountId": foreign})
	requireParentRejected(t, res, "which was not found in this org")
	require.Nil(t, b.parentOf(t, key, own))

	res = b.call(t, http.MethodPatch, "/accounts/"+foreign, key, map[string]any{"parentAccountId": own})
	res.requireError(t, http.StatusNotFound, "not_found")
}

func TestAccountParentMustBeAnAccountID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Types"), auth.AccountsWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	for _, value := range []any{"usr_01JTV3M8Q4XKXB5N3E7W9YHZ2A", "", 42} {
		res := b.call(t, http.MethodPatch, "/accounts/"+acme, key, map[string]any{"parentAccountId": value})
		requireParentRejected(t, res, "must be an ID starting with acc_")
	}
	res := b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Orphan", "parentAccountId": "acc_01JD0000000000000000000000"})
	requireParentRejected(t, res, "which was not found in this org")
}
