package demo_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/demo"
)

// TestSeedDatesAndSignalUnits checks three seeds. Contract end dates must fit
// their status on the day the demo runs. Every pushed raw value must lie in
// its signal's range in churn.RawRanges, and every CSAT_TREND value must be
// at least 50 percent satisfied.
func TestSeedDatesAndSignalUnits(t *testing.T) {
	for _, seed := range []uint64{demo.DefaultSeed, 7, 8} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			ctx, client := seeded(t, seed)
			today := time.Now().UTC().Format(time.DateOnly)

			contracts := client.Contract.Query().AllX(ctx)
			for _, c := range contracts {
				switch {
				case c.EndDate == nil:
					t.Errorf("contract %q (%s) has no end date", c.Name, c.Status)
				case c.Status == contract.StatusACTIVE && *c.EndDate <= today:
					t.Errorf("ACTIVE contract %q ends on %s, not after today (%s)", c.Name, *c.EndDate, today)
				case c.Status == contract.StatusEXPIRED && *c.EndDate > today:
					t.Errorf("EXPIRED contract %q ends on %s, after today (%s)", c.Name, *c.EndDate, today)
				}
			}

			signals := client.HealthSignal.Query().AllX(ctx)
			csatCount := 0
			for _, signal := range signals {
				if signal.RawValue == nil {
					continue
				}
				value := *signal.RawValue
				limits, known := churn.RawRanges[churn.Signal(signal.Key)]
				if !known {
					t.Errorf("signal %s of account %s has no raw range", signal.Key, signal.AccountID)
					continue
				}
				if value < limits.Min || value > limits.Max {
					t.Errorf("%s raw value %g of account %s is outside %g to %g %s", signal.Key, value, signal.AccountID, limits.Min, limits.Max, limits.Unit)
				}
				if limits.Whole && value != math.Trunc(value) {
					t.Errorf("%s raw value %g of account %s is not a whole number of %s", signal.Key, value, signal.AccountID, limits.Unit)
				}
				if signal.Key == healthsignal.KeyCSAT_TREND {
					csatCount++
					if value < 50 {
						t.Errorf("CSAT_TREND raw value %g of account %s is below 50 percent satisfied; is it a 1–5 rating?", value, signal.AccountID)
					}
				}
			}
			if csatCount == 0 {
				t.Error("no CSAT_TREND raw value was seeded")
			}
		})
	}
}

// TestSeedDatesNothingInTheFuture checks that no observation, touchpoint or
// churn-risk snapshot is dated after the seeding, whatever the hour: a
// recalculation leaves future data out, so the stored score would disagree
// with the seeded one.
func TestSeedDatesNothingInTheFuture(t *testing.T) {
	ctx, client := seeded(t, demo.DefaultSeed)
	after := time.Now().Add(time.Second)
	for _, signal := range client.HealthSignal.Query().AllX(ctx) {
		if signal.ObservedAt.After(after) {
			t.Errorf("signal %s of account %s is observed at %s, in the future", signal.Key, signal.AccountID, signal.ObservedAt)
		}
	}
	for _, touch := range client.Touchpoint.Query().AllX(ctx) {
		if touch.OccurredAt.After(after) {
			t.Errorf("touchpoint %s occurs at %s, in the future", touch.ID, touch.OccurredAt)
		}
	}
	for _, snapshot := range client.ChurnRiskSnapshot.Query().AllX(ctx) {
		if snapshot.CalculatedAt.After(after) {
			t.Errorf("snapshot of account %s is calculated at %s, in the future", snapshot.AccountID, snapshot.CalculatedAt)
		}
	}
}
