package churn

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/org"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
)

// SettingsKey is the key of Org.settings under which the churn-risk settings
// are stored.
const SettingsKey = "churnRisk"

// Settings are an org's churn-risk weights and level cut-offs.
type Settings struct {
	// Weights gives each of the nine signals a weight; they add up to 100.
	Weights map[Signal]int `json:"weights"`
	// Thresholds are the upper bounds of the LOW and MEDIUM levels.
	Thresholds Thresholds `json:"thresholds"`
}

// Thresholds are the level cut-offs: a score up to LowMax is LOW, up to
// MediumMax is MEDIUM, and above it HIGH. 0 ≤ LowMax < MediumMax < 100, so
// every level covers at least one score.
type Thresholds struct {
	LowMax    int `json:"lowMax"`
	MediumMax int `json:"mediumMax"`
}

// DefaultSettings returns the settings of an org that has not saved its own:
// the weights of the package table and LOW 0–30, MEDIUM 31–60, HIGH 61–100.
func DefaultSettings() Settings {
	return Settings{
		Weights: map[Signal]int{
			OpenTickets:          20,
			CSATTrend:            15,
			Utilization:          15,
			TouchpointRecency:    10,
			DecisionMakerRecency: 10,
			StackStandardization: 10,
			PaymentHealth:        10,
			RenewalProximity:     5,
			EmployeeGrowth:       5,
		},
		Thresholds: Thresholds{LowMax: 30, MediumMax: 60},
	}
}

// Level returns the level of a risk score.
func (t Thresholds) Level(score int) Level {
	switch {
	case score <= t.LowMax:
		return LevelLow
	case score <= t.MediumMax:
		return LevelMedium
	}
	return LevelHigh
}

// Validate returns a validation_error that lists every problem of the
// settings with its path, such as ["weights", "OPEN_TICKETS"], or nil.
func (s Settings) Validate() error {
	var details []apierr.Detail
	problem := func(message string, path ...any) {
		details = append(details, apierr.Detail{Path: path, Message: message})
	}

	sum := 0
	for _, signal := range Signals {
		weight, ok := s.Weights[signal]
		switch {
		case !ok:
			problem("is missing; every signal needs a weight, 0 to ignore it", "weights", string(signal))
		case weight < 0 || weight > 100:
			// A weight out of range is left out of the sum, so huge
			// weights cannot overflow it into a false 100.
			problem(fmt.Sprintf("must be between 0 and 100, got %d", weight), "weights", string(signal))
			continue
		}
		sum += weight
	}
	var unknown []string
	for signal := range s.Weights {
		if !slices.Contains(Signals, signal) {
			unknown = append(unknown, string(signal))
		}
	}
	slices.Sort(unknown)
	for _, key := range unknown {
		problem(fmt.Sprintf("is not a churn-risk signal; use one of %s", signalList()), "weights", key)
	}
	if sum != 100 {
		problem(fmt.Sprintf("must add up to 100, got %d", sum), "weights")
	}

	lowMax, mediumMax := s.Thresholds.LowMax, s.Thresholds.MediumMax
	if lowMax < 0 || lowMax > 98 {
		problem(fmt.Sprintf("must be between 0 and 98, got %d", lowMax), "thresholds", "lowMax")
	}
	if mediumMax > 99 {
		problem(fmt.Sprintf("must be at most 99, so HIGH covers at least 100, got %d", mediumMax), "thresholds", "mediumMax")
	}
	if mediumMax <= lowMax {
		problem(fmt.Sprintf("must be greater than lowMax (%d), got %d", lowMax, mediumMax), "thresholds", "mediumMax")
	}

	if len(details) > 0 {
		return apierr.Validation(details...)
	}
	return nil
}

func signalList() string {
	names := make([]string, len(Signals))
	for i, signal := range Signals {
		names[i] = string(signal)
	}
	return strings.Join(names, ", ")
}

// LoadSettings returns the org's churn-risk settings, or DefaultSettings when
// it has saved none. A part missing from the stored value (weights or
// thresholds) takes its default. A principal of another org gets not_found.
func LoadSettings(ctx context.Context, client *ent.Client, orgID string) (Settings, error) {
	scope, err := orgScope(ctx, orgID)
	if err != nil {
		return Settings{}, err
	}
	stored, err := database.Client(ctx, client).Org.Get(scope, orgID)
	if err != nil {
		return Settings{}, fmt.Errorf("loading the settings of org %s: %w", orgID, err)
	}
	return settingsOf(stored.Settings, orgID)
}

