package server_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/money"
)

const pushSignal = `mutation($account: ID!, $input: PushHealthSignalInput!) {
	pushHealthSignal(accountID: $account, input: $input) {
		signal { id key rawValue source }
		churnRisk { score level }
	}
}`

const churnRiskQuery = `query($account: ID!) {
	churnRisk(accountID: $account) {
		accountID score level calculatedAt
		breakdown { key input subScore weight contribution source observedAt }
		history { day score level }
	}
}`

// settleChurn runs the queued churn-risk recalculations with the clock moved
// past the debounce, and returns how many ran.
func (b *testBundle) settleChurn(t *testing.T) int {
	t.Helper()
	queue := churn.NewQueue(b.client, churn.QueueConfig{
		Now:    func() time.Time { return time.Now().Add(trigger.Debounce) },
		Logger: slog.New(slog.DiscardHandler),
	})
	ran, err := queue.Drain(context.Background())
	require.NoError(t, err)
	return ran
}

func TestPushHealthSignalAndChurnRisk(t *testing.T) {
	t.Parallel()
	b := setup(t)
	own := b.seed(t, b.orgA, "a", "CUSTOM_STAGE")
	key := b.key(t, b.orgA, auth.HealthWrite)

	// The seed holds a touchpoint of today (TOUCHPOINT_RECENCY 100 × 10)
	// and an OPEN_TICKETS sub-score of 80. Pushing 3 open tickets (30 × 20
	// = 600) gives 600 + 1000 + 70 × 50 = 5100: health 51, risk 49.
	response := b.mustPost(t, key, pushSignal, map[string]any{
		"account": own.account,
		"input":   map[string]any{"key": "OPEN_TICKETS", "rawValue": 3, "source": "acme-psa"},
	})
	require.Equal(t, "OPEN_TICKETS", response.value(t, "pushHealthSignal", "signal", "key"))
	require.Equal(t, "acme-psa", response.value(t, "pushHealthSignal", "signal", "source"))
	require.EqualValues(t, 49, response.value(t, "pushHealthSignal", "churnRisk", "score"))
	require.Equal(t, "MEDIUM", response.value(t, "pushHealthSignal", "churnRisk", "level"))

	// Before the queued recalculation runs, the query calculates at once.
	response = b.mustPost(t, key, churnRiskQuery, map[string]any{"account": own.account})
	require.EqualValues(t, 49, response.value(t, "churnRisk", "score"))
	require.EqualValues(t, 40, response.value(t, "churnRisk", "history", 0, "score"), "the seeded snapshot until the queue runs")

	require.Equal(t, 1, b.settleChurn(t))
	response = b.mustPost(t, key, churnRiskQuery, map[string]any{"account": own.account})
	require.EqualValues(t, 49, response.value(t, "churnRisk", "score"))
	require.Equal(t, own.account, response.value(t, "churnRisk", "accountID"))
	require.Equal(t, "OPEN_TICKETS", response.value(t, "churnRisk", "breakdown", 0, "key"))
	require.EqualValues(t, 3, response.value(t, "churnRisk", "breakdown", 0, "input"))
	require.EqualValues(t, 6, response.value(t, "churnRisk", "breakdown", 0, "contribution"))
	require.Equal(t, "pushed:acme-psa", response.value(t, "churnRisk", "breakdown", 0, "source"))
	require.Equal(t, "touchpoints", response.value(t, "churnRisk", "breakdown", 3, "source"))
	history, _ := response.value(t, "churnRisk", "history").([]any)
	require.Len(t, history, 1, "the seeded snapshot and the push fall on one day")
	require.EqualValues(t, 49, response.value(t, "churnRisk", "history", 0, "score"))

	t.Run("invalid input", func(t *testing.T) {
		response := b.post(t, key, pushSignal, map[string]any{
			"account": own.account,
			"input":   map[string]any{"key": "CSAT_TREND", "rawValue": 150, "subScore": 101, "source": ""},
		})
		require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
		details, _ := response.Errors[0].Extensions["details"].([]any)
		var paths []any
		for _, detail := range details {
			paths = append(paths, detail.(map[string]any)["path"].([]any)[0])
		}
		require.ElementsMatch(t, []any{"rawValue", "rawValue", "subScore", "source"}, paths)
	})

	t.Run("other org", func(t *testing.T) {
		other := b.key(t, b.orgB, auth.HealthWrite)
		response := b.post(t, other, pushSignal, map[string]any{
			"account": own.account,
			"input":   map[string]any{"key": "CSAT_TREND", "subScore": 90, "source": "psa"},
		})
		require.Equal(t, []string{"not_found"}, response.codes(), response.Body)
		response = b.mustPost(t, other, churnRiskQuery, map[string]any{"account": own.account})
		require.Nil(t, response.value(t, "churnRisk"))
	})

	t.Run("scopes", func(t *testing.T) {
		reader := b.key(t, b.orgA, auth.HealthRead)
		response := b.post(t, reader, pushSignal, map[string]any{
			"account": own.account,
			"input":   map[string]any{"key": "CSAT_TREND", "subScore": 90, "source": "psa"},
		})
		require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)

		accountsOnly := b.key(t, b.orgA, auth.AccountsRead)
		response = b.post(t, accountsOnly, churnRiskQuery, map[string]any{"account": own.account})
		require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)
		require.Equal(t, "health:read", response.Errors[0].Extensions["requiredScope"])
	})
}

