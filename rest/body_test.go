package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/internal/auth"
)

func TestStrictBodies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Bodies"), auth.AccountsWrite, auth.DealsWrite, auth.DevicesWrite)
	accountID := b.createAccount(t, key, map[string]any{"name": "Acme"})

	cases := []struct {
		name   string
		path   string
		body   string
		status int
		code   string
		paths  []string
	}{
		{"unknown field", "/accounts", `{"name": "Acme", "nmae": "typo"}`, 422, "validation_error", []string{"nmae"}},
		{"field names are case-sensitive", "/accounts", `{"Name": "Acme"}`, 422, "validation_error", []string{"Name", "name"}},
		{"repeated key", "/accounts", `{"name": "Acme", "name": "Beta"}`, 400, "invalid_json", nil},
		{"repeated nested key", "/accounts", `{"name": "Acme", "tags": [{"a": 1, "a": 2}]}`, 400, "invalid_json", nil},
		{"trailing data", "/accounts", `{"name": "Acme"} {"name": "Beta"}`, 400, "invalid_json", nil},
		{"trailing garbage", "/accounts", `{"name": "Acme"}x`, 400, "invalid_json", nil},
		{"not JSON", "/accounts", `name=Acme`, 400, "invalid_json", nil},
		{"empty body", "/accounts", ``, 400, "invalid_json", nil},
		{"not an object", "/accounts", `["Acme"]`, 422, "validation_error", nil},
		{"NUL character", "/accounts", `{"name": "Ac\u0000me"}`, 422, "validation_error", []string{"name"}},
		{"name over 255 characters", "/accounts", `{"name": "` + strings.Repeat("é", 256) + `"}`, 422, "validation_error", []string{"name"}},
		{"blank name", "/accounts", `{"name": "   "}`, 422, "validation_error", []string{"name"}},
		{"missing name", "/accounts", `{"industry": "Legal"}`, 422, "validation_error", []string{"name"}},
		{"null name", "/accounts", `{"name": null}`, 422, "validation_error", []string{"name"}},
		{"wrong type", "/accounts", `{"name": 42}`, 422, "validation_error", []string{"name"}},
		{"fractional integer", "/accounts", `{"name": "Acme", "employeeCount": 6.5}`, 422, "validation_error", []string{"employeeCount"}},
		{"month out of range", "/accounts", `{"name": "Acme", "fiscalYearEndMonth": 13}`, 422, "validation_error", []string{"fiscalYearEndMonth"}},
		{"lower-case enum", "/accounts", `{"name": "Acme", "lifecycleStatus": "active"}`, 422, "validation_error", []string{"lifecycleStatus"}},
		{"unknown framework", "/accounts", `{"name": "Acme", "complianceFrameworks": ["HIPAA", "FOO"]}`, 422, "validation_error", []string{"complianceFrameworks.1"}},
		{"date with time", "/accounts", `{"name": "Acme", "clientSince": "2026-05-06T00:00:00Z"}`, 422, "validation_error", []string{"clientSince"}},
		{"impossible date", "/accounts", `{"name": "Acme", "clientSince": "2026-02-30"}`, 422, "validation_error", []string{"clientSince"}},
		{"read-only field", "/accounts", `{"name": "Acme", "currentMrr": 5}`, 422, "validation_error", []string{"currentMrr"}},
		{"user ID of the wrong type", "/accounts", `{"name": "Acme", "accountManagerId": "` + accountID + `"}`, 422, "validation_error", []string{"accountManagerId"}},
		{"money with three decimals", "/deals", `{"name": "Deal", "accountId": "` + accountID + `", "estimatedMrr": 3500.123}`, 422, "validation_error", []string{"estimatedMrr"}},
		{"money out of range", "/deals", `{"name": "Deal", "accountId": "` + accountID + `", "estimatedMrr": 1e20}`, 422, "validation_error", []string{"estimatedMrr"}},
		{"money as a string", "/deals", `{"name": "Deal", "accountId": "` + accountID + `", "estimatedMrr": "3500"}`, 422, "validation_error", []string{"estimatedMrr"}},
		{"account ID of the wrong type", "/deals", `{"name": "Deal", "accountId": "dev_01JD0000000000000000000000"}`, 422, "validation_error", []string{"accountId"}},
		{"missing account", "/deals", `{"name": "Deal", "accountId": "acc_01JD0000000000000000000000"}`, 422, "validation_error", []string{"accountId"}},
		{"unknown stage", "/deals", `{"name": "Deal", "accountId": "` + accountID + `", "stage": "WON"}`, 422, "validation_error", []string{"stage"}},
		{"probability over 100", "/deals", `{"name": "Deal", "accountId": "` + accountID + `", "probability": 101}`, 422, "validation_error", []string{"probability"}},
		{"bad time", "/devices", `{"accountId": "` + accountID + `", "hostname": "WS-1", "lastSeenAt": "yesterday"}`, 422, "validation_error", []string{"lastSeenAt"}},
		{"every problem at once", "/deals", `{"name": "", "probability": -1, "extra": true}`, 422, "validation_error", []string{"name", "accountId", "probability", "extra"}},
	}
	for _, tc := range cases {
		res := b.call(t, http.MethodPost, tc.path, key, tc.body)
		require.Equal(t, tc.status, res.Status, "%s: %s", tc.name, res.Raw)
		require.Equal(t, tc.code, res.errorCode(), "%s: %s", tc.name, res.Raw)
		for _, path := range tc.paths {
			require.Contains(t, res.detailPaths(), path, "%s: %s", tc.name, res.Raw)
		}
	}

	res := b.call(t, http.MethodPost, "/accounts", key, `{"name": "Acme", "lifecycleStatus": "active"}`)
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "PROSPECT, ASSESSMENT, ONBOARDING, ACTIVE, AT_RISK, CHURNED",
		"a wrong enum value lists the allowed values")

	res = b.call(t, http.MethodPost, "/accounts", key, `{"name": "`+strings.Repeat("é", 255)+`"}`)
	res.requireStatus(t, http.StatusCreated)
	require.Equal(t, strings.Repeat("é", 255), res.data(t)["name"], "255 characters fit, whatever their bytes")

	res = b.call(t, http.MethodPost, "/deals", key, `{"name": "Deal", "accountId": "`+accountID+`", "estimatedMrr": 3500.5}`)
	res.requireStatus(t, http.StatusCreated)
	require.Contains(t, string(res.Raw), `"estimatedMrr":3500.5,`)
}

