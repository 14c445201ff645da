package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/internal/auth"
)

// callWithHeaders is call with extra request headers, such as
// Idempotency-Key. body is sent as is.
func (b *testBundle) callWithHeaders(t *testing.T, method, path, key, body string, headers map[string]string) response {
	t.Helper()
	request, err := http.NewRequest(method, b.server.URL+"/api/v1"+path, strings.NewReader(body))
	require.NoError(t, err)
	request.Header.Set("Authorization", "Bearer "+key)
	request.Header.Set("Content-Type", "application/json")
	for name, value := range headers {
		request.Header.Set(name, value)
	}
	httpResponse, err := b.server.Client().Do(request)
	require.NoError(t, err)
	defer httpResponse.Body.Close()

	raw, err := io.ReadAll(httpResponse.Body)
	require.NoError(t, err)
	res := response{Status: httpResponse.StatusCode, Header: httpResponse.Header, Raw: raw}
	require.NoError(t, json.Unmarshal(raw, &res.Body), "the response is not JSON: %s", raw)
	requireEnvelope(t, res)
	return res
}

// bulkResults returns the results list of a bulk response.
func bulkResults(t *testing.T, res response) []map[string]any {
	t.Helper()
	items, isList := res.data(t)["results"].([]any)
	require.True(t, isList, "results is not a list: %s", res.Raw)
	results := make([]map[string]any, len(items))
	for i, item := range items {
		results[i] = item.(map[string]any)
	}
	return results
}

// requireCounts checks the created, updated and total counts of a bulk
// response.
func requireCounts(t *testing.T, res response, created, updated, total int) {
	t.Helper()
	data := res.data(t)
	require.Equal(t, float64(created), data["created"], "created: %s", res.Raw)
	require.Equal(t, float64(updated), data["updated"], "updated: %s", res.Raw)
	require.Equal(t, float64(total), data["total"], "total: %s", res.Raw)
}

// countEvents returns how many events the org has recorded.
func (b *testBundle) countEvents(t *testing.T, orgID string) int {
	t.Helper()
	count, err := b.client.Event.Query().Where(event.OrgID(orgID)).Count(auth.SystemContext(context.Background(), orgID))
	require.NoError(t, err)
	return count
}

// exampleDevices is the device push of the reference's worked example, with
// the account ID filled in.
func exampleDevices(accountID string) string {
	return strings.ReplaceAll(`{ "devices": [ { "rmmAgentId": "ninja-12345", "accountId": "cuid_acc_xxx", "hostname": "WS-SMITH-01", "os": "Windows 11", "isOnline": true, "patchCompliant": true }, { "rmmAgentId": "ninja-12346", "accountId": "cuid_acc_xxx", "hostname": "WS-JONES-01", "os": "Windows 11", "isOnline": false } ] }`,
		"cuid_acc_xxx", accountID)
}

func TestBulkDevicesExample(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "RMM push"), auth.AccountsWrite, auth.DevicesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme Healthcare"})

	// The reference's response reports ninja-12345 as updated, so that agent
	// was pushed before.
	res := b.call(t, http.MethodPost, "/devices", key, map[string]any{
		"rmmAgentId": "ninja-12345", "accountId": accountID, "hostname": "WS-SMITH-01", "isOnline": false,
	}).requireStatus(t, http.StatusCreated)
	smithID := res.data(t)["id"].(string)

	res = b.call(t, http.MethodPost, "/devices/bulk", key, exampleDevices(accountID)).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 1, 1, 2)
	results := bulkResults(t, res)
	require.Len(t, results, 2)
	require.Equal(t, map[string]any{"rmmAgentId": "ninja-12345", "id": smithID, "action": "updated"}, results[0])
	require.Equal(t, "ninja-12346", results[1]["rmmAgentId"])
	require.Equal(t, "created", results[1]["action"])
	jonesID := results[1]["id"].(string)
	require.True(t, strings.HasPrefix(jonesID, "dev_"), jonesID)

	res = b.call(t, http.MethodPost, "/devices/bulk", key, exampleDevices(accountID)).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 0, 2, 2)
	require.Equal(t, []map[string]any{
		{"rmmAgentId": "ninja-12345", "id": smithID, "action": "updated"},
		{"rmmAgentId": "ninja-12346", "id": jonesID, "action": "updated"},
	}, bulkResults(t, res), "re-sending the same agent IDs updates and does not duplicate")

	devices := b.call(t, http.MethodGet, "/devices?sort=hostname", key, nil).requireStatus(t, http.StatusOK).list(t)
	require.Len(t, devices, 2)
	require.Equal(t, "WS-JONES-01", devices[0]["hostname"])
	require.Equal(t, false, devices[0]["isOnline"])
	require.Equal(t, "WS-SMITH-01", devices[1]["hostname"])
	require.Equal(t, true, devices[1]["isOnline"])
	require.Equal(t, true, devices[1]["patchCompliant"])
	require.Equal(t, "Windows 11", devices[1]["os"])
}

