package churn

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/database"
)

// Result is one calculation of an account's churn risk.
type Result struct {
	AccountID string `json:"accountId"`
	// Score is the risk, 0 (safe) to 100 (at risk).
	Score        int               `json:"score"`
	Level        Level             `json:"level"`
	Breakdown    []SignalBreakdown `json:"breakdown"`
	CalculatedAt time.Time         `json:"calculatedAt"`
}

// SignalBreakdown is one signal's part of a risk score.
type SignalBreakdown struct {
	Key Signal `json:"key"`
	// Input is the raw measurement the sub-score came from, such as a ticket
	// count or a number of days. It is nil for a pushed sub-score without a
	// raw value and for no data.
	Input    *float64 `json:"input"`
	SubScore int      `json:"subScore"`
	Weight   int      `json:"weight"`
	// Contribution is SubScore × Weight ÷ 100, the health points the signal
	// adds, with two decimals.
	Contribution float64 `json:"contribution"`
	// Source is "touchpoints", "contracts", "pushed:<tool>", "pushed" or
	// "no data".
	Source string `json:"source"`
	// ObservedAt is when the data was observed: the touchpoint's time, the
	// pushed observation's time, or the calculation time for contracts; nil
	// for no data.
	ObservedAt *time.Time `json:"observedAt"`
}

// Compute calculates the account's churn risk at now without storing it. It
// reads as the system inside the caller's org (an account of another org is
// not found) and inside the context's transaction when there is one.
func Compute(ctx context.Context, client *ent.Client, accountID string, now time.Time) (Result, error) {
	client = database.Client(ctx, client)
	scope := callerScope(ctx)
	account, err := client.Account.Get(scope, accountID)
	if err != nil {
		return Result{}, fmt.Errorf("loading account %s: %w", accountID, err)
	}
	return compute(ctx, client, account.OrgID, accountID, now)
}

func compute(ctx context.Context, client *ent.Client, orgID, accountID string, now time.Time) (Result, error) {
	scope, err := orgScope(ctx, orgID)
	if err != nil {
		return Result{}, err
	}
	settings, err := LoadSettings(scope, client, orgID)
	if err != nil {
		return Result{}, err
	}
	data, err := gather(scope, client, accountID, now)
	if err != nil {
		return Result{}, err
	}
	result := Evaluate(data, settings, now)
	result.AccountID = accountID
	return result, nil
}

// AccountData is the input of one account's risk calculation.
type AccountData struct {
	// LastTouchpoint is the time of the latest touchpoint, or nil.
	LastTouchpoint *time.Time
	// LastDecisionMakerTouchpoint is the time of the latest touchpoint with a
	// DECISION_MAKER or CHAMPION contact of the account, or nil.
	LastDecisionMakerTouchpoint *time.Time
	// Renewal is the nearest renewal of an ACTIVE contract, or nil.
	Renewal *Renewal
	// Signals holds the observation in force for each pushed signal.
	Signals map[Signal]*ent.HealthSignal
}

// Renewal is the nearest renewal among an account's ACTIVE contracts.
type Renewal struct {
	// Date is the renewal day, YYYY-MM-DD.
	Date string
	// AutoRenew is true when every contract renewing that day auto-renews.
	AutoRenew bool
}

