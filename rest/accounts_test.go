package rest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

func TestAccountLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Accounts"), auth.AccountsWrite, auth.DealsWrite, auth.TasksWrite)

	res := b.call(t, http.MethodPost, "/accounts", key, map[string]any{
		"name": "Acme Healthcare", "externalId": "hub-12345", "clientSince": "2024-03-01",
		"complianceFrameworks": []string{"HIPAA"}, "fiscalYearEndMonth": 6,
	}).requireStatus(t, http.StatusCreated)
	created := res.data(t)
	accountID := created["id"].(string)
	require.Regexp(t, `^acc_[0-9A-Z]{26}$`, accountID)
	require.Equal(t, "PROSPECT", created["lifecycleStatus"], "new accounts default to PROSPECT")
	require.Equal(t, "hub-12345", created["externalId"])
	require.Equal(t, "2024-03-01", created["clientSince"])
	require.Equal(t, float64(0), created["currentMrr"])
	require.Contains(t, created, "churnRisk")
	require.Nil(t, created["churnRisk"], "churnRisk is null until computed")
	require.Regexp(t, timestampPattern, created["createdAt"])
	require.Equal(t, created["createdAt"], created["updatedAt"])

	res = b.call(t, http.MethodGet, "/accounts/"+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, created, res.data(t), "GET returns what the create returned")

	b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Duplicate", "externalId": "hub-12345"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "externalId")

	res = b.call(t, http.MethodPatch, "/accounts/"+accountID, key, map[string]any{"lifecycleStatus": "ACTIVE"}).requireStatus(t, http.StatusOK)
	require.Equal(t, "ACTIVE", res.data(t)["lifecycleStatus"])

	dealRes := b.call(t, http.MethodPost, "/deals", key, map[string]any{"name": "Renewal", "accountId": accountID}).requireStatus(t, http.StatusCreated)
	dealID := dealRes.data(t)["id"].(string)
	b.call(t, http.MethodPost, "/tasks", key, map[string]any{"title": "Call back", "accountId": accountID, "dealId": dealID}).requireStatus(t, http.StatusCreated)

	res = b.call(t, http.MethodDelete, "/accounts/"+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "CHURNED", res.data(t)["lifecycleStatus"], "DELETE soft-deletes to CHURNED")
	b.call(t, http.MethodGet, "/accounts/"+accountID, key, nil).requireStatus(t, http.StatusOK)

	b.call(t, http.MethodDelete, "/accounts/"+accountID+"?force=yes", key, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "force")

	res = b.call(t, http.MethodDelete, "/accounts/"+accountID+"?force=true", key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, map[string]any{"id": accountID, "deleted": true}, res.data(t))
	b.call(t, http.MethodGet, "/accounts/"+accountID, key, nil).requireError(t, http.StatusNotFound, "not_found")
	b.call(t, http.MethodGet, "/deals/"+dealID, key, nil).requireError(t, http.StatusNotFound, "not_found")
	b.call(t, http.MethodDelete, "/accounts/"+accountID+"?force=true", key, nil).requireError(t, http.StatusNotFound, "not_found")
}

func TestPathIDs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "IDs"), auth.AccountsWrite, auth.DevicesRead)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	b.call(t, http.MethodGet, "/accounts/not-an-id", key, nil).requireError(t, http.StatusBadRequest, "bad_request")
	b.call(t, http.MethodGet, "/devices/"+accountID, key, nil).requireError(t, http.StatusNotFound, "not_found")
	b.call(t, http.MethodPatch, "/accounts/acc_01JD0000000000000000000000", key, map[string]any{"name": "X"}).
		requireError(t, http.StatusNotFound, "not_found")
}

