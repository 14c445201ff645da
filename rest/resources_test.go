package rest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
)

func TestContacts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Contacts"), auth.AccountsWrite, auth.ContactsWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})
	beta := b.createAccount(t, key, map[string]any{"name": "Beta"})

	res := b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Sam", "email": "sam@example.com", "accountId": acme}).
		requireStatus(t, http.StatusCreated)
	sam := res.data(t)
	require.Equal(t, []any{map[string]any{"accountId": acme, "role": nil, "isPrimary": false, "influence": nil}}, sam["accounts"])

	b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Other Sam", "email": "SAM@example.com"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "email")
	b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Bad", "email": "not-an-email"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "email")
	b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Both", "accountId": acme, "accounts": []map[string]any{{"accountId": beta}}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accounts")
	b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Twice", "accounts": []map[string]any{{"accountId": beta}, {"accountId": beta}}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accounts.1.accountId")
	b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Typo", "accounts": []map[string]any{{"acountId": beta}}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accounts.0.acountId", "accounts.0.accountId")
	b.call(t, http.MethodPost, "/contacts", key, map[string]any{"firstName": "Wrong", "accounts": []map[string]any{{"accountId": beta, "influence": "FAN"}}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accounts.0.influence")

	res = b.call(t, http.MethodPost, "/contacts", key, map[string]any{
		"firstName": "Ana", "accounts": []map[string]any{{"accountId": acme, "isPrimary": true}, {"accountId": beta, "role": "IT lead"}},
	}).requireStatus(t, http.StatusCreated)
	require.Len(t, res.data(t)["accounts"], 2)

	res = b.call(t, http.MethodGet, "/contacts?accountId="+beta, key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 1)
	require.Equal(t, "Ana", res.list(t)[0]["firstName"])

	samID := sam["id"].(string)
	res = b.call(t, http.MethodPatch, "/contacts/"+samID, key, map[string]any{"email": nil, "lastName": "Lee", "title": "CTO"}).requireStatus(t, http.StatusOK)
	require.Nil(t, res.data(t)["email"])
	require.Equal(t, "Lee", res.data(t)["lastName"])
	require.Len(t, res.data(t)["accounts"], 1, "PATCH keeps the account relationships")
	b.call(t, http.MethodPatch, "/contacts/"+samID, key, map[string]any{"accountId": beta}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accountId")
}

func TestDealStages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Pipeline")
	key := b.key(t, orgID, auth.AccountsWrite, auth.DealsWrite)
	owner, err := admin.CreateUser(context.Background(), b.client, orgID, "Olive Owner", "olive@example.com", "sales_rep")
	require.NoError(t, err)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodGet, "/pipeline-stages", key, nil).requireStatus(t, http.StatusOK)
	stages := res.list(t)
	require.Len(t, stages, 9)
	require.Equal(t, "PROSPECT", stages[0]["key"], "stages come in pipeline order")
	require.Equal(t, "CLOSED_LOST", stages[8]["key"])

	res = b.call(t, http.MethodPost, "/deals", key, map[string]any{
		"name": "Managed IT", "accountId": accountID, "ownerId": owner.ID, "type": "RENEWAL", "expectedCloseDate": "2026-09-30",
	}).requireStatus(t, http.StatusCreated)
	dealID := res.data(t)["id"].(string)

	res = b.call(t, http.MethodPatch, "/deals/"+dealID, key, map[string]any{"stage": "NEGOTIATION"}).requireStatus(t, http.StatusOK)
	require.Equal(t, "NEGOTIATION", res.data(t)["stage"])
	require.Equal(t, float64(60), res.data(t)["probability"])

	res = b.call(t, http.MethodGet, "/deals?stage=NEGOTIATION&ownerId="+owner.ID+"&type=RENEWAL", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{dealID}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/deals?stage=DISCOVERY", key, nil).requireStatus(t, http.StatusOK)
	require.Empty(t, res.list(t))

	res = b.call(t, http.MethodGet, "/deals?stage=WON", key, nil)
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "stage")
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "PROSPECT, DISCOVERY, TECHNOLOGY_ASSESSMENT")
	b.call(t, http.MethodPatch, "/deals/"+dealID, key, map[string]any{"stage": "WON"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "stage")
	b.call(t, http.MethodPatch, "/deals/"+dealID, key, map[string]any{"stage": nil}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "stage")

	res = b.call(t, http.MethodPatch, "/deals/"+dealID, key, map[string]any{"stage": "CLOSED_WON"}).requireStatus(t, http.StatusOK)
	require.Regexp(t, timestampPattern, res.data(t)["closedAt"])
	res = b.call(t, http.MethodGet, "/accounts/"+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "ONBOARDING", res.data(t)["lifecycleStatus"], "a won deal moves a prospect to ONBOARDING")

	res = b.call(t, http.MethodPatch, "/deals/"+dealID, key, map[string]any{"stage": "VERBAL_COMMIT", "ownerId": nil}).requireStatus(t, http.StatusOK)
	require.Nil(t, res.data(t)["closedAt"], "leaving a closed stage clears closedAt")
	require.Nil(t, res.data(t)["ownerId"])
}

