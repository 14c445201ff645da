package churn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/database"
)

func TestRecalculateStoresSnapshotAndAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := seedAcme(t, b)

	result, err := churn.Recalculate(b.ctx, b.client, acme.ID, now)
	require.NoError(t, err)
	require.Equal(t, 36, result.Score)

	stored, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.NotNil(t, stored.ChurnRiskScore)
	require.Equal(t, 36, *stored.ChurnRiskScore)
	require.Equal(t, account.ChurnRiskLevelMEDIUM, *stored.ChurnRiskLevel)

	snapshots, err := b.client.ChurnRiskSnapshot.Query().Where(churnrisksnapshot.AccountID(acme.ID)).All(b.ctx)
	require.NoError(t, err)
	require.Len(t, snapshots, 1)
	snapshot := snapshots[0]
	require.Equal(t, 36, snapshot.Score)
	require.Equal(t, churnrisksnapshot.LevelMEDIUM, snapshot.Level)
	require.Equal(t, "2026-06-15", snapshot.Day)
	require.True(t, now.Equal(snapshot.CalculatedAt))
	require.Len(t, snapshot.Breakdown, 9)
	require.Equal(t, "OPEN_TICKETS", snapshot.Breakdown[0]["key"])
	require.EqualValues(t, 40, snapshot.Breakdown[0]["subScore"])
	require.EqualValues(t, 8, snapshot.Breakdown[0]["contribution"])
	require.Equal(t, "pushed:connectwise", snapshot.Breakdown[0]["source"])
	require.Nil(t, snapshot.Breakdown[6]["input"], "PAYMENT_HEALTH has no input")
}

func TestRecalculateKeepsUpdatedAtWhenUnchanged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	_, err := churn.Recalculate(b.ctx, b.client, acme.ID, now)
	require.NoError(t, err)
	first, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)

	_, err = churn.Recalculate(b.ctx, b.client, acme.ID, now.Add(time.Hour))
	require.NoError(t, err)
	second, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.True(t, first.UpdatedAt.Equal(second.UpdatedAt), "updatedAt moved from %s to %s", first.UpdatedAt, second.UpdatedAt)

	count, err := b.client.ChurnRiskSnapshot.Query().Count(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 2, count, "every recalculation is stored")
}

func TestRecalculateJoinsTheContextTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	errAbort := errors.New("abort")

	err := database.WithTx(b.ctx, b.client, func(ctx context.Context) error {
		if _, err := churn.Recalculate(ctx, b.client, acme.ID, now); err != nil {
			return err
		}
		return errAbort
	})
	require.ErrorIs(t, err, errAbort)

	count, err := b.client.ChurnRiskSnapshot.Query().Count(b.ctx)
	require.NoError(t, err)
	require.Zero(t, count)
	stored, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.Nil(t, stored.ChurnRiskScore)
}

func TestHistoryFillsDayByDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	// One recalculation a day for five days; on day 2 the CSAT drops to 0
	// and a second recalculation that evening raises the risk.
	var want []churn.HistoryPoint
	for day := range 5 {
		at := now.AddDate(0, 0, day)
		result, err := churn.Recalculate(b.ctx, b.client, acme.ID, at)
		require.NoError(t, err)
		if day == 2 {
			b.signal(t, acme.ID, healthsignal.KeyCSAT_TREND, at, func(c *ent.HealthSignalCreate) { c.SetRawValue(0) })
			result, err = churn.Recalculate(b.ctx, b.client, acme.ID, at.Add(6*time.Hour))
			require.NoError(t, err)
			// CSAT 0 × 15 plus 50 × 85 = 4250: health 42.5 → 43, risk 57.
			require.Equal(t, 57, result.Score)
		}
		want = append(want, churn.HistoryPoint{
			Day:          result.CalculatedAt.Format(time.DateOnly),
			Score:        result.Score,
			Level:        result.Level,
			CalculatedAt: result.CalculatedAt,
		})

		history, err := churn.History(b.ctx, b.client, acme.ID, at.Add(7*time.Hour), 0)
		require.NoError(t, err)
		require.Equal(t, want, history, "history on day %d", day)
	}

	require.Equal(t, "2026-06-15", want[0].Day)
	require.Equal(t, 50, want[1].Score)
	require.Equal(t, 57, want[2].Score)
	require.Equal(t, 57, want[4].Score)

	// A window of two days ends with the day of now; a now in the past
	// leaves out the days after it.
	lastTwo, err := churn.History(b.ctx, b.client, acme.ID, now.AddDate(0, 0, 4), 2)
	require.NoError(t, err)
	require.Equal(t, want[3:], lastTwo)
	early, err := churn.History(b.ctx, b.client, acme.ID, now.AddDate(0, 0, 1), 90)
	require.NoError(t, err)
	require.Equal(t, want[:2], early)
}

