package churn

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/churnrecalculation"
	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
)

// Current returns the account's current churn risk: its latest stored
// calculation with the breakdown. When the account was never calculated, or
// a queued recalculation has not run yet, it returns a calculation at now
// that is not stored (stored is then false). So a read right after a signal
// push already counts the signal. It reads as the system inside the caller's
// org, so an account of another org is not found.
func Current(ctx context.Context, client *ent.Client, accountID string, now time.Time) (result Result, stored bool, err error) {
	client = database.Client(ctx, client)
	scope := callerScope(ctx)
	if _, err := client.Account.Query().Where(account.ID(accountID)).OnlyID(scope); err != nil {
		return Result{}, false, fmt.Errorf("loading account %s: %w", accountID, err)
	}

	// A job due within the debounce was triggered by a write. A job due
	// later waits for an observation to expire, so until then the stored
	// calculation is current.
	pending, err := client.ChurnRecalculation.Query().
		Where(churnrecalculation.ID(accountID), churnrecalculation.DueAtLTE(now.Add(trigger.Debounce))).
		Exist(scope)
	if err != nil {
		return Result{}, false, fmt.Errorf("looking for a queued recalculation of account %s: %w", accountID, err)
	}
	if pending {
		result, err := Compute(ctx, client, accountID, now)
		return result, false, err
	}

	latest, err := client.ChurnRiskSnapshot.Query().
		Where(churnrisksnapshot.AccountID(accountID)).
		Order(
			ent.Desc(churnrisksnapshot.FieldCalculatedAt),
			ent.Desc(churnrisksnapshot.FieldCreatedAt),
			ent.Desc(churnrisksnapshot.FieldID),
		).
		First(scope)
	switch {
	case ent.IsNotFound(err):
		result, err := Compute(ctx, client, accountID, now)
		return result, false, err
	case err != nil:
		return Result{}, false, fmt.Errorf("loading the latest churn risk of account %s: %w", accountID, err)
	}

	result, err = resultOf(latest)
	if err != nil {
		return Result{}, false, err
	}
	return result, true, nil
}

// resultOf reads a stored snapshot back as a Result.
func resultOf(snapshot *ent.ChurnRiskSnapshot) (Result, error) {
	result := Result{
		AccountID:    snapshot.AccountID,
		Score:        snapshot.Score,
		Level:        Level(snapshot.Level),
		CalculatedAt: snapshot.CalculatedAt.UTC(),
		Breakdown:    []SignalBreakdown{},
	}
	encoded, err := json.Marshal(snapshot.Breakdown)
	if err != nil {
		return Result{}, fmt.Errorf("encoding the breakdown of snapshot %s: %w", snapshot.ID, err)
	}
	if err := json.Unmarshal(encoded, &result.Breakdown); err != nil {
		return Result{}, fmt.Errorf("decoding the breakdown of snapshot %s: %w", snapshot.ID, err)
	}
	if result.Breakdown == nil {
		result.Breakdown = []SignalBreakdown{}
	}
	return result, nil
}

// LastCalculated returns the time of the latest calculation of each of the
// accounts that has one. It reads as the system inside the caller's org and
// sends two queries whatever the number of accounts: the latest day per
// account, then the snapshots of those days.
func LastCalculated(ctx context.Context, client *ent.Client, accountIDs []string) (map[string]time.Time, error) {
	latest := make(map[string]time.Time, len(accountIDs))
	if len(accountIDs) == 0 {
		return latest, nil
	}
	client = database.Client(ctx, client)
	scope := callerScope(ctx)

	var days []struct {
		AccountID string `json:"account_id"`
		Day       string `json:"day"`
	}
	err := client.ChurnRiskSnapshot.Query().
		Where(churnrisksnapshot.AccountIDIn(accountIDs...)).
		GroupBy(churnrisksnapshot.FieldAccountID).
		Aggregate(func(s *sql.Selector) string {
			return sql.As(sql.Max(s.C(churnrisksnapshot.FieldDay)), churnrisksnapshot.FieldDay)
		}).
		Scan(scope, &days)
	if err != nil {
		return nil, fmt.Errorf("loading the latest churn-risk days: %w", err)
	}
	if len(days) == 0 {
		return latest, nil
	}

	lastDay := make(map[string]string, len(days))
	distinctDays := make([]string, 0, len(days))
	seen := make(map[string]bool, len(days))
	for _, row := range days {
		lastDay[row.AccountID] = row.Day
		if !seen[row.Day] {
			seen[row.Day] = true
			distinctDays = append(distinctDays, row.Day)
		}
	}

	snapshots, err := client.ChurnRiskSnapshot.Query().
		Where(
			churnrisksnapshot.AccountIDIn(accountIDs...),
			churnrisksnapshot.DayIn(distinctDays...),
		).
		Select(churnrisksnapshot.FieldAccountID, churnrisksnapshot.FieldDay, churnrisksnapshot.FieldCalculatedAt).
		All(scope)
	if err != nil {
		return nil, fmt.Errorf("loading the latest churn-risk snapshots: %w", err)
	}
	for _, snapshot := range snapshots {
		if snapshot.Day != lastDay[snapshot.AccountID] {
			continue
		}
		if current, ok := latest[snapshot.AccountID]; !ok || snapshot.CalculatedAt.After(current) {
			latest[snapshot.AccountID] = snapshot.CalculatedAt.UTC()
		}
	}
	return latest, nil
}