func TestDevices(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Devices"), auth.AccountsWrite, auth.DevicesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPost, "/devices", key, map[string]any{
		"accountId": accountID, "hostname": "WS-1", "isOnline": true, "lastSeenAt": "2026-05-06T18:42:11.4437+02:00",
	}).requireStatus(t, http.StatusCreated)
	online := res.data(t)
	require.Equal(t, "2026-05-06T16:42:11.443Z", online["lastSeenAt"], "times come back in UTC with milliseconds")
	offline := b.call(t, http.MethodPost, "/devices", key, map[string]any{"accountId": accountID, "hostname": "WS-2", "isEndOfLife": true}).
		requireStatus(t, http.StatusCreated).data(t)

	res = b.call(t, http.MethodGet, "/devices?isOnline=true", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{online["id"].(string)}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/devices?isEndOfLife=true&accountId="+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{offline["id"].(string)}, ids(res.list(t)))
	b.call(t, http.MethodGet, "/devices?isOnline=yes", key, nil).requireError(t, http.StatusUnprocessableEntity, "validation_error", "isOnline")
	b.call(t, http.MethodGet, "/devices?accountId=dev_01JD0000000000000000000000", key, nil).requireError(t, http.StatusUnprocessableEntity, "validation_error", "accountId")

	res = b.call(t, http.MethodPatch, "/devices/"+online["id"].(string), key, map[string]any{"isOnline": false, "lastSeenAt": nil}).requireStatus(t, http.StatusOK)
	require.Equal(t, false, res.data(t)["isOnline"])
	require.Nil(t, res.data(t)["lastSeenAt"])
	b.call(t, http.MethodPatch, "/devices/"+online["id"].(string), key, map[string]any{"isOnline": nil}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "isOnline")

	res = b.call(t, http.MethodDelete, "/devices/"+online["id"].(string), key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, map[string]any{"id": online["id"], "deleted": true}, res.data(t))
	b.call(t, http.MethodGet, "/devices/"+online["id"].(string), key, nil).requireError(t, http.StatusNotFound, "not_found")
}

func TestTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Tasks"), auth.AccountsWrite, auth.TasksWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPost, "/tasks", key, map[string]any{"title": "Renew license", "accountId": accountID, "dueDate": "2026-06-01", "priority": "HIGH"}).
		requireStatus(t, http.StatusCreated)
	task := res.data(t)
	taskID := task["id"].(string)
	require.Equal(t, "OPEN", task["status"])
	require.Nil(t, task["completedAt"])

	res = b.call(t, http.MethodPatch, "/tasks/"+taskID, key, map[string]any{"status": "DONE"}).requireStatus(t, http.StatusOK)
	require.Regexp(t, timestampPattern, res.data(t)["completedAt"], "DONE stamps completedAt")
	res = b.call(t, http.MethodGet, "/tasks?status=DONE&accountId="+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{taskID}, ids(res.list(t)))
	res = b.call(t, http.MethodPatch, "/tasks/"+taskID, key, map[string]any{"status": "OPEN", "dueDate": nil}).requireStatus(t, http.StatusOK)
	require.Nil(t, res.data(t)["completedAt"], "leaving DONE clears completedAt")
	require.Nil(t, res.data(t)["dueDate"])
	b.call(t, http.MethodPatch, "/tasks/"+taskID, key, map[string]any{"completedAt": "2026-01-01T00:00:00Z"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "completedAt")
	b.call(t, http.MethodGet, "/tasks?status=done", key, nil).requireError(t, http.StatusUnprocessableEntity, "validation_error", "status")

	res = b.call(t, http.MethodDelete, "/tasks/"+taskID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, res.data(t)["deleted"])
	b.call(t, http.MethodDelete, "/tasks/"+taskID, key, nil).requireError(t, http.StatusNotFound, "not_found")
}

func TestNotes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Notes"), auth.AccountsWrite, auth.DealsWrite, auth.NotesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPost, "/notes", key, map[string]any{"body": "Prefers email", "objectType": "ACCOUNT", "objectId": accountID}).
		requireStatus(t, http.StatusCreated)
	noteID := res.data(t)["id"].(string)

	b.call(t, http.MethodPost, "/notes", key, map[string]any{"body": "Mismatch", "objectType": "DEAL", "objectId": accountID}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "objectId")
	b.call(t, http.MethodPost, "/notes", key, map[string]any{"body": "Bad type", "objectType": "DEVICE", "objectId": accountID}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "objectType")

	res = b.call(t, http.MethodGet, "/notes?objectType=ACCOUNT&objectId="+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []string{noteID}, ids(res.list(t)))
	res = b.call(t, http.MethodGet, "/notes?objectType=DEAL", key, nil).requireStatus(t, http.StatusOK)
	require.Empty(t, res.list(t))
}

func TestAccountSites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Sites")
	key := b.key(t, orgID, auth.AccountsRead)
	accountID := b.createAccountAsSystem(t, orgID, "Acme")
	b.createSite(t, orgID, accountID, "Headquarters")
	b.createSite(t, orgID, accountID, "Branch")

	res := b.call(t, http.MethodGet, "/accounts/"+accountID+"/sites?sort=name", key, nil).requireStatus(t, http.StatusOK)
	sites := res.list(t)
	require.Len(t, sites, 2)
	require.Equal(t, "Branch", sites[0]["name"])
	require.Equal(t, accountID, sites[0]["accountId"])
	b.call(t, http.MethodGet, "/accounts/acc_01JD0000000000000000000000/sites", key, nil).requireError(t, http.StatusNotFound, "not_found")
}

func (b *testBundle) createAccountAsSystem(t *testing.T, orgID, name string) string {
	t.Helper()
	created, err := b.client.Account.Create().SetName(name).Save(auth.SystemContext(context.Background(), orgID))
	require.NoError(t, err)
	return created.ID
}

func (b *testBundle) createSite(t *testing.T, orgID, accountID, name string) {
	t.Helper()
	_, err := b.client.Site.Create().SetAccountID(accountID).SetName(name).Save(auth.SystemContext(context.Background(), orgID))
	require.NoError(t, err)
}
