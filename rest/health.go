package rest

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/predicate"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/pagination"
	"github.com/breadbox/breadbox/internal/render"
)

var healthScoreSorts = []pagination.Field{
	{Name: "score", Column: account.FieldChurnRiskScore, Nullable: true},
	{Name: "name", Column: account.FieldName},
	createdAtField,
	updatedAtField,
}

var churnLevels = []account.ChurnRiskLevel{
	account.ChurnRiskLevelLOW,
	account.ChurnRiskLevelMEDIUM,
	account.ChurnRiskLevelHIGH,
}

// listHealthScores lists the org's accounts with their current churn risk.
// The accounts are read as the system inside the caller's org, because the
// risk is guarded by health:read, not by accounts:read.
func (a *api) listHealthScores(req *request) (result, error) {
	f := newFilters(req)
	var where []predicate.Account
	if level := enumFilter(f, "level", churnLevels); level != "" {
		where = append(where, account.ChurnRiskLevelEQ(level))
	}
	if err := f.err(); err != nil {
		return result{}, err
	}

	scope := orgSystemContext(req)
	client := a.client(req)
	page, err := pagination.Paginate[*ent.AccountQuery, *ent.Account, predicate.Account, account.OrderOption](
		scope, client.Account.Query, where, req.page)
	if err != nil {
		return result{}, err
	}

	ids := make([]string, len(page.Items))
	for i, item := range page.Items {
		ids[i] = item.ID
	}
	calculated, err := churn.LastCalculated(req.ctx(), client, ids)
	if err != nil {
		return result{}, err
	}
	return listOf(page, func(item *ent.Account) render.HealthScoreJSON {
		if at, ok := calculated[item.ID]; ok {
			return render.HealthScore(item, &at)
		}
		return render.HealthScore(item, nil)
	}), nil
}

// getHealthScore returns the account's current churn risk with its
// breakdown, its history over 90 days and the org's settings.
func (a *api) getHealthScore(req *request) (result, error) {
	accountID, err := req.pathParam("accountId", id.Account)
	if err != nil {
		return result{}, err
	}
	now := time.Now()
	client := a.client(req)
	current, stored, err := churn.Current(req.ctx(), client, accountID, now)
	if err != nil {
		return result{}, accountNotFound(err, accountID)
	}
	history, err := churn.History(req.ctx(), client, accountID, now, churn.DefaultHistoryDays)
	if err != nil {
		return result{}, err
	}
	settings, err := churn.LoadSettings(req.ctx(), client, auth.FromContext(req.ctx()).OrgID)
	if err != nil {
		return result{}, err
	}
	return ok(churnRiskDetail(current, stored, history, settings)), nil
}

// pushSignal stores one observation of a churn-risk signal and returns it
// with the account's risk calculated with it.
func (a *api) pushSignal(req *request) (result, error) {
	accountID, err := req.pathParam("accountId", id.Account)
	if err != nil {
		return result{}, err
	}
	b, err := req.object()
	if err != nil {
		return result{}, err
	}
	b.readOnly("id", "accountId", "createdAt", "updatedAt")
	key := text(b, "key", textRule{presence: required, max: 64})
	rawValue := finiteNumber(b, "rawValue")
	// The range 0–100 is checked with the other rules by SignalInput.Validate.
	subScore := integer(b, "subScore", optional, math.MinInt32, math.MaxInt32)
	source := text(b, "source", textRule{presence: required, max: churn.MaxSourceLength})
	observedAt := timestamp(b, "observedAt")
	expiresAt := timestamp(b, "expiresAt")
	details := jsonObject(b, "details")

	input := churn.SignalInput{Key: churn.Signal(key.V), Source: source.V, Details: details.V}
	setOptional(&input.RawValue, rawValue)
	setOptional(&input.SubScore, subScore)
	setOptional(&input.ObservedAt, observedAt)
	setOptional(&input.ExpiresAt, expiresAt)
	// A value sent with the wrong type is already reported; a placeholder
	// keeps Validate from also calling the value missing.
	_, rawSent := b.fields["rawValue"]
	_, subScoreSent := b.fields["subScore"]
	if (rawSent && !rawValue.Set && !rawValue.Null) || (subScoreSent && !subScore.Set && !subScore.Null) {
		if input.RawValue == nil && input.SubScore == nil {
			input.SubScore = new(int)
		}
	}
	if err := mergeProblems(b, input.Validate(time.Now())); err != nil {
		return result{}, err
	}

	pushed, err := a.resolver.Mutation().PushHealthSignal(req.ctx(), accountID, input)
	if err != nil {
		return result{}, accountNotFound(err, accountID)
	}
	return created(pushedSignal(*pushed)), nil
}

