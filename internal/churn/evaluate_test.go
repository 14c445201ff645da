package churn

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/apierr"
)

var evaluatedAt = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func pushedSubScore(signal Signal, subScore int) *ent.HealthSignal {
	return &ent.HealthSignal{Key: healthsignal.Key(signal), SubScore: &subScore, ObservedAt: evaluatedAt.Add(-time.Hour)}
}

func pushedRaw(signal Signal, raw float64, details map[string]any) *ent.HealthSignal {
	return &ent.HealthSignal{Key: healthsignal.Key(signal), RawValue: &raw, Details: details, ObservedAt: evaluatedAt.Add(-time.Hour)}
}

// allPushed returns data whose nine signals all have the same pushed
// sub-score.
func allPushed(subScore int) AccountData {
	data := AccountData{Signals: map[Signal]*ent.HealthSignal{}}
	for _, signal := range Signals {
		data.Signals[signal] = pushedSubScore(signal, subScore)
	}
	return data
}

func rowOf(t *testing.T, result Result, signal Signal) SignalBreakdown {
	t.Helper()
	for _, row := range result.Breakdown {
		if row.Key == signal {
			return row
		}
	}
	t.Fatalf("no breakdown row for %s", signal)
	return SignalBreakdown{}
}

func TestEvaluateWithoutData(t *testing.T) {
	t.Parallel()
	result := Evaluate(AccountData{}, DefaultSettings(), evaluatedAt)

	require.Equal(t, 50, result.Score)
	require.Equal(t, LevelMedium, result.Level)
	require.Len(t, result.Breakdown, 9)
	for i, row := range result.Breakdown {
		require.Equal(t, Signals[i], row.Key)
		require.Equal(t, NoDataScore, row.SubScore)
		require.Equal(t, SourceNoData, row.Source)
		require.Nil(t, row.Input)
		require.Nil(t, row.ObservedAt)
	}
	require.Equal(t, 10.0, rowOf(t, result, OpenTickets).Contribution) // 50 × 20 / 100
	require.Equal(t, 2.5, rowOf(t, result, EmployeeGrowth).Contribution)
}

func TestEvaluateRoundsHealthHalfUp(t *testing.T) {
	t.Parallel()
	// RENEWAL_PROXIMITY 120 days ahead is 80 × 5 = 400; the eight other
	// signals have no data, 50 × 95 = 4,750. Health is 51.5, rounded to 52,
	// so the risk is 48, not 49.
	renewal := evaluatedAt.AddDate(0, 0, 120).Format(time.DateOnly)
	result := Evaluate(AccountData{Renewal: &Renewal{Date: renewal}}, DefaultSettings(), evaluatedAt)

	require.Equal(t, 48, result.Score)
	row := rowOf(t, result, RenewalProximity)
	require.Equal(t, 80, row.SubScore)
	require.Equal(t, 120.0, *row.Input)
	require.Equal(t, SourceContracts, row.Source)
	require.Equal(t, 4.0, row.Contribution)
}

func TestEvaluateLevelBoundaries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		health int
		score  int
		level  Level
	}{
		{100, 0, LevelLow},
		{70, 30, LevelLow},
		{69, 31, LevelMedium},
		{40, 60, LevelMedium},
		{39, 61, LevelHigh},
		{0, 100, LevelHigh},
	}
	for _, tc := range cases {
		result := Evaluate(allPushed(tc.health), DefaultSettings(), evaluatedAt)
		require.Equal(t, tc.score, result.Score, "health %d", tc.health)
		require.Equal(t, tc.level, result.Level, "score %d", tc.score)
	}
}

func TestThresholdsLevel(t *testing.T) {
	t.Parallel()
	defaults := DefaultSettings().Thresholds
	require.Equal(t, LevelLow, defaults.Level(0))
	require.Equal(t, LevelLow, defaults.Level(30))
	require.Equal(t, LevelMedium, defaults.Level(31))
	require.Equal(t, LevelMedium, defaults.Level(60))
	require.Equal(t, LevelHigh, defaults.Level(61))
	require.Equal(t, LevelHigh, defaults.Level(100))

	custom := Thresholds{LowMax: 10, MediumMax: 90}
	require.Equal(t, LevelLow, custom.Level(10))
	require.Equal(t, LevelMedium, custom.Level(11))
	require.Equal(t, LevelMedium, custom.Level(90))
	require.Equal(t, LevelHigh, custom.Level(91))
}