func TestHistoryTakesLastCalculationOfTheDay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	// The evening calculation is stored first, then a backfilled morning
	// one; the day's point is still the evening one.
	evening, err := churn.Recalculate(b.ctx, b.client, acme.ID, now.Add(6*time.Hour))
	require.NoError(t, err)
	b.signal(t, acme.ID, healthsignal.KeyCSAT_TREND, now.Add(-4*time.Hour), func(c *ent.HealthSignalCreate) { c.SetRawValue(100) })
	morning, err := churn.Recalculate(b.ctx, b.client, acme.ID, now.Add(-3*time.Hour))
	require.NoError(t, err)
	require.NotEqual(t, evening.Score, morning.Score)

	history, err := churn.History(b.ctx, b.client, acme.ID, now, 90)
	require.NoError(t, err)
	require.Len(t, history, 1)
	require.Equal(t, evening.Score, history[0].Score)
	require.True(t, evening.CalculatedAt.Equal(history[0].CalculatedAt))
}

func TestHistoryWindowDropsOldDays(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	for _, at := range []time.Time{now.AddDate(0, 0, -90), now.AddDate(0, 0, -89), now} {
		_, err := churn.Recalculate(b.ctx, b.client, acme.ID, at)
		require.NoError(t, err)
	}

	history, err := churn.History(b.ctx, b.client, acme.ID, now, 90)
	require.NoError(t, err)
	require.Len(t, history, 2, "90 days end today, so they start 89 days ago")
	require.Equal(t, "2026-03-18", history[0].Day)
	require.Equal(t, "2026-06-15", history[1].Day)
}

func TestSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)

	loaded, err := churn.LoadSettings(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	require.Equal(t, churn.DefaultSettings(), loaded)

	require.NoError(t, b.client.Org.UpdateOneID(b.orgID).SetSettings(map[string]any{"icp": map[string]any{"employeeMin": 5.0}}).Exec(b.ctx))
	custom := churn.DefaultSettings()
	custom.Weights[churn.EmployeeGrowth] = 0
	custom.Weights[churn.RenewalProximity] = 10
	custom.Thresholds = churn.Thresholds{LowMax: 25, MediumMax: 70}
	require.NoError(t, churn.SaveSettings(b.ctx, b.client, b.orgID, custom))

	loaded, err = churn.LoadSettings(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	require.Equal(t, custom, loaded)

	org, err := b.client.Org.Get(b.ctx, b.orgID)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"employeeMin": 5.0}, org.Settings["icp"], "other settings are kept")
}

func TestSaveSettingsRejectsInvalid(t *testing.T) {
	t.Parallel()
	b := setup(t)
	invalid := churn.DefaultSettings()
	delete(invalid.Weights, churn.CSATTrend)
	invalid.Weights[churn.OpenTickets] = -1

	err := churn.SaveSettings(b.ctx, b.client, b.orgID, invalid)
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Equal(t, []any{"weights", "OPEN_TICKETS"}, apiErr.Details[0].Path)
	require.Equal(t, []any{"weights", "CSAT_TREND"}, apiErr.Details[1].Path)
	require.Equal(t, []any{"weights"}, apiErr.Details[2].Path)

	org, err := b.client.Org.Get(b.ctx, b.orgID)
	require.NoError(t, err)
	require.NotContains(t, org.Settings, churn.SettingsKey)
}

func TestLoadSettingsFillsMissingParts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.client.Org.UpdateOneID(b.orgID).
		SetSettings(map[string]any{churn.SettingsKey: map[string]any{"thresholds": map[string]any{"lowMax": 10, "mediumMax": 20}}}).
		Exec(b.ctx))

	loaded, err := churn.LoadSettings(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	require.Equal(t, churn.DefaultSettings().Weights, loaded.Weights)
	require.Equal(t, churn.Thresholds{LowMax: 10, MediumMax: 20}, loaded.Thresholds)
}
