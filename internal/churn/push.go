package churn

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/rules"
)

// Limits of a pushed observation.
const (
	// MaxSourceLength is the limit of SignalInput.Source, in characters.
	MaxSourceLength = 255
	// MaxClockSkew is how far in the future observedAt may be. An observation
	// from a clock running ahead by up to this much is stored as observed at
	// the time of the push, so the immediate recalculation counts it.
	MaxClockSkew = 5 * time.Minute
	// maxDetailKeys and maxDetailBytes bound the details object.
	maxDetailKeys  = 50
	maxDetailBytes = 16 << 10
)

// RawRange is the plausible range of a signal's raw value, bounds included.
// A value outside it is rejected as a unit or data error of the source.
type RawRange struct {
	Min, Max float64
	// Whole requires a whole number, as for counts and days.
	Whole bool
	// Unit names what the value measures, for error messages.
	Unit string
}

// RawRanges gives the plausible raw values of each signal.
var RawRanges = map[Signal]RawRange{
	OpenTickets:          {Min: 0, Max: 10_000, Whole: true, Unit: "open P1/P2 tickets"},
	CSATTrend:            {Min: 0, Max: 100, Unit: "percent satisfied"},
	Utilization:          {Min: 0, Max: 1_000, Unit: "percent of the hours budget"},
	TouchpointRecency:    {Min: 0, Max: 3_650, Whole: true, Unit: "days since the last touchpoint"},
	DecisionMakerRecency: {Min: 0, Max: 3_650, Whole: true, Unit: "days since the last decision-maker touchpoint"},
	StackStandardization: {Min: 0, Max: 100, Unit: "standardization score"},
	PaymentHealth:        {Min: -3_650, Max: 3_650, Unit: "days the oldest unpaid invoice is overdue"},
	RenewalProximity:     {Min: -3_650, Max: 3_650, Whole: true, Unit: "days until the renewal"},
	EmployeeGrowth:       {Min: -100, Max: 1_000, Unit: "percent change of the employee count"},
}

// SignalInput is one observation of a churn-risk signal as a tool pushes it.
// It carries exactly one of RawValue and SubScore.
type SignalInput struct {
	Key Signal
	// RawValue is the measurement in the unit of RawRanges[Key].
	RawValue *float64
	// SubScore is a health sub-score 0–100 used as it is.
	SubScore *int
	// Source names the tool that observed the value, such as connectwise.
	Source string
	// ObservedAt defaults to the time of the push.
	ObservedAt *time.Time
	// ExpiresAt, when set, ends the observation's use; it must be after
	// ObservedAt.
	ExpiresAt *time.Time
	// Details holds extra facts. OPEN_TICKETS reads oldestAgeDays (a number
	// of days, 0 or more) and RENEWAL_PROXIMITY reads autoRenew (a boolean).
	Details map[string]any
}

// Validate returns a validation_error listing every problem of the input
// with its field path, such as ["subScore"], or nil. now is the time of the
// push, against which observedAt is checked.
func (in SignalInput) Validate(now time.Time) error {
	var details []apierr.Detail
	problem := func(message string, path ...any) {
		details = append(details, apierr.Detail{Path: path, Message: message})
	}

	_, known := RawRanges[in.Key]
	if !known {
		problem(fmt.Sprintf("must be one of %s, got %q", signalList(), in.Key), "key")
	}

	switch {
	case in.RawValue == nil && in.SubScore == nil:
		problem("is required unless subScore is given; send exactly one of rawValue and subScore", "rawValue")
	case in.RawValue != nil && in.SubScore != nil:
		problem("must not be sent together with subScore; send exactly one of them", "rawValue")
	}
	if in.SubScore != nil && (*in.SubScore < 0 || *in.SubScore > 100) {
		problem(fmt.Sprintf("must be a whole number between 0 and 100, got %d", *in.SubScore), "subScore")
	}
	if in.RawValue != nil {
		if message := checkRaw(in.Key, *in.RawValue, known); message != "" {
			problem(message, "rawValue")
		}
	}

	switch source := strings.TrimSpace(in.Source); {
	case source == "":
		problem("is required; name the tool that observed the value, such as connectwise", "source")
	case strings.ContainsRune(in.Source, 0):
		problem("must not contain a NUL character", "source")
	case utf8.RuneCountInString(in.Source) > MaxSourceLength:
		problem(fmt.Sprintf("must be at most %d characters, got %d", MaxSourceLength, utf8.RuneCountInString(in.Source)), "source")
	}

	observedAt := now
	if in.ObservedAt != nil {
		observedAt = *in.ObservedAt
		if observedAt.After(now.Add(MaxClockSkew)) {
			problem(fmt.Sprintf("must not be more than %s in the future, got %s", MaxClockSkew, observedAt.UTC().Format(time.RFC3339)), "observedAt")
		}
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(observedAt) {
		problem(fmt.Sprintf("must be after observedAt (%s)", observedAt.UTC().Format(time.RFC3339)), "expiresAt")
	}

	details = append(details, checkDetails(in.Key, in.Details)...)
	if len(details) > 0 {
		return apierr.Validation(details...)
	}
	return nil
}

// checkRaw returns the problem of a raw value, or "". The range is checked
// only for a known key.
func checkRaw(key Signal, value float64, known bool) string {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return "must be a finite number"
	}
	if !known {
		return ""
	}
	limits := RawRanges[key]
	if value < limits.Min || value > limits.Max {
		return fmt.Sprintf("must be between %g and %g %s for %s, got %g", limits.Min, limits.Max, limits.Unit, key, value)
	}
	if limits.Whole && value != math.Trunc(value) {
		return fmt.Sprintf("must be a whole number of %s for %s, got %g", limits.Unit, key, value)
	}
	return ""
}