func TestBulkAccountsIdempotentReplay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Migration")
	key := b.key(t, orgID, auth.AccountsWrite)
	payload := `{ "accounts": [ { "externalId": "hub-12345", "name": "Acme Healthcare", "industry": "Healthcare", "lifecycleStatus": "ACTIVE" }, { "externalId": "hub-12346", "name": "BluePeak Legal", "industry": "Legal", "lifecycleStatus": "AT_RISK" } ] }`
	headers := map[string]string{"Idempotency-Key": "hubspot-migration-batch-001"}

	first := b.callWithHeaders(t, http.MethodPost, "/accounts/bulk", key, payload, headers).requireStatus(t, http.StatusOK)
	require.Empty(t, first.Header.Get("X-Idempotent-Replay"))
	requireCounts(t, first, 2, 0, 2)
	results := bulkResults(t, first)
	require.Equal(t, "hub-12345", results[0]["externalId"])
	require.Equal(t, "created", results[0]["action"])
	require.Equal(t, "hub-12346", results[1]["externalId"])
	require.Equal(t, "created", results[1]["action"])
	eventsAfterFirst := b.countEvents(t, orgID)
	require.Equal(t, 2, eventsAfterFirst, "one account.created per account")

	second := b.callWithHeaders(t, http.MethodPost, "/accounts/bulk", key, payload, headers).requireStatus(t, http.StatusOK)
	require.Equal(t, "true", second.Header.Get("X-Idempotent-Replay"))
	require.Equal(t, string(first.Raw), string(second.Raw), "a replay returns the original body byte for byte")
	require.Equal(t, eventsAfterFirst, b.countEvents(t, orgID), "a replay does not run the upsert again")

	accounts := b.call(t, http.MethodGet, "/accounts?sort=name", key, nil).requireStatus(t, http.StatusOK).list(t)
	require.Len(t, accounts, 2)
	require.Equal(t, "Acme Healthcare", accounts[0]["name"])
	require.Equal(t, "ACTIVE", accounts[0]["lifecycleStatus"])
	require.Equal(t, "BluePeak Legal", accounts[1]["name"])
	require.Equal(t, "AT_RISK", accounts[1]["lifecycleStatus"])

	// Without the key, re-running the same payload is still safe: the same
	// external IDs update and create nothing.
	res := b.call(t, http.MethodPost, "/accounts/bulk", key, payload).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 0, 2, 2)
	require.Equal(t, eventsAfterFirst, b.countEvents(t, orgID), "an upsert that changes nothing fires no account.updated")

	conflict := b.callWithHeaders(t, http.MethodPost, "/accounts/bulk", key, `{"accounts": [{"externalId": "hub-1", "name": "Other"}]}`, headers)
	conflict.requireError(t, http.StatusUnprocessableEntity, "idempotency_conflict")
}

func TestBulkInvalidItemWritesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Invalid")
	key := b.key(t, orgID, auth.AccountsWrite, auth.DevicesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})
	eventsBefore := b.countEvents(t, orgID)

	items := make([]map[string]any, 5)
	for i := range items {
		items[i] = map[string]any{"rmmAgentId": fmt.Sprintf("agent-%d", i), "accountId": accountID, "hostname": fmt.Sprintf("WS-%d", i)}
	}
	items[3]["hostname"] = ""
	res := b.call(t, http.MethodPost, "/devices/bulk", key, map[string]any{"devices": items})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "devices.3.hostname")
	require.Equal(t, []string{"devices.3.hostname"}, res.detailPaths())

	// A reference that only the database can check fails the batch too.
	items[3]["hostname"] = "WS-3"
	items[1]["accountId"] = "acc_01JD0000000000000000000000"
	res = b.call(t, http.MethodPost, "/devices/bulk", key, map[string]any{"devices": items})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "devices.1.accountId")

	// A value of the wrong type is reported with the problems of the other
	// items, in one response.
	items[1]["accountId"] = accountID
	items[0]["isOnline"] = "yes"
	items[4]["rmmAgentId"] = nil
	res = b.call(t, http.MethodPost, "/devices/bulk", key, map[string]any{"devices": items})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "devices.0.isOnline", "devices.4.rmmAgentId")
	require.Len(t, res.detailPaths(), 2, "each problem is reported once: %s", res.Raw)

	require.Empty(t, b.call(t, http.MethodGet, "/devices", key, nil).requireStatus(t, http.StatusOK).list(t))
	require.Equal(t, eventsBefore, b.countEvents(t, orgID), "a rejected batch records no events")
}

func TestBulkRepeatedKeyNamesBothIndexes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Repeats"), auth.AccountsWrite, auth.DevicesWrite, auth.ContactsWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPost, "/devices/bulk", key, map[string]any{"devices": []map[string]any{
		{"rmmAgentId": "ninja-1", "accountId": accountID, "hostname": "A"},
		{"rmmAgentId": "ninja-2", "accountId": accountID, "hostname": "B"},
		{"rmmAgentId": "ninja-1", "accountId": accountID, "hostname": "C"},
	}})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "devices.2.rmmAgentId")
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "index 0")

	res = b.call(t, http.MethodPost, "/contacts/bulk", key, map[string]any{"contacts": []map[string]any{
		{"email": "Sam@Example.com", "firstName": "Sam"},
		{"email": "sam@example.com", "firstName": "Samuel"},
	}})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "contacts.1.email")
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "index 0")

	require.Empty(t, b.call(t, http.MethodGet, "/devices", key, nil).requireStatus(t, http.StatusOK).list(t))
	require.Empty(t, b.call(t, http.MethodGet, "/contacts", key, nil).requireStatus(t, http.StatusOK).list(t))
}

func TestBulkTooManyItems(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Too many"), auth.AccountsWrite, auth.DevicesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	devices := make([]map[string]any, 501)
	accounts := make([]map[string]any, 501)
	for i := range devices {
		devices[i] = map[string]any{"rmmAgentId": fmt.Sprintf("agent-%d", i), "accountId": accountID, "hostname": fmt.Sprintf("WS-%d", i)}
		accounts[i] = map[string]any{"externalId": fmt.Sprintf("ext-%d", i), "name": fmt.Sprintf("Account %d", i)}
	}
	res := b.call(t, http.MethodPost, "/devices/bulk", key, map[string]any{"devices": devices})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "devices")
	require.Equal(t, []string{"devices"}, res.detailPaths())
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "500")

	res = b.call(t, http.MethodPost, "/accounts/bulk", key, map[string]any{"accounts": accounts})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "accounts")

	require.Empty(t, b.call(t, http.MethodGet, "/devices", key, nil).requireStatus(t, http.StatusOK).list(t))
	require.Len(t, b.call(t, http.MethodGet, "/accounts", key, nil).requireStatus(t, http.StatusOK).list(t), 1)

	res = b.call(t, http.MethodPost, "/devices/bulk", key, map[string]any{"devices": devices[:500]}).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 500, 0, 500)
}