func TestGraphQLTouchpointRecalculatesRisk(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.orgA, auth.AccountsWrite, auth.TouchpointsWrite)
	created := b.mustPost(t, key, `mutation { createAccount(input: {name: "Acme"}) { id churnRiskScore } }`, nil)
	accountID := created.value(t, "createAccount", "id").(string)
	require.Nil(t, created.value(t, "createAccount", "churnRiskScore"))

	// A touchpoint now: TOUCHPOINT_RECENCY 100 × 10 and 90 weight points
	// without data: health 55, risk 45.
	b.mustPost(t, key, `mutation($account: ID!) { createTouchpoint(input: {accountID: $account, type: CALL}) { id } }`,
		map[string]any{"account": accountID})
	require.Equal(t, 1, b.settleChurn(t))
	response := b.mustPost(t, key, `query($id: ID!) { node(id: $id) { ... on Account { churnRiskScore churnRiskLevel } } }`,
		map[string]any{"id": accountID})
	require.EqualValues(t, 45, response.value(t, "node", "churnRiskScore"))
	require.Equal(t, "MEDIUM", response.value(t, "node", "churnRiskLevel"))
}

func TestMRRSummaryQuery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := b.system(b.orgA)
	accountID := b.client.Account.Create().SetName("Acme").SaveX(ctx).ID
	active := b.client.Contract.Create().SetAccountID(accountID).SetName("Managed IT").SetStatus(contract.StatusACTIVE).SaveX(ctx)
	// 4 × 250.00 quarterly = 1000.00 ÷ 3 = 333.33; 2 × 49.99 monthly = 99.98.
	b.client.ServiceLine.Create().SetContractID(active.ID).SetServiceName("Managed").SetQuantity(4).SetUnitPrice(money.Cents(25_000)).
		SetBillingFrequency(serviceline.BillingFrequencyQUARTERLY).ExecX(ctx)
	b.client.ServiceLine.Create().SetContractID(active.ID).SetServiceName("Phones").SetCategory(serviceline.CategoryVOIP).
		SetQuantity(2).SetUnitPrice(money.Cents(4_999)).ExecX(ctx)

	query := `{ mrrSummary { totalMrr arr categories { category mrr arr share accounts } } }`
	response := b.mustPost(t, b.key(t, b.orgA, auth.MRRRead), query, nil)
	require.JSONEq(t, `{"mrrSummary": {"totalMrr": 433.31, "arr": 5199.72, "categories": [
		{"category": "MANAGED_SERVICES", "mrr": 333.33, "arr": 3999.96, "share": 76.93, "accounts": 1},
		{"category": "SECURITY", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "BACKUP_DR", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "CLOUD", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "VOIP", "mrr": 99.98, "arr": 1199.76, "share": 23.07, "accounts": 1},
		{"category": "CONNECTIVITY", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "HARDWARE_AS_A_SERVICE", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "PROFESSIONAL_SERVICES", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "LICENSING", "mrr": 0, "arr": 0, "share": 0, "accounts": 0},
		{"category": "OTHER", "mrr": 0, "arr": 0, "share": 0, "accounts": 0}]}}`, string(response.Data))

	response = b.post(t, b.key(t, b.orgA, auth.ContractsRead), query, nil)
	require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)
}

func TestSettingsMutationsNeedAdminRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	weights := []map[string]any{
		{"key": "OPEN_TICKETS", "weight": 30}, {"key": "CSAT_TREND", "weight": 10}, {"key": "UTILIZATION", "weight": 10},
		{"key": "TOUCHPOINT_RECENCY", "weight": 10}, {"key": "DECISION_MAKER_RECENCY", "weight": 10},
		{"key": "STACK_STANDARDIZATION", "weight": 10}, {"key": "PAYMENT_HEALTH", "weight": 10},
		{"key": "RENEWAL_PROXIMITY", "weight": 5}, {"key": "EMPLOYEE_GROWTH", "weight": 5},
	}
	update := `mutation($input: ChurnRiskSettingsInput!) {
		updateChurnRiskSettings(input: $input) { weights { key weight } thresholds { lowMax mediumMax } }
	}`
	input := map[string]any{"weights": weights, "thresholds": map[string]any{"lowMax": 25, "mediumMax": 55}}

	healthWriter := b.key(t, b.orgA, auth.HealthWrite)
	response := b.post(t, healthWriter, update, map[string]any{"input": input})
	require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)
	require.Equal(t, "admin:read", response.Errors[0].Extensions["requiredScope"])
	adminOnly := b.key(t, b.orgA, auth.AdminRead)
	response = b.post(t, adminOnly, update, map[string]any{"input": input})
	require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)

	admin := b.key(t, b.orgA, auth.AdminRead, auth.HealthWrite, auth.LeadsWrite)
	response = b.mustPost(t, admin, update, map[string]any{"input": input})
	require.EqualValues(t, 30, response.value(t, "updateChurnRiskSettings", "weights", 0, "weight"))
	require.EqualValues(t, 25, response.value(t, "updateChurnRiskSettings", "thresholds", "lowMax"))
	response = b.mustPost(t, b.key(t, b.orgA, auth.HealthRead), `{ churnRiskSettings { weights { key weight } thresholds { mediumMax } } }`, nil)
	require.EqualValues(t, 30, response.value(t, "churnRiskSettings", "weights", 0, "weight"))
	require.EqualValues(t, 55, response.value(t, "churnRiskSettings", "thresholds", "mediumMax"))

	weights[0]["weight"] = 31
	response = b.post(t, admin, update, map[string]any{"input": map[string]any{"weights": weights, "thresholds": map[string]any{"lowMax": 60, "mediumMax": 50}}})
	require.Equal(t, []string{"validation_error"}, response.codes(), response.Body)
	require.Len(t, response.Errors[0].Extensions["details"], 2, "the sum and the thresholds: %s", response.Body)

	t.Run("icp targets", func(t *testing.T) {
		leadID := b.client.Lead.Create().SetCompanyName("Brewery").SetIndustry("Brewing").SetEmployeeCount(5).SaveX(b.system(b.orgA)).ID
		targets := `mutation($input: IcpTargetsInput!) { updateIcpTargets(input: $input) { industries employeeMin employeeMax } }`
		input := map[string]any{"industries": []string{"brewing"}, "employeeMin": 1, "employeeMax": 10, "complianceIndustries": []string{}}

		response := b.post(t, b.key(t, b.orgA, auth.LeadsWrite), targets, map[string]any{"input": input})
		require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)

		response = b.mustPost(t, admin, targets, map[string]any{"input": input})
		require.Equal(t, []any{"brewing"}, response.value(t, "updateIcpTargets", "industries"))
		// Brewing is now a target (30) and 5 employees is in the band (25).
		response = b.mustPost(t, admin, `query($id: ID!) { node(id: $id) { ... on Lead { icpScore } } }`, map[string]any{"id": leadID})
		require.EqualValues(t, 55, response.value(t, "node", "icpScore"))
		response = b.mustPost(t, b.key(t, b.orgA, auth.LeadsRead), `{ icpTargets { industries employeeMax } }`, nil)
		require.EqualValues(t, 10, response.value(t, "icpTargets", "employeeMax"))
	})
}

func TestConvertLeadMutation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	leadID := b.client.Lead.Create().SetCompanyName("Bayview Dental").SetContactName("Sarah Connor").SetIndustry("Dental").
		SaveX(b.system(b.orgA)).ID
	convert := `mutation($id: ID!) { convertLead(id: $id) {
		lead { status convertedAccountID }
		account { id name lifecycleStatus }
		contact { id firstName lastName }
	} }`

	response := b.post(t, b.key(t, b.orgA, auth.LeadsWrite, auth.AccountsWrite), convert, map[string]any{"id": leadID})
	require.Equal(t, []string{"insufficient_scope"}, response.codes(), response.Body)
	require.Equal(t, "contacts:write", response.Errors[0].Extensions["requiredScope"])

	key := b.key(t, b.orgA, auth.LeadsWrite, auth.AccountsWrite, auth.ContactsWrite)
	first := b.mustPost(t, key, convert, map[string]any{"id": leadID})
	require.Equal(t, "CONVERTED", first.value(t, "convertLead", "lead", "status"))
	require.Equal(t, "PROSPECT", first.value(t, "convertLead", "account", "lifecycleStatus"))
	require.Equal(t, "Sarah", first.value(t, "convertLead", "contact", "firstName"))
	require.Equal(t, first.value(t, "convertLead", "account", "id"), first.value(t, "convertLead", "lead", "convertedAccountID"))

	second := b.mustPost(t, key, convert, map[string]any{"id": leadID})
	require.Equal(t, first.value(t, "convertLead", "account", "id"), second.value(t, "convertLead", "account", "id"))
	require.Equal(t, first.value(t, "convertLead", "contact", "id"), second.value(t, "convertLead", "contact", "id"))
}