// checkDetails returns the problems of the details object.
func checkDetails(key Signal, details map[string]any) []apierr.Detail {
	var problems []apierr.Detail
	problem := func(message string, path ...any) {
		problems = append(problems, apierr.Detail{Path: path, Message: message})
	}
	if len(details) > maxDetailKeys {
		problem(fmt.Sprintf("must have at most %d keys, got %d", maxDetailKeys, len(details)), "details")
		return problems
	}
	if encoded, err := json.Marshal(details); err != nil {
		problem("must be a JSON object of plain values", "details")
		return problems
	} else if len(encoded) > maxDetailBytes {
		problem(fmt.Sprintf("must be at most %d bytes as JSON, got %d", maxDetailBytes, len(encoded)), "details")
		return problems
	} else if rules.ContainsNUL(details) {
		// PostgreSQL's jsonb cannot store the NUL character.
		problem(`must not contain a NUL character (\u0000) in a key or value`, "details")
		return problems
	}

	switch key {
	case OpenTickets:
		if value, present := details["oldestAgeDays"]; present {
			age, isNumber := numberOf(value)
			if !isNumber || age < 0 {
				problem("must be a number of days, 0 or more", "details", "oldestAgeDays")
			}
		}
	case RenewalProximity:
		if value, present := details["autoRenew"]; present {
			if _, isBool := value.(bool); !isBool {
				problem("must be true or false", "details", "autoRenew")
			}
		}
	}
	return problems
}

// numberOf returns a finite number held in a decoded JSON value.
func numberOf(value any) (float64, bool) {
	var number float64
	switch typed := value.(type) {
	case float64:
		number = typed
	case int:
		number = float64(typed)
	case int64:
		number = float64(typed)
	case json.Number:
		parsed, err := typed.Float64()
		if err != nil {
			return 0, false
		}
		number = parsed
	default:
		return 0, false
	}
	return number, !math.IsNaN(number) && !math.IsInf(number, 0)
}

// Pushed is a stored observation with the risk calculated with it.
type Pushed struct {
	Signal    *ent.HealthSignal
	ChurnRisk Result
}

// PushSignal validates and stores one observation of a signal for the
// account, in the context's transaction when it carries one. The stored
// observation queues a recalculation of the account (see package trigger),
// which stores the new score and its snapshot once the debounce has passed.
// It returns the stored observation.
func PushSignal(ctx context.Context, client *ent.Client, accountID string, input SignalInput) (*ent.HealthSignal, error) {
	pushed, err := Push(ctx, client, accountID, input)
	if err != nil {
		return nil, err
	}
	return pushed.Signal, nil
}

// Push is PushSignal that also returns the account's risk calculated with
// the new observation, as the queued recalculation will store it unless
// more data arrives first. The account
// must be in the caller's org (else not_found); storing the observation needs
// the health:write scope, which the tenant policy checks. An observedAt up to
// MaxClockSkew in the future is stored as the time of the push.
func Push(ctx context.Context, client *ent.Client, accountID string, input SignalInput) (Pushed, error) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	if err := input.Validate(now); err != nil {
		return Pushed{}, err
	}
	observedAt := now
	if input.ObservedAt != nil && input.ObservedAt.Before(now) {
		observedAt = input.ObservedAt.UTC().Truncate(time.Millisecond)
	}

	var pushed Pushed
	err := database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		orgID, err := tx.Account.Query().Where(account.ID(accountID)).Select(account.FieldOrgID).String(callerScope(ctx))
		if err != nil {
			if ent.IsNotFound(err) {
				return apierr.NotFoundf("no account has the ID %q", accountID)
			}
			return fmt.Errorf("loading account %s: %w", accountID, err)
		}

		create := tx.HealthSignal.Create().
			SetAccountID(accountID).
			SetKey(healthsignal.Key(input.Key)).
			SetNillableRawValue(input.RawValue).
			SetNillableSubScore(input.SubScore).
			SetSource(input.Source).
			SetObservedAt(observedAt)
		if input.ExpiresAt != nil {
			create.SetExpiresAt(input.ExpiresAt.UTC().Truncate(time.Millisecond))
		}
		if input.Details != nil {
			create.SetDetails(input.Details)
		}
		signal, err := create.Save(ctx)
		if err != nil {
			return fmt.Errorf("storing the %s signal of account %s: %w", input.Key, accountID, err)
		}

		// The stored score follows from the queued recalculation; the
		// response shows the same calculation at once, without storing it.
		risk, err := compute(auth.SystemContext(ctx, orgID), tx, orgID, accountID, now)
		if err != nil {
			return err
		}
		pushed = Pushed{Signal: signal, ChurnRisk: risk}
		return nil
	})
	if err != nil {
		return Pushed{}, err
	}
	return pushed, nil
}