// orgSystemContext returns the request's context acting as the system inside
// the caller's org, for computed data whose route scope guards it.
func orgSystemContext(req *request) context.Context {
	return auth.SystemContext(req.ctx(), auth.FromContext(req.ctx()).OrgID)
}

// pathParam returns a path parameter that holds a record ID with the prefix,
// checked as pathID checks {id}.
func (r *request) pathParam(name, prefix string) (string, error) {
	value := chi.URLParam(r.Request, name)
	if !pathIDPattern.MatchString(value) {
		return "", apierr.New(apierr.BadRequest, "the %s in the path is malformed; expected an ID such as %s_01JD…", name, prefix)
	}
	if !id.HasPrefix(value, prefix) {
		return "", apierr.NotFoundf("no record has the ID %q", value)
	}
	return value, nil
}

// accountNotFound turns ent's not-found error of the path's account into
// not_found naming the ID.
func accountNotFound(err error, accountID string) error {
	if ent.IsNotFound(err) {
		return apierr.NotFoundf("no account has the ID %q", accountID)
	}
	return err
}

// mergeProblems returns the body's problems together with those of a
// semantic check, leaving out a semantic problem of a field whose type was
// already wrong, or nil when there are none.
func mergeProblems(b *body, semantic error) error {
	typeErr := b.finish()
	if typeErr == nil {
		return semantic
	}
	merged := append([]apierr.Detail{}, *b.details...)
	if apiErr, isAPIError := apierr.As(semantic); isAPIError {
		for _, detail := range apiErr.Details {
			if !slices.ContainsFunc(merged, func(existing apierr.Detail) bool { return samePath(existing.Path, detail.Path) }) {
				merged = append(merged, detail)
			}
		}
	}
	return apierr.Validation(merged...)
}

func samePath(a, b []any) bool {
	return len(a) > 0 && len(b) > 0 && a[0] == b[0]
}

// finiteNumber reads a JSON number that fits a float64. Text such as "NaN"
// is not a number, and a number beyond the float64 range is rejected.
func finiteNumber(b *body, name string) value[float64] {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return value[float64]{Null: null}
	}
	number, isNumber := jsonNumber(data)
	if !isNumber {
		b.fail(name, "must be a number, not a string or another JSON type")
		return value[float64]{}
	}
	parsed, err := strconv.ParseFloat(number.String(), 64)
	if err != nil || math.IsInf(parsed, 0) || math.IsNaN(parsed) {
		b.fail(name, "must be a finite number, got %s", number)
		return value[float64]{}
	}
	return value[float64]{Set: true, V: parsed}
}

// jsonObject reads a JSON object of any values.
func jsonObject(b *body, name string) value[map[string]any] {
	data, present, null := b.raw(name, optional)
	if !present || null {
		return value[map[string]any]{Null: null}
	}
	var parsed map[string]any
	if err := json.Unmarshal(data, &parsed); err != nil || parsed == nil {
		b.fail(name, "must be a JSON object")
		return value[map[string]any]{}
	}
	return value[map[string]any]{Set: true, V: parsed}
}