// gather reads the account's touchpoints, contracts and pushed signals.
func gather(ctx context.Context, client *ent.Client, accountID string, now time.Time) (AccountData, error) {
	data := AccountData{Signals: make(map[Signal]*ent.HealthSignal, len(Signals))}

	var err error
	data.LastTouchpoint, err = lastTouchpoint(ctx, client, now, touchpoint.AccountID(accountID))
	if err != nil {
		return AccountData{}, err
	}

	deciders, err := client.AccountContact.Query().
		Where(
			accountcontact.AccountID(accountID),
			accountcontact.InfluenceIn(accountcontact.InfluenceDECISION_MAKER, accountcontact.InfluenceCHAMPION),
		).
		Select(accountcontact.FieldContactID).
		Strings(ctx)
	if err != nil {
		return AccountData{}, fmt.Errorf("loading the decision makers of account %s: %w", accountID, err)
	}
	if len(deciders) > 0 {
		data.LastDecisionMakerTouchpoint, err = lastTouchpoint(ctx, client, now,
			touchpoint.AccountID(accountID), touchpoint.ContactIDIn(deciders...))
		if err != nil {
			return AccountData{}, err
		}
	}

	contracts, err := client.Contract.Query().
		Where(contract.AccountID(accountID), contract.StatusEQ(contract.StatusACTIVE)).
		All(ctx)
	if err != nil {
		return AccountData{}, fmt.Errorf("loading the active contracts of account %s: %w", accountID, err)
	}
	data.Renewal = nearestRenewal(contracts)

	for _, signal := range Signals {
		observation, err := client.HealthSignal.Query().
			Where(
				healthsignal.AccountID(accountID),
				healthsignal.KeyEQ(healthsignal.Key(signal)),
				healthsignal.ObservedAtLTE(now),
				healthsignal.Or(healthsignal.ExpiresAtIsNil(), healthsignal.ExpiresAtGT(now)),
			).
			Order(ent.Desc(healthsignal.FieldObservedAt), ent.Desc(healthsignal.FieldCreatedAt), ent.Desc(healthsignal.FieldID)).
			First(ctx)
		switch {
		case ent.IsNotFound(err):
			continue
		case err != nil:
			return AccountData{}, fmt.Errorf("loading the %s signal of account %s: %w", signal, accountID, err)
		}
		data.Signals[signal] = observation
	}
	return data, nil
}

// lastTouchpoint returns the time of the latest touchpoint that matches and
// occurred at or before now, or nil.
func lastTouchpoint(ctx context.Context, client *ent.Client, now time.Time, where ...predicate.Touchpoint) (*time.Time, error) {
	latest, err := client.Touchpoint.Query().
		Where(append(where, touchpoint.OccurredAtLTE(now))...).
		Order(ent.Desc(touchpoint.FieldOccurredAt)).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("loading the latest touchpoint: %w", err)
	}
	return &latest.OccurredAt, nil
}

// nearestRenewal returns the earliest renewal date (the end date when a
// contract has none) among the contracts, or nil.
func nearestRenewal(contracts []*ent.Contract) *Renewal {
	var nearest *Renewal
	for _, active := range contracts {
		date := active.RenewalDate
		if date == nil {
			date = active.EndDate
		}
		if date == nil {
			continue
		}
		switch {
		case nearest == nil || *date < nearest.Date:
			nearest = &Renewal{Date: *date, AutoRenew: active.AutoRenew}
		case *date == nearest.Date:
			nearest.AutoRenew = nearest.AutoRenew && active.AutoRenew
		}
	}
	return nearest
}

// Evaluate computes the risk from the account's data with the settings, at
// now. It reads no database, so the rules can be checked on their own.
func Evaluate(data AccountData, settings Settings, now time.Time) Result {
	result := Result{CalculatedAt: now.UTC().Truncate(time.Millisecond)}

	weighted := 0
	for _, signal := range Signals {
		row := evaluateSignal(signal, data, now)
		row.SubScore = clamp(row.SubScore)
		row.Weight = settings.Weights[signal]
		row.Contribution = float64(row.SubScore*row.Weight) / 100
		weighted += row.SubScore * row.Weight
		result.Breakdown = append(result.Breakdown, row)
	}

	// weighted is Σ sub-score × weight, so health × 100; adding 50 before
	// the integer division rounds halves up.
	health := (weighted + 50) / 100
	result.Score = clamp(100 - health)
	result.Level = settings.Thresholds.Level(result.Score)
	return result
}

// evaluateSignal returns the breakdown row of one signal without its weight.
func evaluateSignal(signal Signal, data AccountData, now time.Time) SignalBreakdown {
	switch signal {
	case TouchpointRecency:
		if data.LastTouchpoint != nil {
			return recencyRow(signal, *data.LastTouchpoint, now)
		}
	case DecisionMakerRecency:
		if data.LastDecisionMakerTouchpoint != nil {
			return recencyRow(signal, *data.LastDecisionMakerTouchpoint, now)
		}
	case RenewalProximity:
		if data.Renewal != nil {
			if row, ok := renewalRow(*data.Renewal, now); ok {
				return row
			}
		}
	}

	if observation := data.Signals[signal]; observation != nil {
		if row, ok := pushedRow(signal, observation); ok {
			return row
		}
	}
	return SignalBreakdown{Key: signal, SubScore: NoDataScore, Source: SourceNoData}
}

