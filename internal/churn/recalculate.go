package churn

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
)

// DefaultHistoryDays is the number of days History covers when given none.
const DefaultHistoryDays = 90

// Recalculate computes the account's churn risk at now, stores it as a
// ChurnRiskSnapshot of the UTC day of now, and sets the account's
// churnRiskScore and churnRiskLevel, all in one transaction (the context's,
// when it carries one). The account is written only when its score or level
// changed, so its updatedAt stays still otherwise. Writes run as the system,
// because no API key may write these fields. On PostgreSQL the account row
// stays locked until the transaction ends, so concurrent recalculations of
// one account apply one after the other.
func Recalculate(ctx context.Context, client *ent.Client, accountID string, now time.Time) (Result, error) {
	var result Result
	err := database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		orgID, err := tx.Account.Query().
			Where(account.ID(accountID)).
			Select(account.FieldOrgID).
			Modify(lockRow).
			String(callerScope(ctx))
		if err != nil {
			return fmt.Errorf("locking account %s: %w", accountID, err)
		}
		system := auth.SystemContext(ctx, orgID)

		if result, err = compute(system, tx, orgID, accountID, now); err != nil {
			return err
		}
		if err := storeSnapshot(system, tx, result); err != nil {
			return err
		}

		_, err = tx.Account.Update().
			Where(
				account.ID(accountID),
				account.Or(
					account.ChurnRiskScoreIsNil(),
					account.ChurnRiskScoreNEQ(result.Score),
					account.ChurnRiskLevelIsNil(),
					account.ChurnRiskLevelNEQ(account.ChurnRiskLevel(result.Level)),
				),
			).
			SetChurnRiskScore(result.Score).
			SetChurnRiskLevel(account.ChurnRiskLevel(result.Level)).
			Save(system)
		if err != nil {
			return fmt.Errorf("storing the churn risk of account %s: %w", accountID, err)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return result, nil
}

func storeSnapshot(ctx context.Context, client *ent.Client, result Result) error {
	encoded, err := json.Marshal(result.Breakdown)
	if err != nil {
		return fmt.Errorf("encoding the churn-risk breakdown: %w", err)
	}
	var breakdown []map[string]any
	if err := json.Unmarshal(encoded, &breakdown); err != nil {
		return fmt.Errorf("decoding the churn-risk breakdown: %w", err)
	}

	err = client.ChurnRiskSnapshot.Create().
		SetAccountID(result.AccountID).
		SetScore(result.Score).
		SetLevel(churnrisksnapshot.Level(result.Level)).
		SetBreakdown(breakdown).
		SetCalculatedAt(result.CalculatedAt).
		SetDay(result.CalculatedAt.UTC().Format(time.DateOnly)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("storing the churn-risk snapshot of account %s: %w", result.AccountID, err)
	}
	return nil
}

// HistoryPoint is an account's churn risk on one UTC day.
type HistoryPoint struct {
	// Day is the UTC day, YYYY-MM-DD.
	Day          string    `json:"day"`
	Score        int       `json:"score"`
	Level        Level     `json:"level"`
	CalculatedAt time.Time `json:"calculatedAt"`
}

// History returns the account's churn risk over the last days UTC days,
// ending with the day of now. A days of 0 or less means DefaultHistoryDays.
// Each day that has a snapshot gets one point, from the snapshot calculated
// last that day, oldest day first; days without a snapshot are left out. It
// reads as the system inside the caller's org, so an account of another org
// is not found.
func History(ctx context.Context, client *ent.Client, accountID string, now time.Time, days int) ([]HistoryPoint, error) {
	if days <= 0 {
		days = DefaultHistoryDays
	}
	client = database.Client(ctx, client)
	scope := callerScope(ctx)
	if _, err := client.Account.Query().Where(account.ID(accountID)).OnlyID(scope); err != nil {
		return nil, fmt.Errorf("loading account %s: %w", accountID, err)
	}

	today := now.UTC()
	first := today.AddDate(0, 0, -(days - 1)).Format(time.DateOnly)
	last := today.Format(time.DateOnly)
	snapshots, err := client.ChurnRiskSnapshot.Query().
		Where(
			churnrisksnapshot.AccountID(accountID),
			churnrisksnapshot.DayGTE(first),
			churnrisksnapshot.DayLTE(last),
		).
		Order(
			ent.Asc(churnrisksnapshot.FieldDay),
			ent.Asc(churnrisksnapshot.FieldCalculatedAt),
			ent.Asc(churnrisksnapshot.FieldCreatedAt),
			ent.Asc(churnrisksnapshot.FieldID),
		).
		All(scope)
	if err != nil {
		return nil, fmt.Errorf("loading the churn-risk history of account %s: %w", accountID, err)
	}

	// Snapshots come sorted by day and then time, so the last one seen for
	// a day is the day's point.
	points := make([]HistoryPoint, 0, days)
	for _, snapshot := range snapshots {
		point := HistoryPoint{
			Day:          snapshot.Day,
			Score:        snapshot.Score,
			Level:        Level(snapshot.Level),
			CalculatedAt: snapshot.CalculatedAt.UTC(),
		}
		if n := len(points); n > 0 && points[n-1].Day == point.Day {
			points[n-1] = point
			continue
		}
		points = append(points, point)
	}
	return points, nil
}