// TestOtherOrgIsNotFound checks that every route treats a record of another
// org exactly like a missing one.
func TestOtherOrgIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgA := b.org(t, "A")
	keyA := b.key(t, orgA, auth.AccountsWrite, auth.ContactsWrite, auth.DealsWrite, auth.DevicesWrite, auth.TasksWrite)
	keyB := b.key(t, b.org(t, "B"), auth.AccountsWrite, auth.ContactsWrite, auth.DealsWrite, auth.DevicesWrite, auth.TasksWrite, auth.NotesWrite, auth.TouchpointsWrite)

	accountID := b.createAccount(t, keyA, map[string]any{"name": "Acme"})
	contactID := b.call(t, http.MethodPost, "/contacts", keyA, map[string]any{"firstName": "Sarah", "accountId": accountID}).requireStatus(t, http.StatusCreated).data(t)["id"].(string)
	dealID := b.call(t, http.MethodPost, "/deals", keyA, map[string]any{"name": "Deal", "accountId": accountID}).requireStatus(t, http.StatusCreated).data(t)["id"].(string)
	deviceID := b.call(t, http.MethodPost, "/devices", keyA, map[string]any{"hostname": "WS-1", "accountId": accountID}).requireStatus(t, http.StatusCreated).data(t)["id"].(string)
	taskID := b.call(t, http.MethodPost, "/tasks", keyA, map[string]any{"title": "Task"}).requireStatus(t, http.StatusCreated).data(t)["id"].(string)

	for _, path := range []string{"/accounts/" + accountID, "/accounts/" + accountID + "/sites", "/contacts/" + contactID, "/deals/" + dealID, "/devices/" + deviceID, "/tasks/" + taskID} {
		b.call(t, http.MethodGet, path, keyB, nil).requireError(t, http.StatusNotFound, "not_found")
	}
	for _, path := range []string{"/accounts/" + accountID, "/contacts/" + contactID, "/deals/" + dealID, "/devices/" + deviceID, "/tasks/" + taskID} {
		b.call(t, http.MethodPatch, path, keyB, map[string]any{}).requireError(t, http.StatusNotFound, "not_found")
	}
	for _, path := range []string{"/accounts/" + accountID, "/accounts/" + accountID + "?force=true", "/devices/" + deviceID, "/tasks/" + taskID} {
		b.call(t, http.MethodDelete, path, keyB, nil).requireError(t, http.StatusNotFound, "not_found")
	}

	// References to another org's records are invalid, as if missing.
	b.call(t, http.MethodPost, "/deals", keyB, map[string]any{"name": "Stolen", "accountId": accountID}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accountId")
	b.call(t, http.MethodPost, "/notes", keyB, map[string]any{"body": "Hi", "objectType": "ACCOUNT", "objectId": accountID}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "objectId")
	b.call(t, http.MethodPost, "/touchpoints", keyB, map[string]any{"type": "CALL", "accountId": accountID}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accountId")
	b.call(t, http.MethodPost, "/contacts", keyB, map[string]any{"firstName": "Eve", "accounts": []map[string]any{{"accountId": accountID}}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "accounts.0.accountId")

	for _, path := range []string{"/accounts", "/contacts", "/deals", "/devices", "/tasks"} {
		res := b.call(t, http.MethodGet, path, keyB, nil).requireStatus(t, http.StatusOK)
		require.Empty(t, res.list(t), "%s lists another org's records", path)
	}

	res := b.call(t, http.MethodGet, "/accounts/"+accountID, keyA, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "PROSPECT", res.data(t)["lifecycleStatus"], "the other org's DELETE changed nothing")
}

func TestAccountWebsiteTakesWebAddressesOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Websites"), auth.AccountsWrite, auth.AccountsRead)

	for _, website := range []string{"https://acme.example", "http://acme.example/portal", "acme.example", "intranet.acme.example:8443/login",
		"localhost:8080", "intranet:8080", "10.0.0.5:8080", "192.168.1.10:8443/portal", "[::1]:8443", "https://bäckerei.example"} {
		id := b.createAccount(t, key, map[string]any{"name": "Acme", "website": website})
		res := b.call(t, http.MethodGet, "/accounts/"+id, key, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, website, res.data(t)["website"])
	}
	for _, website := range []string{"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "javascript:1/alert(1)/",
		"javascript&colon;alert(1)", "jav&#x61;script:alert(1)", "a.b:alert(1)", `\\evil\share`, "https://user:pass@acme.example", "file:///etc/passwd", "https://example.com:99999", "https://example.com:0", "https://example.com:", "https://example..com", "https://-bad-.com"} {
		b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Acme", "website": website}).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "website")
	}
	id := b.createAccount(t, key, map[string]any{"name": "Acme"})
	b.call(t, http.MethodPatch, "/accounts/"+id, key, map[string]any{"website": "javascript:alert(1)"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "website")
}