func TestEvaluatePushedSignals(t *testing.T) {
	t.Parallel()
	tool := "connectwise"
	tickets := pushedRaw(OpenTickets, 2, map[string]any{"oldestAgeDays": 9.0})
	tickets.Source = &tool
	both := pushedRaw(Utilization, 200, nil)
	subScore := 85
	both.SubScore = &subScore
	data := AccountData{Signals: map[Signal]*ent.HealthSignal{
		OpenTickets:          tickets,
		CSATTrend:            pushedRaw(CSATTrend, 87.5, nil),
		Utilization:          both,
		StackStandardization: pushedSubScore(StackStandardization, 140),
		PaymentHealth:        pushedRaw(PaymentHealth, 45, nil),
		EmployeeGrowth:       pushedRaw(EmployeeGrowth, -12, nil),
		TouchpointRecency:    pushedRaw(TouchpointRecency, 130.7, nil),
		RenewalProximity:     pushedRaw(RenewalProximity, 20, map[string]any{"autoRenew": true}),
		DecisionMakerRecency: {Key: healthsignal.KeyDECISION_MAKER_RECENCY, ObservedAt: evaluatedAt},
	}}
	result := Evaluate(data, DefaultSettings(), evaluatedAt)

	want := map[Signal]int{
		OpenTickets:          40,  // 2 tickets → 60, the oldest 9 days old → −20
		CSATTrend:            88,  // 87.5 rounded half up
		Utilization:          85,  // the sub-score wins over the raw 200
		StackStandardization: 100, // 140 clamped
		PaymentHealth:        40,  // 45 days overdue
		EmployeeGrowth:       40,  // −12 %
		TouchpointRecency:    40,  // 130 days
		RenewalProximity:     50,  // 20 days → 30, auto-renews → +20
		DecisionMakerRecency: 50,  // neither raw value nor sub-score
	}
	for signal, subScore := range want {
		require.Equal(t, subScore, rowOf(t, result, signal).SubScore, "sub-score of %s", signal)
	}
	require.Equal(t, "pushed:connectwise", rowOf(t, result, OpenTickets).Source)
	require.Equal(t, SourcePushed, rowOf(t, result, CSATTrend).Source)
	require.Equal(t, SourceNoData, rowOf(t, result, DecisionMakerRecency).Source)
	require.Equal(t, 200.0, *rowOf(t, result, Utilization).Input, "the raw value is still shown")
	require.Nil(t, rowOf(t, result, StackStandardization).Input)

	// 40×20 + 88×15 + 85×15 + 40×10 + 50×10 + 100×10 + 40×10 + 50×5 + 40×5
	// = 800 + 1320 + 1275 + 400 + 500 + 1000 + 400 + 250 + 200 = 6145,
	// health 61.45 → 61, risk 39.
	require.Equal(t, 39, result.Score)
	require.Equal(t, LevelMedium, result.Level)
}

func TestEvaluateTicketCountFromDetails(t *testing.T) {
	t.Parallel()
	observation := &ent.HealthSignal{
		Key:        healthsignal.KeyOPEN_TICKETS,
		Details:    map[string]any{"count": 1.0, "oldestAgeDays": 3.0},
		ObservedAt: evaluatedAt,
	}
	result := Evaluate(AccountData{Signals: map[Signal]*ent.HealthSignal{OpenTickets: observation}}, DefaultSettings(), evaluatedAt)

	row := rowOf(t, result, OpenTickets)
	require.Equal(t, 80, row.SubScore)
	require.Equal(t, 1.0, *row.Input)
}

func TestEvaluateBreadboxDataBeatsPushed(t *testing.T) {
	t.Parallel()
	last := evaluatedAt.Add(-10 * 24 * time.Hour)
	data := AccountData{
		LastTouchpoint: &last,
		Signals: map[Signal]*ent.HealthSignal{
			TouchpointRecency: pushedRaw(TouchpointRecency, 400, nil),
		},
	}
	row := rowOf(t, Evaluate(data, DefaultSettings(), evaluatedAt), TouchpointRecency)
	require.Equal(t, 100, row.SubScore)
	require.Equal(t, 10.0, *row.Input)
	require.Equal(t, SourceTouchpoints, row.Source)
	require.True(t, last.Equal(*row.ObservedAt))
}

