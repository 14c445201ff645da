package rest_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/churn/trigger"
)

// pushSignal pushes one observation from the made-up PSA "acme-psa" and
// returns the response data.
func (b *testBundle) pushSignal(t *testing.T, key, accountID string, signal map[string]any) map[string]any {
	t.Helper()
	signal["source"] = "acme-psa"
	res := b.call(t, http.MethodPost, "/health-scores/"+accountID+"/signals", key, signal).requireStatus(t, http.StatusCreated)
	return res.data(t)
}

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

func riskOf(t *testing.T, data map[string]any) (float64, string) {
	t.Helper()
	risk, isObject := data["churnRisk"].(map[string]any)
	require.True(t, isObject, "churnRisk is not an object: %v", data)
	return risk["score"].(float64), risk["level"].(string)
}

// The expected scores are computed by hand with the default weights:
// risk = 100 − round(Σ subScore × weight ÷ 100), a signal without data
// scoring 50.
func TestPushedSignalsScoreByHand(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Signals"), auth.AccountsWrite, auth.HealthWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme Dental"})

	// OPEN_TICKETS: 2 tickets, the oldest 10 days old: 60 − 20 = 40, × 20
	// = 800. The other 80 weight points score 50: 4000. Health 48, risk 52.
	data := b.pushSignal(t, key, acme, map[string]any{"key": "OPEN_TICKETS", "rawValue": 2, "details": map[string]any{"oldestAgeDays": 10}})
	score, level := riskOf(t, data)
	require.Equal(t, float64(52), score)
	require.Equal(t, "MEDIUM", level)
	signal := data["signal"].(map[string]any)
	require.Regexp(t, `^sig_`, signal["id"])
	require.Equal(t, acme, signal["accountId"])
	require.Equal(t, "OPEN_TICKETS", signal["key"])
	require.Equal(t, float64(2), signal["rawValue"])
	require.Nil(t, signal["subScore"])
	require.Equal(t, "acme-psa", signal["source"])
	require.Equal(t, map[string]any{"oldestAgeDays": float64(10)}, signal["details"])
	require.Regexp(t, timestampPattern, signal["observedAt"])

	// CSAT_TREND 87.5 % rounds half up to 88, × 15 = 1320; with 800 and 65
	// × 50 = 3250 the health is 53.7, rounded 54: risk 46.
	score, _ = riskOf(t, b.pushSignal(t, key, acme, map[string]any{"key": "CSAT_TREND", "rawValue": 87.5}))
	require.Equal(t, float64(46), score)

	// UTILIZATION 118 % of budget is 10–25 % over: 60, × 15 = 900. Health
	// (800 + 1320 + 900 + 50 × 50) ÷ 100 = 55.2, rounded 55: risk 45.
	data = b.pushSignal(t, key, acme, map[string]any{"key": "UTILIZATION", "rawValue": 118})
	score, level = riskOf(t, data)
	require.Equal(t, float64(45), score)
	require.Equal(t, "MEDIUM", level)

	// The stored score waits for the queued recalculation, which runs once
	// for the three pushes.
	res := b.call(t, http.MethodGet, "/accounts/"+acme, key, nil).requireStatus(t, http.StatusOK)
	require.Nil(t, res.data(t)["churnRisk"], "stored before the debounce passed")
	require.Equal(t, 1, b.settleChurn(t))
	res = b.call(t, http.MethodGet, "/accounts/"+acme, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, map[string]any{"score": float64(45), "level": "MEDIUM"}, res.data(t)["churnRisk"])

	// A struggling client: 5 tickets, the oldest 30 days old (30 − 20 = 10,
	// × 20 = 200), CSAT 10 % (150), 300 % of budget (20 × 15 = 300).
	// Health (200 + 150 + 300 + 2500) ÷ 100 = 31.5, rounded up 32: risk 68.
	globex := b.createAccount(t, key, map[string]any{"name": "Globex Legal"})
	b.pushSignal(t, key, globex, map[string]any{"key": "OPEN_TICKETS", "rawValue": 5, "details": map[string]any{"oldestAgeDays": 30}})
	b.pushSignal(t, key, globex, map[string]any{"key": "CSAT_TREND", "rawValue": 10})
	score, level = riskOf(t, b.pushSignal(t, key, globex, map[string]any{"key": "UTILIZATION", "rawValue": 300}))
	require.Equal(t, float64(68), score)
	require.Equal(t, "HIGH", level)

	// A healthy client: no tickets (100 × 20), CSAT 100 (× 15), within
	// budget (100 × 15), stack sub-score 100 (× 10), invoices paid (100 ×
	// 10); 30 weight points without data score 1500. Health 85, risk 15.
	initech := b.createAccount(t, key, map[string]any{"name": "Initech Accounting"})
	b.pushSignal(t, key, initech, map[string]any{"key": "OPEN_TICKETS", "rawValue": 0})
	b.pushSignal(t, key, initech, map[string]any{"key": "CSAT_TREND", "rawValue": 100})
	b.pushSignal(t, key, initech, map[string]any{"key": "UTILIZATION", "rawValue": 95})
	b.pushSignal(t, key, initech, map[string]any{"key": "STACK_STANDARDIZATION", "subScore": 100})
	score, level = riskOf(t, b.pushSignal(t, key, initech, map[string]any{"key": "PAYMENT_HEALTH", "rawValue": -3}))
	require.Equal(t, float64(15), score)
	require.Equal(t, "LOW", level)

	unscored := b.createAccount(t, key, map[string]any{"name": "Umbrella"})
	require.Equal(t, 2, b.settleChurn(t), "one recalculation per account")

	t.Run("list", func(t *testing.T) {
		res := b.call(t, http.MethodGet, "/health-scores?sort=score:desc", key, nil).requireStatus(t, http.StatusOK)
		rows := res.list(t)
		require.Equal(t, []string{unscored, globex, acme, initech}, ids(rows), "null scores come first descending")
		require.Nil(t, rows[0]["churnRisk"])
		require.Equal(t, "Globex Legal", rows[1]["name"])
		require.Equal(t, "PROSPECT", rows[1]["lifecycleStatus"])
		risk := rows[1]["churnRisk"].(map[string]any)
		require.Equal(t, float64(68), risk["score"])
		require.Equal(t, "HIGH", risk["level"])
		require.Regexp(t, timestampPattern, risk["calculatedAt"])

		res = b.call(t, http.MethodGet, "/health-scores?level=HIGH", key, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, []string{globex}, ids(res.list(t)))
		b.call(t, http.MethodGet, "/health-scores?level=RED", key, nil).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", "level")
	})

	t.Run("detail", func(t *testing.T) {
		res := b.call(t, http.MethodGet, "/health-scores/"+acme, key, nil).requireStatus(t, http.StatusOK)
		detail := res.data(t)
		require.Equal(t, acme, detail["accountId"])
		require.Equal(t, float64(45), detail["score"])
		require.Equal(t, "MEDIUM", detail["level"])
		require.Equal(t, true, detail["stored"])

		breakdown := detail["breakdown"].([]any)
		require.Len(t, breakdown, 9)
		tickets := breakdown[0].(map[string]any)
		require.Equal(t, "OPEN_TICKETS", tickets["key"])
		require.Equal(t, float64(2), tickets["input"])
		require.Equal(t, float64(40), tickets["subScore"])
		require.Equal(t, float64(20), tickets["weight"])
		require.Equal(t, float64(8), tickets["contribution"])
		require.Equal(t, "pushed:acme-psa", tickets["source"])
		require.Regexp(t, timestampPattern, tickets["observedAt"])
		csat := breakdown[1].(map[string]any)
		require.Equal(t, float64(88), csat["subScore"])
		require.Equal(t, 13.2, csat["contribution"])
		recency := breakdown[3].(map[string]any)
		require.Equal(t, "TOUCHPOINT_RECENCY", recency["key"])
		require.Equal(t, "no data", recency["source"])
		require.Nil(t, recency["input"])
		require.Nil(t, recency["observedAt"])

		history := detail["history"].([]any)
		require.Len(t, history, 1, "three pushes today make one daily point")
		require.Equal(t, float64(45), history[0].(map[string]any)["score"], "the day's point is its last calculation")
		require.Equal(t, time.Now().UTC().Format(time.DateOnly), history[0].(map[string]any)["day"])

		settings := detail["settings"].(map[string]any)
		require.Equal(t, float64(20), settings["weights"].(map[string]any)["OPEN_TICKETS"])
		require.Equal(t, map[string]any{"lowMax": float64(30), "mediumMax": float64(60)}, settings["thresholds"])

		res = b.call(t, http.MethodGet, "/health-scores/"+unscored, key, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, false, res.data(t)["stored"], "an account never calculated is calculated for the response")
		require.Equal(t, float64(50), res.data(t)["score"])
		require.Empty(t, res.data(t)["history"])
	})
}

func TestBadSignalsAreRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Bad signals"), auth.AccountsWrite, auth.HealthWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})
	path := "/health-scores/" + acme + "/signals"
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)

	cases := []struct {
		name   string
		signal map[string]any
		paths  []string
	}{
		{"unknown key", map[string]any{"key": "TICKETS", "rawValue": 1, "source": "psa"}, []string{"key"}},
		{"both values", map[string]any{"key": "CSAT_TREND", "rawValue": 90, "subScore": 90, "source": "psa"}, []string{"rawValue"}},
		{"neither value", map[string]any{"key": "CSAT_TREND", "source": "psa"}, []string{"rawValue"}},
		{"sub-score 101", map[string]any{"key": "CSAT_TREND", "subScore": 101, "source": "psa"}, []string{"subScore"}},
		{"fractional sub-score", map[string]any{"key": "CSAT_TREND", "subScore": 50.5, "source": "psa"}, []string{"subScore"}},
		{"NaN string", map[string]any{"key": "CSAT_TREND", "rawValue": "NaN", "source": "psa"}, []string{"rawValue"}},
		{"Infinity string", map[string]any{"key": "UTILIZATION", "rawValue": "Infinity", "source": "psa"}, []string{"rawValue"}},
		{"CSAT above 100", map[string]any{"key": "CSAT_TREND", "rawValue": 150, "source": "psa"}, []string{"rawValue"}},
		{"fraction of a ticket", map[string]any{"key": "OPEN_TICKETS", "rawValue": 2.5, "source": "psa"}, []string{"rawValue"}},
		{"utilization above 1000", map[string]any{"key": "UTILIZATION", "rawValue": 1000.5, "source": "psa"}, []string{"rawValue"}},
		{"growth below -100", map[string]any{"key": "EMPLOYEE_GROWTH", "rawValue": -101, "source": "psa"}, []string{"rawValue"}},
		{"future observedAt", map[string]any{"key": "CSAT_TREND", "rawValue": 90, "source": "psa", "observedAt": future}, []string{"observedAt"}},
		{"malformed observedAt", map[string]any{"key": "CSAT_TREND", "rawValue": 90, "source": "psa", "observedAt": "yesterday"}, []string{"observedAt"}},
		{"expiry before observation", map[string]any{"key": "CSAT_TREND", "rawValue": 90, "source": "psa", "observedAt": "2026-01-02T00:00:00Z", "expiresAt": "2026-01-01T00:00:00Z"}, []string{"expiresAt"}},
		{"missing source", map[string]any{"key": "CSAT_TREND", "rawValue": 90}, []string{"source"}},
		{"negative ticket age", map[string]any{"key": "OPEN_TICKETS", "rawValue": 1, "source": "psa", "details": map[string]any{"oldestAgeDays": -1}}, []string{"details.oldestAgeDays"}},
		{"details not an object", map[string]any{"key": "OPEN_TICKETS", "rawValue": 1, "source": "psa", "details": []int{1}}, []string{"details"}},
		{"unknown field", map[string]any{"key": "CSAT_TREND", "rawValue": 90, "source": "psa", "value": 90}, []string{"value"}},
		{"every problem at once", map[string]any{"key": "TICKETS", "subScore": 101, "observedAt": future}, []string{"key", "subScore", "source", "observedAt"}},
	}
	for _, tc := range cases {
		b.call(t, http.MethodPost, path, key, tc.signal).
			requireError(t, http.StatusUnprocessableEntity, "validation_error", tc.paths...)
	}

	res := b.call(t, http.MethodPost, path, key, map[string]any{"key": "TICKETS", "rawValue": 1, "source": "psa"})
	require.Contains(t, res.Body["error"].(map[string]any)["message"], "OPEN_TICKETS, CSAT_TREND, UTILIZATION", "an unknown key lists the nine")

	count, err := b.client.HealthSignal.Query().Where(healthsignal.AccountID(acme)).Count(auth.SystemContext(context.Background(), b.orgOf(t, acme)))
	require.NoError(t, err)
	require.Zero(t, count, "no rejected signal is stored")

	signal := map[string]any{"key": "CSAT_TREND", "rawValue": 90, "source": "psa"}
	b.call(t, http.MethodPost, "/health-scores/acc_01JD0000000000000000000000/signals", key, signal).requireError(t, http.StatusNotFound, "not_found")
	b.call(t, http.MethodPost, "/health-scores/not-an-id/signals", key, signal).requireError(t, http.StatusBadRequest, "bad_request")
	other := b.key(t, b.org(t, "Other"), auth.HealthWrite, auth.HealthRead)
	b.call(t, http.MethodPost, path, other, signal).requireError(t, http.StatusNotFound, "not_found")
	b.call(t, http.MethodGet, "/health-scores/"+acme, other, nil).requireError(t, http.StatusNotFound, "not_found")

	// A clock a minute ahead is tolerated; the observation counts at once.
	ahead := time.Now().Add(time.Minute).UTC().Format(time.RFC3339Nano)
	data := b.call(t, http.MethodPost, path, key, map[string]any{"key": "CSAT_TREND", "subScore": 90, "source": "psa", "observedAt": ahead}).
		requireStatus(t, http.StatusCreated).data(t)
	require.Equal(t, "pushed:psa", data["churnRisk"].(map[string]any)["breakdown"].([]any)[1].(map[string]any)["source"])
}