func TestBulkBodyProblems(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Bodies"), auth.AccountsWrite, auth.DevicesWrite, auth.ContactsWrite, auth.DealsWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})
	fourDevices := fmt.Sprintf(`{"devices": [
		{"rmmAgentId": "agent-0", "accountId": %[1]q, "hostname": "WS-0"},
		{"rmmAgentId": "agent-1", "accountId": %[1]q, "hostname": "WS-1", "os": "Linux"},
		{"rmmAgentId": "agent-2", "accountId": %[1]q, "hostname": "WS-2", "isOnline": true},
		{"rmmAgentId": "agent-3", "accountId": %[1]q, "hostnme": "WS-3"}
	]}`, accountID)

	cases := []struct {
		name   string
		path   string
		body   string
		status int
		code   string
		paths  []string
	}{
		{"unknown item field", "/devices/bulk", fourDevices, 422, "validation_error", []string{"devices.3.hostnme"}},
		{"unknown top-level field", "/devices/bulk", `{"devices": [], "device": []}`, 422, "validation_error", []string{"device"}},
		{"missing list", "/devices/bulk", `{}`, 422, "validation_error", []string{"devices"}},
		{"list of another endpoint", "/devices/bulk", `{"accounts": []}`, 422, "validation_error", []string{"devices", "accounts"}},
		{"null list", "/devices/bulk", `{"devices": null}`, 422, "validation_error", []string{"devices"}},
		{"list not an array", "/devices/bulk", `{"devices": {}}`, 422, "validation_error", []string{"devices"}},
		{"item not an object", "/devices/bulk", `{"devices": [1]}`, 422, "validation_error", []string{"devices.0"}},
		{"field name case", "/accounts/bulk", `{"accounts": [{"externalId": "x", "Name": "Acme"}]}`, 422, "validation_error", []string{"accounts.0.Name"}},
		{"wrong type", "/accounts/bulk", `{"accounts": [{"externalId": "x", "name": "Acme", "employeeCount": "ten"}]}`, 422, "validation_error", []string{"accounts.0.employeeCount"}},
		{"bad time", "/devices/bulk", fmt.Sprintf(`{"devices": [{"rmmAgentId": "a", "accountId": %q, "hostname": "WS", "lastSeenAt": "yesterday"}]}`, accountID), 422, "validation_error", []string{"devices.0.lastSeenAt"}},
		{"money with three decimals", "/deals/bulk", fmt.Sprintf(`{"deals": [{"name": "Deal", "accountId": %q, "estimatedMrr": 10.125}]}`, accountID), 422, "validation_error", []string{"deals.0.estimatedMrr"}},
		{"unknown nested field", "/contacts/bulk", fmt.Sprintf(`{"contacts": [{"email": "a@example.com", "firstName": "A", "accounts": [{"accountId": %q, "rol": "IT"}]}]}`, accountID), 422, "validation_error", []string{"contacts.0.accounts.0.rol"}},
		{"nested item not an object", "/contacts/bulk", `{"contacts": [{"email": "a@example.com", "firstName": "A", "accounts": ["acc_1"]}]}`, 422, "validation_error", []string{"contacts.0.accounts.0"}},
		{"repeated key", "/devices/bulk", `{"devices": [], "devices": []}`, 400, "invalid_json", nil},
		{"repeated key in an item", "/devices/bulk", `{"devices": [{"hostname": "A", "hostname": "B"}]}`, 400, "invalid_json", nil},
		{"trailing data", "/devices/bulk", `{"devices": []} {}`, 400, "invalid_json", nil},
		{"not JSON", "/devices/bulk", `{"devices": [`, 400, "invalid_json", nil},
		{"empty body", "/devices/bulk", ``, 400, "invalid_json", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.call(t, http.MethodPost, tc.path, key, []byte(tc.body))
			res.requireError(t, tc.status, tc.code, tc.paths...)
		})
	}

	require.Empty(t, b.call(t, http.MethodGet, "/devices", key, nil).requireStatus(t, http.StatusOK).list(t))
	require.Empty(t, b.call(t, http.MethodGet, "/contacts", key, nil).requireStatus(t, http.StatusOK).list(t))
	require.Empty(t, b.call(t, http.MethodGet, "/deals", key, nil).requireStatus(t, http.StatusOK).list(t))
}

