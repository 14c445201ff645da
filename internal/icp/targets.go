package icp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/ent/org"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
)

// SettingsKey is the key of Org.settings under which the ICP targets are
// stored.
const SettingsKey = "icp"

// maxIndustries bounds each industry list, so a lead write never compares
// against an unbounded list.
const maxIndustries = 100

// Targets is an org's ideal customer profile.
type Targets struct {
	// Industries are the target verticals, matched case-insensitively.
	Industries []string `json:"industries"`
	// EmployeeMin and EmployeeMax bound the target employee band, both
	// included.
	EmployeeMin int `json:"employeeMin"`
	EmployeeMax int `json:"employeeMax"`
	// ComplianceIndustries are the industries that count as compliance-driven.
	ComplianceIndustries []string `json:"complianceIndustries"`
}

// DefaultTargets returns the targets of an org that has not set its own.
func DefaultTargets() Targets {
	return Targets{
		Industries:           []string{"healthcare", "legal", "financial services", "accounting", "dental", "manufacturing"},
		EmployeeMin:          10,
		EmployeeMax:          250,
		ComplianceIndustries: []string{"healthcare", "financial services", "legal", "accounting", "dental"},
	}
}

// MaxEmployees bounds the employee band, as the API bounds an employee count.
const MaxEmployees = 100_000_000

// Validate returns a validation_error that lists every problem of the
// targets with its path, such as ["industries", 2], or nil.
func (t Targets) Validate() error {
	var details []apierr.Detail
	details = append(details, validateIndustries("industries", t.Industries)...)
	details = append(details, validateIndustries("complianceIndustries", t.ComplianceIndustries)...)
	// The band is stored as JSON, whose readers lose integers beyond 2^53,
	// so it is bounded as employeeCount is.
	if t.EmployeeMin < 0 || t.EmployeeMin > MaxEmployees {
		details = append(details, apierr.Detail{Path: []any{"employeeMin"}, Message: fmt.Sprintf("must be between 0 and %d, got %d", MaxEmployees, t.EmployeeMin)})
	}
	if t.EmployeeMax > MaxEmployees {
		details = append(details, apierr.Detail{Path: []any{"employeeMax"}, Message: fmt.Sprintf("must be at most %d, got %d", MaxEmployees, t.EmployeeMax)})
	}
	if t.EmployeeMax < t.EmployeeMin {
		details = append(details, apierr.Detail{
			Path:    []any{"employeeMax"},
			Message: fmt.Sprintf("must be at least employeeMin (%d), got %d", t.EmployeeMin, t.EmployeeMax),
		})
	}
	if len(details) > 0 {
		return apierr.Validation(details...)
	}
	return nil
}

func validateIndustries(field string, industries []string) []apierr.Detail {
	var details []apierr.Detail
	if len(industries) > maxIndustries {
		details = append(details, apierr.Detail{Path: []any{field}, Message: fmt.Sprintf("must list at most %d industries, got %d", maxIndustries, len(industries))})
	}
	seen := make(map[string]int, len(industries))
	for i, industry := range industries {
		normalized := normalizeIndustry(industry)
		switch {
		case normalized == "":
			details = append(details, apierr.Detail{Path: []any{field, i}, Message: "must not be empty"})
		case utf8.RuneCountInString(industry) > 255:
			details = append(details, apierr.Detail{Path: []any{field, i}, Message: "must be at most 255 characters"})
		case strings.ContainsRune(industry, 0):
			details = append(details, apierr.Detail{Path: []any{field, i}, Message: "must not contain a NUL character"})
		default:
			if first, duplicate := seen[normalized]; duplicate {
				details = append(details, apierr.Detail{Path: []any{field, i}, Message: fmt.Sprintf("repeats %s[%d] (%q)", field, first, industries[first])})
				continue
			}
			seen[normalized] = i
		}
	}
	return details
}

// LoadTargets returns the org's ICP targets, or DefaultTargets when the org
// has not saved any. Fields missing from the stored value take their default.
// A principal of another org gets not_found.
func LoadTargets(ctx context.Context, client *ent.Client, orgID string) (Targets, error) {
	scope, err := orgScope(ctx, orgID)
	if err != nil {
		return Targets{}, err
	}
	stored, err := client.Org.Get(scope, orgID)
	if err != nil {
		return Targets{}, fmt.Errorf("loading the settings of org %s: %w", orgID, err)
	}
	return targetsOf(stored.Settings, orgID)
}

