package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	entcontract "github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/money"
)

// exactData decodes the data of a response keeping numbers as their JSON
// text, so amounts compare to the cent without float rounding.
func exactData(t *testing.T, res response) map[string]any {
	t.Helper()
	var envelope struct {
		Data map[string]any `json:"data"`
	}
	decoder := json.NewDecoder(bytes.NewReader(res.Raw))
	decoder.UseNumber()
	require.NoError(t, decoder.Decode(&envelope))
	return envelope.Data
}

type line struct {
	category  serviceline.Category
	quantity  int
	unitPrice money.Cents
	frequency serviceline.BillingFrequency
}

// seedContract creates a contract with its service lines as the system,
// because no API key may write contracts.
func (b *testBundle) seedContract(t *testing.T, orgID, accountID, name string, status entcontract.Status, lines ...line) string {
	t.Helper()
	ctx := auth.SystemContext(context.Background(), orgID)
	created := b.client.Contract.Create().SetAccountID(accountID).SetName(name).SetStatus(status).SetRenewalDate("2027-01-31").SaveX(ctx)
	for _, l := range lines {
		b.client.ServiceLine.Create().
			SetContractID(created.ID).
			SetServiceName(string(l.category) + " service").
			SetCategory(l.category).
			SetQuantity(l.quantity).
			SetUnitPrice(l.unitPrice).
			SetBillingFrequency(l.frequency).
			ExecX(ctx)
	}
	return created.ID
}

// TestMRRMatchesHandComputedTotal checks /mrr against sums computed by hand,
// across billing frequencies, to the cent.
func TestMRRMatchesHandComputedTotal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "MRR")
	key := b.key(t, orgID, auth.AccountsWrite, auth.MRRRead, auth.ContractsRead)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})
	beta := b.createAccount(t, key, map[string]any{"name": "Beta"})

	// Acme: 25 × 125.00 monthly = 3125.00; 25 × 8.99 quarterly = 224.75 ÷ 3
	// = 74.9166… → 74.92; 1 × 1000.01 annual = 83.3341… → 83.33; a one-time
	// project counts 0. The contract's MRR is 3283.25.
	acmeContract := b.seedContract(t, orgID, acme, "Acme managed IT", entcontract.StatusACTIVE,
		line{serviceline.CategoryMANAGED_SERVICES, 25, 12_500, serviceline.BillingFrequencyMONTHLY},
		line{serviceline.CategorySECURITY, 25, 899, serviceline.BillingFrequencyQUARTERLY},
		line{serviceline.CategoryBACKUP_DR, 1, 100_001, serviceline.BillingFrequencyANNUAL},
		line{serviceline.CategoryPROFESSIONAL_SERVICES, 1, 500_000, serviceline.BillingFrequencyONE_TIME},
	)
	// Beta: 10 × 99.95 semi-annual = 999.50 ÷ 6 = 166.5833… → 166.58;
	// 3 × 33.33 monthly = 99.99.
	b.seedContract(t, orgID, beta, "Beta cloud", entcontract.StatusACTIVE,
		line{serviceline.CategoryMANAGED_SERVICES, 10, 9_995, serviceline.BillingFrequencySEMI_ANNUAL},
		line{serviceline.CategoryCLOUD, 3, 3_333, serviceline.BillingFrequencyMONTHLY},
	)
	// A draft does not count.
	draft := b.seedContract(t, orgID, beta, "Beta draft", entcontract.StatusDRAFT,
		line{serviceline.CategoryMANAGED_SERVICES, 100, 10_000, serviceline.BillingFrequencyMONTHLY},
	)

	summary := exactData(t, b.call(t, http.MethodGet, "/mrr", key, nil).requireStatus(t, http.StatusOK))
	require.NotContains(t, summary, "currency")
	// 3125.00 + 74.92 + 83.33 + 166.58 + 99.99 = 3549.82; ARR × 12.
	require.Equal(t, json.Number("3549.82"), summary["totalMrr"])
	require.Equal(t, json.Number("42597.84"), summary["arr"])

	categories := summary["categories"].([]any)
	require.Len(t, categories, 10)
	byCategory := map[string]map[string]any{}
	for _, row := range categories {
		byCategory[row.(map[string]any)["category"].(string)] = row.(map[string]any)
	}
	// Shares by largest remainder: 92.7252…, 2.1105…, 2.3474…, 2.8167…
	// floor to 92.72, 2.11, 2.34 and 2.81; the two hundredths left go to
	// BACKUP_DR (.74) and CLOUD (.68).
	expected := map[string][4]string{
		"MANAGED_SERVICES":      {"3291.58", "39498.96", "92.72", "2"},
		"SECURITY":              {"74.92", "899.04", "2.11", "1"},
		"BACKUP_DR":             {"83.33", "999.96", "2.35", "1"},
		"CLOUD":                 {"99.99", "1199.88", "2.82", "1"},
		"PROFESSIONAL_SERVICES": {"0", "0", "0", "0"},
		"VOIP":                  {"0", "0", "0", "0"},
	}
	for category, want := range expected {
		row := byCategory[category]
		require.Equal(t, json.Number(want[0]), row["mrr"], category)
		require.Equal(t, json.Number(want[1]), row["arr"], category)
		require.Equal(t, json.Number(want[2]), row["share"], category)
		require.Equal(t, json.Number(want[3]), row["accounts"], category)
	}

	t.Run("contracts", func(t *testing.T) {
		res := b.call(t, http.MethodGet, "/contracts/"+acmeContract, key, nil).requireStatus(t, http.StatusOK)
		detail := exactData(t, res)
		require.Equal(t, json.Number("3283.25"), detail["mrr"])
		require.Equal(t, acme, detail["accountId"])
		require.Equal(t, "ACTIVE", detail["status"])
		require.Equal(t, "2027-01-31", detail["renewalDate"])
		lines := detail["serviceLines"].([]any)
		require.Len(t, lines, 4)
		wantLines := []string{"3125", "74.92", "83.33", "0"}
		for i, want := range wantLines {
			require.Equal(t, json.Number(want), lines[i].(map[string]any)["mrr"], "line %d", i)
		}
		require.Equal(t, json.Number("8.99"), lines[1].(map[string]any)["unitPrice"])
		require.Equal(t, "QUARTERLY", lines[1].(map[string]any)["billingFrequency"])

		res = b.call(t, http.MethodGet, "/contracts?accountId="+beta, key, nil).requireStatus(t, http.StatusOK)
		require.Len(t, res.list(t), 2)
		res = b.call(t, http.MethodGet, "/contracts?accountId="+beta+"&status=DRAFT", key, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, []string{draft}, ids(res.list(t)))
		require.Equal(t, float64(10_000), res.list(t)[0]["mrr"], "a draft shows its own MRR")
		b.call(t, http.MethodGet, "/contracts?status=SIGNED", key, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "status")

		other := b.key(t, b.org(t, "Other"), auth.ContractsRead, auth.MRRRead)
		b.call(t, http.MethodGet, "/contracts/"+acmeContract, other, nil).requireError(t, http.StatusNotFound, "not_found")
		otherSummary := exactData(t, b.call(t, http.MethodGet, "/mrr", other, nil).requireStatus(t, http.StatusOK))
		require.Equal(t, json.Number("0"), otherSummary["totalMrr"])
	})
}