func recencyRow(signal Signal, last, now time.Time) SignalBreakdown {
	days := max(int(now.Sub(last)/(24*time.Hour)), 0)
	input := float64(days)
	observed := last.UTC()
	return SignalBreakdown{
		Key:        signal,
		Input:      &input,
		SubScore:   RecencyScore(&days),
		Source:     SourceTouchpoints,
		ObservedAt: &observed,
	}
}

func renewalRow(renewal Renewal, now time.Time) (SignalBreakdown, bool) {
	date, err := time.Parse(time.DateOnly, renewal.Date)
	if err != nil {
		return SignalBreakdown{}, false
	}
	today := now.UTC().Truncate(24 * time.Hour)
	days := max(int(date.Sub(today)/(24*time.Hour)), 0)
	input := float64(days)
	observed := now.UTC().Truncate(time.Millisecond)
	return SignalBreakdown{
		Key:        RenewalProximity,
		Input:      &input,
		SubScore:   RenewalProximityScore(&days, renewal.AutoRenew),
		Source:     SourceContracts,
		ObservedAt: &observed,
	}, true
}

// pushedRow maps a pushed observation. It reports false when the
// observation carries neither a sub-score nor a usable raw value.
func pushedRow(signal Signal, observation *ent.HealthSignal) (SignalBreakdown, bool) {
	source := SourcePushed
	if observation.Source != nil && *observation.Source != "" {
		source = SourcePushed + ":" + *observation.Source
	}
	observed := observation.ObservedAt.UTC()
	row := SignalBreakdown{Key: signal, Source: source, ObservedAt: &observed}

	raw, hasRaw := rawValue(signal, observation)
	if hasRaw {
		row.Input = &raw
	}
	switch {
	case observation.SubScore != nil:
		row.SubScore = clamp(*observation.SubScore)
	case hasRaw:
		row.SubScore = scoreRaw(signal, raw, observation.Details)
	default:
		return SignalBreakdown{}, false
	}
	return row, true
}

// rawValue returns the observation's finite raw value. For OPEN_TICKETS
// without one, it returns details.count.
func rawValue(signal Signal, observation *ent.HealthSignal) (float64, bool) {
	if observation.RawValue != nil {
		value := *observation.RawValue
		return value, !math.IsNaN(value) && !math.IsInf(value, 0)
	}
	if signal == OpenTickets {
		return detailNumber(observation.Details, "count")
	}
	return 0, false
}

// scoreRaw maps a finite raw value with the signal's rule.
func scoreRaw(signal Signal, raw float64, details map[string]any) int {
	switch signal {
	case OpenTickets:
		var age *float64
		if value, ok := detailNumber(details, "oldestAgeDays"); ok {
			age = &value
		}
		return OpenTicketsScore(wholeNumber(raw), age)
	case CSATTrend:
		return CSATScore(raw)
	case Utilization:
		return UtilizationScore(raw)
	case TouchpointRecency, DecisionMakerRecency:
		days := max(wholeNumber(raw), 0)
		return RecencyScore(&days)
	case StackStandardization:
		return StackStandardizationScore(raw)
	case PaymentHealth:
		return PaymentHealthScore(raw)
	case RenewalProximity:
		days := max(wholeNumber(raw), 0)
		autoRenew, _ := details["autoRenew"].(bool)
		return RenewalProximityScore(&days, autoRenew)
	case EmployeeGrowth:
		return EmployeeGrowthScore(raw)
	}
	return NoDataScore
}

// wholeNumber drops the fraction of a value, saturating far outside the
// range any rule distinguishes.
func wholeNumber(value float64) int {
	const limit = 1_000_000
	return int(math.Trunc(max(min(value, limit), -limit)))
}

// detailNumber returns a finite number stored under key in a pushed
// signal's details.
func detailNumber(details map[string]any, key string) (float64, bool) {
	var value float64
	switch typed := details[key].(type) {
	case float64:
		value = typed
	case int:
		value = float64(typed)
	case int64:
		value = float64(typed)
	default:
		return 0, false
	}
	return value, !math.IsNaN(value) && !math.IsInf(value, 0)
}