func TestEvaluateRecencyCountsWholeDays(t *testing.T) {
	t.Parallel()
	// 89 days and 23 hours is still 89 whole days.
	last := evaluatedAt.Add(-(90*24 - 1) * time.Hour)
	row := rowOf(t, Evaluate(AccountData{LastTouchpoint: &last}, DefaultSettings(), evaluatedAt), TouchpointRecency)
	require.Equal(t, 89.0, *row.Input)
	require.Equal(t, 100, row.SubScore)

	last = evaluatedAt.Add(-90 * 24 * time.Hour)
	row = rowOf(t, Evaluate(AccountData{LastTouchpoint: &last}, DefaultSettings(), evaluatedAt), TouchpointRecency)
	require.Equal(t, 70, row.SubScore)
}

func TestNearestRenewal(t *testing.T) {
	t.Parallel()
	date := func(value string) *string { return &value }
	contracts := []*ent.Contract{
		{RenewalDate: date("2026-09-01"), AutoRenew: true},
		{EndDate: date("2026-08-01"), AutoRenew: true},
		{RenewalDate: date("2026-08-01"), AutoRenew: false},
		{AutoRenew: true},
	}
	require.Equal(t, &Renewal{Date: "2026-08-01", AutoRenew: false}, nearestRenewal(contracts))
	require.Nil(t, nearestRenewal(contracts[3:]))
	require.Nil(t, nearestRenewal(nil))
}

// randomWeights splits 100 among the nine signals at random.
func randomWeights(random *rand.Rand) map[Signal]int {
	weights := make(map[Signal]int, len(Signals))
	left := 100
	for i, signal := range Signals {
		if i == len(Signals)-1 {
			weights[signal] = left
			break
		}
		weights[signal] = random.IntN(left + 1)
		left -= weights[signal]
	}
	return weights
}

func randomObservation(random *rand.Rand, signal Signal) *ent.HealthSignal {
	observation := &ent.HealthSignal{Key: healthsignal.Key(signal), ObservedAt: evaluatedAt.Add(-time.Duration(random.IntN(1000)) * time.Hour)}
	if random.IntN(2) == 0 {
		subScore := random.IntN(1001) - 500
		observation.SubScore = &subScore
	}
	if random.IntN(2) == 0 {
		raw := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300}[random.IntN(5)]
		if random.IntN(3) > 0 {
			raw = (random.Float64() - 0.5) * 2000
		}
		observation.RawValue = &raw
	}
	observation.Details = map[string]any{"oldestAgeDays": random.Float64() * 30, "count": float64(random.IntN(10)), "autoRenew": random.IntN(2) == 0}
	return observation
}

func TestEvaluateScoreStaysWithinRange(t *testing.T) {
	t.Parallel()
	random := rand.New(rand.NewPCG(20260615, 1))

	for range 5000 {
		settings := DefaultSettings()
		settings.Weights = randomWeights(random)
		require.NoError(t, settings.Validate())

		data := AccountData{Signals: map[Signal]*ent.HealthSignal{}}
		for _, signal := range Signals {
			if random.IntN(4) > 0 {
				data.Signals[signal] = randomObservation(random, signal)
			}
		}
		if random.IntN(2) == 0 {
			last := evaluatedAt.Add(-time.Duration(random.Int64N(int64(400 * 24 * time.Hour))))
			data.LastTouchpoint = &last
		}
		if random.IntN(2) == 0 {
			last := evaluatedAt.Add(time.Duration(random.Int64N(int64(800*24*time.Hour))) - 400*24*time.Hour)
			data.LastDecisionMakerTouchpoint = &last
		}
		if random.IntN(2) == 0 {
			renewal := evaluatedAt.AddDate(0, 0, random.IntN(800)-200).Format(time.DateOnly)
			data.Renewal = &Renewal{Date: renewal, AutoRenew: random.IntN(2) == 0}
		}

		result := Evaluate(data, settings, evaluatedAt)
		require.GreaterOrEqual(t, result.Score, 0)
		require.LessOrEqual(t, result.Score, 100)
		require.Equal(t, settings.Thresholds.Level(result.Score), result.Level)

		var health float64
		for _, row := range result.Breakdown {
			require.GreaterOrEqual(t, row.SubScore, 0, "sub-score of %s", row.Key)
			require.LessOrEqual(t, row.SubScore, 100, "sub-score of %s", row.Key)
			health += row.Contribution
		}
		require.InDelta(t, float64(100-result.Score), health, 0.5+1e-9, "the contributions add up to the health")
	}
}

func TestSettingsValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, DefaultSettings().Validate())

	zeroed := DefaultSettings()
	zeroed.Weights[OpenTickets] = 0
	zeroed.Weights[CSATTrend] = 35
	require.NoError(t, zeroed.Validate(), "a weight of 0 ignores a signal")

	invalid := Settings{
		Weights: map[Signal]int{
			OpenTickets:          -5,
			Utilization:          15,
			TouchpointRecency:    10,
			DecisionMakerRecency: 10,
			StackStandardization: 10,
			PaymentHealth:        10,
			RenewalProximity:     5,
			EmployeeGrowth:       5,
			"NPS":                10,
		},
		Thresholds: Thresholds{LowMax: 60, MediumMax: 60},
	}
	err := invalid.Validate()
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)

	paths := make([]string, len(apiErr.Details))
	for i, detail := range apiErr.Details {
		paths[i] = apierr.FormatPath(detail.Path)
	}
	require.Equal(t, []string{
		"weights.OPEN_TICKETS",
		"weights.CSAT_TREND",
		"weights.NPS",
		"weights",
		"thresholds.mediumMax",
	}, paths)
	require.Equal(t, []any{"weights", "OPEN_TICKETS"}, apiErr.Details[0].Path)
	require.Equal(t, "must be between 0 and 100, got -5", apiErr.Details[0].Message)
	require.Equal(t, "must add up to 100, got 65", apiErr.Details[3].Message) // −5 + 65
	require.Equal(t, "must be greater than lowMax (60), got 60", apiErr.Details[4].Message)
}

func TestSettingsValidateThresholdRange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		thresholds Thresholds
		paths      []string
	}{
		{"negative lowMax", Thresholds{LowMax: -1, MediumMax: 60}, []string{"thresholds.lowMax"}},
		{"mediumMax of 100 leaves HIGH empty", Thresholds{LowMax: 30, MediumMax: 100}, []string{"thresholds.mediumMax"}},
		{"both out of range", Thresholds{LowMax: 99, MediumMax: 120}, []string{"thresholds.lowMax", "thresholds.mediumMax"}},
		{"reversed", Thresholds{LowMax: 70, MediumMax: 40}, []string{"thresholds.mediumMax"}},
		{"tightest valid", Thresholds{LowMax: 0, MediumMax: 99}, nil},
	}
	for _, tc := range cases {
		settings := DefaultSettings()
		settings.Thresholds = tc.thresholds
		err := settings.Validate()
		if tc.paths == nil {
			require.NoError(t, err, tc.name)
			continue
		}
		apiErr, ok := apierr.As(err)
		require.True(t, ok, "%s: got %v", tc.name, err)
		paths := make([]string, len(apiErr.Details))
		for i, detail := range apiErr.Details {
			paths[i] = apierr.FormatPath(detail.Path)
		}
		require.Equal(t, tc.paths, paths, tc.name)
	}
}

func TestSettingsWeightsCannotOverflowTheSum(t *testing.T) {
	t.Parallel()
	// Four weights of about 2^62 add up to 100 in 64-bit arithmetic.
	huge := DefaultSettings()
	for signal := range huge.Weights {
		huge.Weights[signal] = 0
	}
	huge.Weights[OpenTickets] = 1 << 62
	huge.Weights[CSATTrend] = 1 << 62
	huge.Weights[Utilization] = 1 << 62
	huge.Weights[TouchpointRecency] = 1<<62 + 100

	apiErr, ok := apierr.As(huge.Validate())
	require.True(t, ok)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Equal(t, []any{"weights", "OPEN_TICKETS"}, apiErr.Details[0].Path)
	require.Equal(t, "must be between 0 and 100, got 4611686018427387904", apiErr.Details[0].Message)
}