func TestBulkContactsAndDeals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Contacts and deals"), auth.AccountsWrite, auth.ContactsWrite, auth.DealsWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	contacts := fmt.Sprintf(`{"contacts": [
		{"email": "sarah@acme.example.com", "firstName": "Sarah", "accounts": [{"accountId": %q, "role": "Budget owner", "isPrimary": true}]},
		{"email": "tom@acme.example.com", "firstName": "Tom", "accountId": %q}
	]}`, accountID, accountID)
	res := b.call(t, http.MethodPost, "/contacts/bulk", key, contacts).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 2, 0, 2)
	results := bulkResults(t, res)
	require.Equal(t, "sarah@acme.example.com", results[0]["email"])
	require.Equal(t, "created", results[0]["action"])

	res = b.call(t, http.MethodPost, "/contacts/bulk", key, `{"contacts": [{"email": "SARAH@acme.example.com", "title": "CFO"}]}`).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 0, 1, 1)
	require.Equal(t, results[0]["id"], bulkResults(t, res)[0]["id"], "email matches regardless of case")
	sarah := b.call(t, http.MethodGet, "/contacts/"+results[0]["id"].(string), key, nil).requireStatus(t, http.StatusOK).data(t)
	require.Equal(t, "CFO", sarah["title"])
	require.Equal(t, "Sarah", sarah["firstName"], "absent fields are kept")
	require.Len(t, sarah["accounts"], 1)

	deals := fmt.Sprintf(`{"deals": [
		{"name": "Managed IT", "accountId": %q, "estimatedMrr": 3500.5},
		{"name": "Backup add-on", "accountId": %q, "type": "EXPANSION"}
	]}`, accountID, accountID)
	res = b.call(t, http.MethodPost, "/deals/bulk", key, deals).requireStatus(t, http.StatusOK)
	requireCounts(t, res, 2, 0, 2)
	dealResults := bulkResults(t, res)
	require.Equal(t, "Managed IT", dealResults[0]["name"])
	require.Equal(t, "created", dealResults[0]["action"])
	deal := b.call(t, http.MethodGet, "/deals/"+dealResults[0]["id"].(string), key, nil).requireStatus(t, http.StatusOK).data(t)
	require.Equal(t, 3500.5, deal["estimatedMrr"])
	require.Equal(t, "PROSPECT", deal["stage"])
}

func TestBulkRouteScopes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Bulk scopes")
	routes := []struct {
		path  string
		list  string
		write auth.Scope
	}{
		{"/accounts/bulk", "accounts", auth.AccountsWrite},
		{"/contacts/bulk", "contacts", auth.ContactsWrite},
		{"/devices/bulk", "devices", auth.DevicesWrite},
		{"/deals/bulk", "deals", auth.DealsWrite},
	}
	readOnly := b.key(t, orgID, auth.AdminRead, auth.AccountsRead, auth.ContactsRead, auth.DevicesRead, auth.DealsRead)
	for _, route := range routes {
		body := fmt.Sprintf(`{%q: []}`, route.list)

		res := b.call(t, http.MethodPost, route.path, readOnly, body)
		res.requireError(t, http.StatusForbidden, "insufficient_scope")
		require.Contains(t, res.Body["error"].(map[string]any)["message"], string(route.write))

		res = b.call(t, http.MethodPost, route.path, b.key(t, orgID, route.write), body).requireStatus(t, http.StatusOK)
		requireCounts(t, res, 0, 0, 0)
	}

	b.call(t, http.MethodPost, "/devices/bulk", "", `{"devices": []}`).requireError(t, http.StatusUnauthorized, "unauthorized")
}