func TestPatchNullAndAbsent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Patch"), auth.AccountsWrite)
	accountID := b.createAccount(t, key, map[string]any{
		"name": "Acme", "industry": "Healthcare", "employeeCount": 65, "tags": []string{"vip"}, "slaTier": "GOLD",
	})

	res := b.call(t, http.MethodPatch, "/accounts/"+accountID, key, map[string]any{"industry": nil}).requireStatus(t, http.StatusOK)
	data := res.data(t)
	require.Nil(t, data["industry"], "null clears an optional field")
	require.Equal(t, float64(65), data["employeeCount"], "an absent field is left unchanged")
	require.Equal(t, "GOLD", data["slaTier"])
	require.Equal(t, []any{"vip"}, data["tags"])

	res = b.call(t, http.MethodPatch, "/accounts/"+accountID, key, map[string]any{}).requireStatus(t, http.StatusOK)
	require.Equal(t, "Acme", res.data(t)["name"])
	require.Equal(t, float64(65), res.data(t)["employeeCount"])

	res = b.call(t, http.MethodPatch, "/accounts/"+accountID, key, map[string]any{"tags": nil, "slaTier": nil, "employeeCount": 70}).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{}, res.data(t)["tags"])
	require.Nil(t, res.data(t)["slaTier"])
	require.Equal(t, float64(70), res.data(t)["employeeCount"])

	for _, field := range []string{"name", "lifecycleStatus"} {
		b.call(t, http.MethodPatch, "/accounts/"+accountID, key, map[string]any{field: nil}).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", field)
	}
	res = b.call(t, http.MethodGet, "/accounts/"+accountID, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, "Acme", res.data(t)["name"], "a rejected PATCH changes nothing")
}

func TestNumbersMustNotBeStrings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Numbers"), auth.AccountsWrite, auth.HealthWrite, auth.LeadsWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Globex", "employeeCount": "50"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "employeeCount")
	b.call(t, http.MethodPost, "/leads", key, map[string]any{"companyName": "Initech", "employeeCount": "50"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "employeeCount")
	b.call(t, http.MethodPost, "/health-scores/"+acme+"/signals", key, map[string]any{"key": "CSAT_TREND", "rawValue": "5e1", "source": "acme-psa"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "rawValue")
	b.call(t, http.MethodPost, "/health-scores/"+acme+"/signals", key, map[string]any{"key": "CSAT_TREND", "subScore": "40", "source": "acme-psa"}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "subScore")

	b.call(t, http.MethodPost, "/accounts", key, map[string]any{"name": "Globex", "employeeCount": 50}).requireStatus(t, http.StatusCreated)
	b.call(t, http.MethodPost, "/health-scores/"+acme+"/signals", key, map[string]any{"key": "CSAT_TREND", "rawValue": 5e1, "source": "acme-psa"}).
		requireStatus(t, http.StatusCreated)
}