func targetsOf(settings map[string]any, orgID string) (Targets, error) {
	targets := DefaultTargets()
	stored, ok := settings[SettingsKey]
	if !ok || stored == nil {
		return targets, nil
	}
	encoded, err := json.Marshal(stored)
	if err != nil {
		return Targets{}, fmt.Errorf("encoding the stored ICP targets of org %s: %w", orgID, err)
	}
	if err := json.Unmarshal(encoded, &targets); err != nil {
		return Targets{}, fmt.Errorf("decoding the stored ICP targets of org %s: %w", orgID, err)
	}
	if err := targets.Validate(); err != nil {
		return Targets{}, fmt.Errorf("the stored ICP targets of org %s are invalid; save valid ones: %w", orgID, err)
	}
	return targets, nil
}

// SaveTargets validates the targets, stores them under SettingsKey in the
// org's settings and rescores every lead of the org against them, in one
// transaction (the client's or the context's when there is one). It acts as
// the system, so the caller checks that the principal may change settings.
// Other keys of the settings are kept.
func SaveTargets(ctx context.Context, client *ent.Client, orgID string, targets Targets) error {
	if err := targets.Validate(); err != nil {
		return err
	}
	scope, err := orgScope(ctx, orgID)
	if err != nil {
		return err
	}

	return inTx(scope, client, func(tx *ent.Client) error {
		// Locking the org row first serialises read-modify-writes of the
		// settings, so a concurrent save of another key is not lost.
		if _, err := tx.Org.Query().Where(org.ID(orgID)).Select(org.FieldID).Modify(lockRow).String(scope); err != nil {
			return fmt.Errorf("locking org %s: %w", orgID, err)
		}
		current, err := tx.Org.Get(scope, orgID)
		if err != nil {
			return fmt.Errorf("loading org %s: %w", orgID, err)
		}

		settings := make(map[string]any, len(current.Settings)+1)
		for key, value := range current.Settings {
			settings[key] = value
		}
		settings[SettingsKey] = targets
		if err := tx.Org.UpdateOneID(orgID).SetSettings(settings).Exec(scope); err != nil {
			return fmt.Errorf("storing the ICP targets of org %s: %w", orgID, err)
		}
		return rescoreLeads(scope, tx, orgID, targets)
	})
}

// rescoreLeads stores the score of every lead of the org whose score or
// breakdown differs from the one the targets give.
func rescoreLeads(ctx context.Context, client *ent.Client, orgID string, targets Targets) error {
	leads, err := client.Lead.Query().Where(lead.OrgID(orgID)).All(ctx)
	if err != nil {
		return fmt.Errorf("loading the leads of org %s: %w", orgID, err)
	}
	for _, stored := range leads {
		if err := storeScore(ctx, client, stored, targets); err != nil {
			return err
		}
	}
	return nil
}

// storeScore scores a stored lead and writes the result when it changed,
// without running the ICP hook again.
func storeScore(ctx context.Context, client *ent.Client, stored *ent.Lead, targets Targets) error {
	result := Score(LeadOf(stored), targets)
	breakdown := breakdownJSON(result.Breakdown)
	if stored.IcpScore == result.Score && sameBreakdown(stored.IcpBreakdown, breakdown) {
		return nil
	}
	err := client.Lead.UpdateOneID(stored.ID).
		SetIcpScore(result.Score).
		SetIcpBreakdown(breakdown).
		Exec(withoutHook(ctx))
	if err != nil {
		return fmt.Errorf("storing the ICP score of lead %s: %w", stored.ID, err)
	}
	return nil
}

// sameBreakdown compares a stored breakdown, read back from JSON, with a
// computed one.
func sameBreakdown(stored, computed []map[string]any) bool {
	encoded, err := json.Marshal(computed)
	if err != nil {
		return false
	}
	var decoded []map[string]any
	if err := json.Unmarshal(encoded, &decoded); err != nil {
		return false
	}
	return reflect.DeepEqual(stored, decoded)
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

// inTx runs fn with a transaction's client: the context's transaction, or
// client itself when it belongs to one, or else a new transaction that
// commits when fn returns nil and rolls back otherwise.
func inTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Client) error) (err error) {
	if open := ent.TxFromContext(ctx); open != nil {
		return fn(open.Client())
	}
	tx, err := client.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return fn(client)
	}
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}

	defer func() {
		if recovered := recover(); recovered != nil {
			_ = tx.Rollback()
			panic(recovered)
		}
	}()
	if err := fn(tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing the transaction: %w", err)
	}
	return nil
}

// lockRow makes a SELECT lock the rows it reads until the transaction ends,
// on PostgreSQL. FOR NO KEY UPDATE leaves the key-share locks of inserts that
// reference the org free. SQLite has no row locks; its write transactions
// already exclude each other.
func lockRow(selector *sql.Selector) {
	if selector.Dialect() == dialect.Postgres {
		selector.For(sql.LockNoKeyUpdate)
	}
}
