package rest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

// The worked examples of the public API reference, sent as written with the
// IDs filled in.

func TestExampleAccountContactDeal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Examples"), auth.AccountsWrite, auth.ContactsWrite, auth.DealsWrite)

	res := b.call(t, http.MethodPost, "/accounts", key,
		`{ "name": "Acme Healthcare", "lifecycleStatus": "PROSPECT", "industry": "Healthcare", "employeeCount": 65 }`)
	res.requireStatus(t, http.StatusCreated)
	account := res.data(t)
	require.Equal(t, "Acme Healthcare", account["name"])
	require.Equal(t, "PROSPECT", account["lifecycleStatus"])
	require.Equal(t, "Healthcare", account["industry"])
	require.Equal(t, float64(65), account["employeeCount"])
	accountID := account["id"].(string)

	res = b.call(t, http.MethodPost, "/contacts", key, map[string]any{
		"firstName": "Sarah", "lastName": "Chen", "email": "Sarah.Chen@acme.example.com", "title": "Office Manager",
		"accounts": []map[string]any{{"accountId": accountID, "role": "Budget owner", "isPrimary": true, "influence": "DECISION_MAKER"}},
	}).requireStatus(t, http.StatusCreated)
	contact := res.data(t)
	contactID := contact["id"].(string)
	relationship := map[string]any{"accountId": accountID, "role": "Budget owner", "isPrimary": true, "influence": "DECISION_MAKER"}
	require.Equal(t, []any{relationship}, contact["accounts"])

	res = b.call(t, http.MethodGet, "/contacts/"+contactID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, contact, res.data(t), "GET embeds the same account relationships")

	res = b.call(t, http.MethodGet, "/contacts?accountId="+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []map[string]any{contact}, res.list(t))

	res = b.call(t, http.MethodPost, "/deals", key, map[string]any{
		"name": "Acme Corp — Managed IT", "accountId": accountID, "estimatedMrr": 3500, "probability": 60,
	}).requireStatus(t, http.StatusCreated)
	deal := res.data(t)
	require.Equal(t, accountID, deal["accountId"])
	require.Equal(t, "PROSPECT", deal["stage"], "a new deal enters the first stage")
	require.Equal(t, float64(3500), deal["estimatedMrr"])
	require.Equal(t, float64(60), deal["probability"])
	require.Nil(t, deal["closedAt"])
}

func TestExampleTouchpointLog(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Touchpoints"), auth.AccountsWrite, auth.TouchpointsWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme Healthcare"})

	res := b.call(t, http.MethodPost, "/touchpoints", key,
		`{ "accountId": "`+accountID+`", "type": "EMAIL", "direction": "OUTBOUND", "subject": "Renewal terms", "notes": "Sent draft contract to Sarah" }`)
	res.requireStatus(t, http.StatusCreated)
	touchpoint := res.data(t)
	require.Regexp(t, `^tp_`, touchpoint["id"])
	require.Equal(t, "EMAIL", touchpoint["type"])
	require.Equal(t, "OUTBOUND", touchpoint["direction"])
	require.Equal(t, "Sent draft contract to Sarah", touchpoint["notes"])
	require.Regexp(t, timestampPattern, touchpoint["occurredAt"], "occurredAt defaults to now")

	res = b.call(t, http.MethodGet, "/touchpoints?accountId="+accountID+"&type=EMAIL", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []map[string]any{touchpoint}, res.list(t))
	res = b.call(t, http.MethodGet, "/touchpoints?type=CALL", key, nil).requireStatus(t, http.StatusOK)
	require.Empty(t, res.list(t))
}

// TestExamplePythonAndTypeScript follows the Python (requests) and
// TypeScript (fetch) quickstarts: list accounts with limit=50, then create a
// deal, checking success and data as their code does.
func TestExamplePythonAndTypeScript(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Quickstart"), auth.AccountsWrite, auth.DealsWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme Corp"})

	res := b.call(t, http.MethodGet, "/accounts?limit=50", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, true, res.Body["success"])
	require.Equal(t, []string{accountID}, ids(res.list(t)))

	res = b.call(t, http.MethodPost, "/deals", key, map[string]any{
		"name": "Acme Corp — Managed IT", "accountId": accountID, "estimatedMrr": 3500, "probability": 60,
	}).requireStatus(t, http.StatusCreated)
	require.Equal(t, "Acme Corp — Managed IT", res.data(t)["name"])

	res = b.call(t, http.MethodPost, "/deals", key, `{"name":"Acme renewal","accountId":"`+accountID+`","estimatedMrr":3500}`).requireStatus(t, http.StatusCreated)
	require.Equal(t, float64(3500), res.data(t)["estimatedMrr"])
	require.Equal(t, float64(10), res.data(t)["probability"], "without a probability the stage's default applies")

	res = b.call(t, http.MethodGet, "/deals?accountId="+accountID+"&sort=estimatedMrr:desc,createdAt:asc", key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 2)
}

// TestExamplePowerShellDevice pushes one device as the PowerShell example
// does.
func TestExamplePowerShellDevice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "RMM"), auth.AccountsWrite, auth.DevicesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPost, "/devices", key, map[string]any{
		"rmmAgentId": "ninja-12345", "accountId": accountID, "hostname": "WS-SMITH-01", "deviceType": "Workstation", "os": "Windows 11",
	}).requireStatus(t, http.StatusCreated)
	device := res.data(t)
	require.Equal(t, "ninja-12345", device["rmmAgentId"])
	require.Equal(t, false, device["isOnline"])
	require.Equal(t, false, device["isEndOfLife"])
	require.Nil(t, device["patchCompliant"])
}