// churnRiskDetailJSON is an account's churn risk with its breakdown, its
// daily history and the org's settings.
type churnRiskDetailJSON struct {
	AccountID    string      `json:"accountId"`
	Score        int         `json:"score"`
	Level        churn.Level `json:"level"`
	CalculatedAt render.Time `json:"calculatedAt"`
	// Stored is false when the account was never calculated or a queued
	// recalculation has not run yet. The risk was then calculated for this
	// response only.
	Stored    bool                  `json:"stored"`
	Breakdown []signalBreakdownJSON `json:"breakdown"`
	History   []historyPointJSON    `json:"history"`
	// Settings are the org's current settings. The weights of the
	// breakdown rows are those in force at the calculation.
	Settings churnSettingsJSON `json:"settings"`
}

// signalBreakdownJSON is one signal's part of a churn-risk score.
type signalBreakdownJSON struct {
	Key          churn.Signal `json:"key"`
	Input        *float64     `json:"input"`
	SubScore     int          `json:"subScore"`
	Weight       int          `json:"weight"`
	Contribution float64      `json:"contribution"`
	Source       string       `json:"source"`
	ObservedAt   *render.Time `json:"observedAt"`
}

type historyPointJSON struct {
	Day          string      `json:"day"`
	Score        int         `json:"score"`
	Level        churn.Level `json:"level"`
	CalculatedAt render.Time `json:"calculatedAt"`
}

// churnSettingsJSON holds the weights keyed by signal and the level cut-offs.
type churnSettingsJSON struct {
	Weights    map[churn.Signal]int `json:"weights"`
	Thresholds churn.Thresholds     `json:"thresholds"`
}

func churnRiskDetail(current churn.Result, stored bool, history []churn.HistoryPoint, settings churn.Settings) churnRiskDetailJSON {
	points := make([]historyPointJSON, len(history))
	for i, point := range history {
		points[i] = historyPointJSON{Day: point.Day, Score: point.Score, Level: point.Level, CalculatedAt: render.Time{Time: point.CalculatedAt}}
	}
	return churnRiskDetailJSON{
		AccountID:    current.AccountID,
		Score:        current.Score,
		Level:        current.Level,
		CalculatedAt: render.Time{Time: current.CalculatedAt},
		Stored:       stored,
		Breakdown:    breakdownRows(current.Breakdown),
		History:      points,
		Settings:     churnSettingsJSON{Weights: settings.Weights, Thresholds: settings.Thresholds},
	}
}

func breakdownRows(rows []churn.SignalBreakdown) []signalBreakdownJSON {
	rendered := make([]signalBreakdownJSON, len(rows))
	for i, row := range rows {
		rendered[i] = signalBreakdownJSON{
			Key:          row.Key,
			Input:        row.Input,
			SubScore:     row.SubScore,
			Weight:       row.Weight,
			Contribution: row.Contribution,
			Source:       row.Source,
		}
		if row.ObservedAt != nil {
			rendered[i].ObservedAt = &render.Time{Time: *row.ObservedAt}
		}
	}
	return rendered
}

// pushedSignalJSON is the response to a signal push: the stored observation
// and the account's risk calculated with it.
type pushedSignalJSON struct {
	Signal    render.HealthSignalJSON `json:"signal"`
	ChurnRisk pushedRiskJSON          `json:"churnRisk"`
}

type pushedRiskJSON struct {
	Score        int                   `json:"score"`
	Level        churn.Level           `json:"level"`
	CalculatedAt render.Time           `json:"calculatedAt"`
	Breakdown    []signalBreakdownJSON `json:"breakdown"`
}

func pushedSignal(pushed churn.Pushed) pushedSignalJSON {
	return pushedSignalJSON{
		Signal: render.HealthSignal(pushed.Signal),
		ChurnRisk: pushedRiskJSON{
			Score:        pushed.ChurnRisk.Score,
			Level:        pushed.ChurnRisk.Level,
			CalculatedAt: render.Time{Time: pushed.ChurnRisk.CalculatedAt},
			Breakdown:    breakdownRows(pushed.ChurnRisk.Breakdown),
		},
	}
}