func settingsOf(orgSettings map[string]any, orgID string) (Settings, error) {
	settings := DefaultSettings()
	raw, ok := orgSettings[SettingsKey]
	if !ok || raw == nil {
		return settings, nil
	}

	var stored struct {
		Weights    map[Signal]int `json:"weights"`
		Thresholds *Thresholds    `json:"thresholds"`
	}
	encoded, err := json.Marshal(raw)
	if err != nil {
		return Settings{}, fmt.Errorf("encoding the stored churn-risk settings of org %s: %w", orgID, err)
	}
	if err := json.Unmarshal(encoded, &stored); err != nil {
		return Settings{}, fmt.Errorf("decoding the stored churn-risk settings of org %s: %w", orgID, err)
	}
	if stored.Weights != nil {
		settings.Weights = stored.Weights
	}
	if stored.Thresholds != nil {
		settings.Thresholds = *stored.Thresholds
	}
	if err := settings.Validate(); err != nil {
		return Settings{}, fmt.Errorf("the stored churn-risk settings of org %s are invalid; save valid ones: %w", orgID, err)
	}
	return settings, nil
}

// SaveSettings validates the settings and stores them under SettingsKey in
// the org's settings, keeping the other keys. It acts as the system, so the
// caller checks that the principal may change settings. In the same
// transaction it queues a recalculation of every account of the org that is
// not CHURNED, so the stored scores take the new weights and cut-offs once
// the queue has run them.
func SaveSettings(ctx context.Context, client *ent.Client, orgID string, settings Settings) error {
	if err := settings.Validate(); err != nil {
		return err
	}
	scope, err := orgScope(ctx, orgID)
	if err != nil {
		return err
	}

	return database.WithTx(scope, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		// Locking the org row first serialises read-modify-writes of the
		// settings, so a concurrent save of another key is not lost.
		if _, err := tx.Org.Query().Where(org.ID(orgID)).Select(org.FieldID).Modify(lockRow).String(ctx); err != nil {
			return fmt.Errorf("locking org %s: %w", orgID, err)
		}
		current, err := tx.Org.Get(ctx, orgID)
		if err != nil {
			return fmt.Errorf("loading org %s: %w", orgID, err)
		}

		merged := make(map[string]any, len(current.Settings)+1)
		for key, value := range current.Settings {
			merged[key] = value
		}
		merged[SettingsKey] = settings
		if err := tx.Org.UpdateOneID(orgID).SetSettings(merged).Exec(ctx); err != nil {
			return fmt.Errorf("storing the churn-risk settings of org %s: %w", orgID, err)
		}
		_, err = QueueOrg(ctx, client, orgID, time.Now().Add(trigger.Debounce))
		return err
	})
}

// orgScope returns a context acting as the system inside orgID. A principal
// of another org gets not_found, as for any record outside its org.
func orgScope(ctx context.Context, orgID string) (context.Context, error) {
	principal := auth.FromContext(ctx)
	if principal != nil && principal.OrgID != "" && principal.OrgID != orgID {
		return nil, apierr.NotFoundf("org %s was not found", orgID)
	}
	return auth.SystemContext(ctx, orgID), nil
}

// callerScope returns a context acting as the system inside the caller's
// org: the risk is derived data that the health scopes guard at the API, not
// the scopes of the records it reads. With no principal or an org-less
// system principal (maintenance jobs) it reads every org.
func callerScope(ctx context.Context) context.Context {
	principal := auth.FromContext(ctx)
	if principal == nil || principal.OrgID == "" {
		return auth.WithPrincipal(ctx, &auth.Principal{System: true})
	}
	return auth.SystemContext(ctx, principal.OrgID)
}

// lockRow makes a SELECT lock the rows it reads until the transaction ends,
// on PostgreSQL. FOR NO KEY UPDATE leaves the key-share locks of inserts that
// reference the row free. SQLite has no row locks; its write transactions
// already exclude each other.
func lockRow(selector *sql.Selector) {
	if selector.Dialect() == dialect.Postgres {
		selector.For(sql.LockNoKeyUpdate)
	}
}
