package rest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/complianceitem"
	"github.com/breadbox/breadbox/internal/auth"
)

func TestComplianceStatusFractions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "Compliance")
	key := b.key(t, orgID, auth.AccountsWrite, auth.ComplianceRead)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme Dental"})
	beta := b.createAccount(t, key, map[string]any{"name": "Beta Legal"})

	ctx := auth.SystemContext(context.Background(), orgID)
	item := func(accountID string, framework complianceitem.Framework, status complianceitem.Status) string {
		return b.client.ComplianceItem.Create().
			SetAccountID(accountID).SetFramework(framework).SetStatus(status).SetTitle(string(framework) + " control").
			SaveX(ctx).ID
	}
	// Acme HIPAA: 2 complete of 3 applicable (one is NOT_APPLICABLE).
	item(acme, complianceitem.FrameworkHIPAA, complianceitem.StatusCOMPLETE)
	item(acme, complianceitem.FrameworkHIPAA, complianceitem.StatusCOMPLETE)
	inProgress := item(acme, complianceitem.FrameworkHIPAA, complianceitem.StatusIN_PROGRESS)
	item(acme, complianceitem.FrameworkHIPAA, complianceitem.StatusNOT_APPLICABLE)
	// Acme SOC2: 1 complete of 4.
	item(acme, complianceitem.FrameworkSOC2, complianceitem.StatusCOMPLETE)
	for range 3 {
		item(acme, complianceitem.FrameworkSOC2, complianceitem.StatusNOT_STARTED)
	}
	// Beta HIPAA: nothing applies.
	item(beta, complianceitem.FrameworkHIPAA, complianceitem.StatusNOT_APPLICABLE)
	item(beta, complianceitem.FrameworkHIPAA, complianceitem.StatusNOT_APPLICABLE)

	res := b.call(t, http.MethodGet, "/compliance-status", key, nil).requireStatus(t, http.StatusOK)
	rows := res.list(t)
	require.Equal(t, false, res.Body["hasMore"])
	require.Equal(t, []map[string]any{
		{"accountId": acme, "accountName": "Acme Dental", "framework": "HIPAA", "complete": float64(2), "applicable": float64(3), "percent": 66.67},
		{"accountId": acme, "accountName": "Acme Dental", "framework": "SOC2", "complete": float64(1), "applicable": float64(4), "percent": float64(25)},
		{"accountId": beta, "accountName": "Beta Legal", "framework": "HIPAA", "complete": float64(0), "applicable": float64(0), "percent": nil},
	}, rows)

	res = b.call(t, http.MethodGet, "/compliance-status?framework=HIPAA&accountId="+acme, key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 1)
	require.Equal(t, 66.67, res.list(t)[0]["percent"])
	b.call(t, http.MethodGet, "/compliance-status?framework=ISO9001", key, nil).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "framework")

	res = b.call(t, http.MethodGet, "/compliance-items?accountId="+acme+"&framework=HIPAA&status=IN_PROGRESS", key, nil).requireStatus(t, http.StatusOK)
	items := res.list(t)
	require.Equal(t, []string{inProgress}, ids(items))
	require.Equal(t, "HIPAA", items[0]["framework"])
	require.Equal(t, "IN_PROGRESS", items[0]["status"])
	require.Nil(t, items[0]["completedAt"])
	res = b.call(t, http.MethodGet, "/compliance-items?limit=5", key, nil).requireStatus(t, http.StatusOK)
	require.Len(t, res.list(t), 5)
	require.Equal(t, true, res.Body["hasMore"])

	other := b.key(t, b.org(t, "Other"), auth.ComplianceRead)
	require.Empty(t, b.call(t, http.MethodGet, "/compliance-status", other, nil).requireStatus(t, http.StatusOK).list(t))
	require.Empty(t, b.call(t, http.MethodGet, "/compliance-items", other, nil).requireStatus(t, http.StatusOK).list(t))
}