// orgOf returns the org of an account.
func (b *testBundle) orgOf(t *testing.T, accountID string) string {
	t.Helper()
	found, err := b.client.Account.Get(auth.WithPrincipal(context.Background(), &auth.Principal{System: true}), accountID)
	require.NoError(t, err)
	return found.OrgID
}

func TestTouchpointRecalculatesRisk(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Touchpoints"), auth.AccountsWrite, auth.TouchpointsWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodGet, "/accounts/"+acme, key, nil).requireStatus(t, http.StatusOK)
	require.Nil(t, res.data(t)["churnRisk"])

	// A call 100 days ago: TOUCHPOINT_RECENCY 70 × 10 = 700, and 90 weight
	// points without data 4500. Health 52, risk 48.
	occurred := time.Now().AddDate(0, 0, -100).UTC().Format(time.RFC3339)
	b.call(t, http.MethodPost, "/touchpoints", key, map[string]any{"accountId": acme, "type": "CALL", "occurredAt": occurred}).
		requireStatus(t, http.StatusCreated)
	require.Equal(t, 1, b.settleChurn(t))
	res = b.call(t, http.MethodGet, "/accounts/"+acme, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, map[string]any{"score": float64(48), "level": "MEDIUM"}, res.data(t)["churnRisk"])

	// A call now: 100 × 10 = 1000; health 55, risk 45.
	b.call(t, http.MethodPost, "/touchpoints", key, map[string]any{"accountId": acme, "type": "EMAIL"}).
		requireStatus(t, http.StatusCreated)
	require.Equal(t, 1, b.settleChurn(t))
	res = b.call(t, http.MethodGet, "/accounts/"+acme, key, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, map[string]any{"score": float64(45), "level": "MEDIUM"}, res.data(t)["churnRisk"])
}

func TestHealthHistoryHasOnePointPerDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	orgID := b.org(t, "History")
	key := b.key(t, orgID, auth.AccountsWrite, auth.HealthRead)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	ctx := auth.SystemContext(context.Background(), orgID)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	snapshot := func(at time.Time, score int, level churnrisksnapshot.Level) {
		b.client.ChurnRiskSnapshot.Create().
			SetAccountID(acme).SetScore(score).SetLevel(level).
			SetCalculatedAt(at).SetDay(at.Format(time.DateOnly)).
			ExecX(ctx)
	}
	twoDaysAgo := today.AddDate(0, 0, -2)
	snapshot(twoDaysAgo.Add(18*time.Hour), 70, churnrisksnapshot.LevelHIGH)
	snapshot(twoDaysAgo.Add(10*time.Hour), 20, churnrisksnapshot.LevelLOW)
	snapshot(today.AddDate(0, 0, -1).Add(9*time.Hour), 40, churnrisksnapshot.LevelMEDIUM)
	snapshot(today.AddDate(0, 0, -100), 90, churnrisksnapshot.LevelHIGH)

	detail := b.call(t, http.MethodGet, "/health-scores/"+acme, key, nil).requireStatus(t, http.StatusOK).data(t)
	history := detail["history"].([]any)
	require.Len(t, history, 2, "one point per day within 90 days: %v", history)
	first := history[0].(map[string]any)
	require.Equal(t, twoDaysAgo.Format(time.DateOnly), first["day"])
	require.Equal(t, float64(70), first["score"], "a day's point is its last calculation")
	require.Equal(t, "HIGH", first["level"])
	second := history[1].(map[string]any)
	require.Equal(t, today.AddDate(0, 0, -1).Format(time.DateOnly), second["day"])
	require.Equal(t, float64(40), second["score"])

	require.Equal(t, float64(40), detail["score"], "the current risk is the latest calculation")
	require.Equal(t, true, detail["stored"])
}

func TestSignalWithAWrongTypeIsReportedOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Types"), auth.AccountsWrite, auth.HealthWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})

	res := b.call(t, http.MethodPost, "/health-scores/"+acme+"/signals", key, map[string]any{"key": "CSAT_TREND", "subScore": 40.5, "source": "acme-psa"})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "subScore")
	require.Equal(t, []string{"subScore"}, res.detailPaths(), "rawValue is not also called missing")

	res = b.call(t, http.MethodPost, "/health-scores/"+acme+"/signals", key, map[string]any{"key": "CSAT_TREND", "source": "acme-psa"})
	res.requireError(t, http.StatusUnprocessableEntity, "validation_error", "rawValue")
}

func TestSignalDetailsTakeBackslashTextButNotNUL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := b.key(t, b.org(t, "Details"), auth.AccountsWrite, auth.HealthWrite)
	acme := b.createAccount(t, key, map[string]any{"name": "Acme"})
	path := "/health-scores/" + acme + "/signals"

	b.call(t, http.MethodPost, path, key, map[string]any{"key": "OPEN_TICKETS", "rawValue": 1, "source": "acme-psa", "details": map[string]any{"note": `see \u0000 in the log`}}).
		requireStatus(t, http.StatusCreated)
	b.call(t, http.MethodPost, path, key, map[string]any{"key": "OPEN_TICKETS", "rawValue": 1, "source": "acme-psa", "details": map[string]any{"note": "a\u0000b"}}).
		requireError(t, http.StatusUnprocessableEntity, "validation_error", "details")
}
