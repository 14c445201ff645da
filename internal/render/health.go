package render

import (
	"time"

	"github.com/breadbox/breadbox/ent"
)

// HealthSignalJSON is the public shape of a pushed churn-risk observation.
type HealthSignalJSON struct {
	ID         string         `json:"id"`
	AccountID  string         `json:"accountId"`
	Key        string         `json:"key"`
	RawValue   *float64       `json:"rawValue"`
	SubScore   *int           `json:"subScore"`
	Source     *string        `json:"source"`
	ObservedAt Time           `json:"observedAt"`
	ExpiresAt  *Time          `json:"expiresAt"`
	Details    map[string]any `json:"details"`
	CreatedAt  Time           `json:"createdAt"`
	UpdatedAt  Time           `json:"updatedAt"`
}

// HealthSignal renders a pushed observation; details without a value render
// as an empty object.
func HealthSignal(s *ent.HealthSignal) HealthSignalJSON {
	details := s.Details
	if details == nil {
		details = map[string]any{}
	}
	return HealthSignalJSON{
		ID:         s.ID,
		AccountID:  s.AccountID,
		Key:        string(s.Key),
		RawValue:   s.RawValue,
		SubScore:   s.SubScore,
		Source:     s.Source,
		ObservedAt: timeOf(s.ObservedAt),
		ExpiresAt:  optionalTime(s.ExpiresAt),
		Details:    details,
		CreatedAt:  timeOf(s.CreatedAt),
		UpdatedAt:  timeOf(s.UpdatedAt),
	}
}

// CurrentChurnRiskJSON is an account's churn risk with the time of its
// calculation.
type CurrentChurnRiskJSON struct {
	Score        int    `json:"score"`
	Level        string `json:"level"`
	CalculatedAt *Time  `json:"calculatedAt"`
}

// HealthScoreJSON is one row of the list of accounts with their churn risk.
type HealthScoreJSON struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	LifecycleStatus string `json:"lifecycleStatus"`
	// ChurnRisk is null until the account's risk has been calculated.
	ChurnRisk *CurrentChurnRiskJSON `json:"churnRisk"`
}

// HealthScore renders an account's current churn risk. calculatedAt is the
// time of its latest stored calculation, or nil when it is unknown.
func HealthScore(a *ent.Account, calculatedAt *time.Time) HealthScoreJSON {
	rendered := HealthScoreJSON{ID: a.ID, Name: a.Name, LifecycleStatus: string(a.LifecycleStatus)}
	if a.ChurnRiskScore != nil && a.ChurnRiskLevel != nil {
		rendered.ChurnRisk = &CurrentChurnRiskJSON{
			Score:        *a.ChurnRiskScore,
			Level:        string(*a.ChurnRiskLevel),
			CalculatedAt: optionalTime(calculatedAt),
		}
	}
	return rendered
}
