package churn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/org"
	"github.com/breadbox/breadbox/internal/auth"
)

// DefaultNightlyInterval is the wait between two runs of RunNightly when it
// is given none.
const DefaultNightlyInterval = 24 * time.Hour

// RecalculateAll recalculates every org's accounts that are not CHURNED, at
// now, with RecalculateOrg, and returns how many accounts succeeded. A failed
// org or account does not stop the others; the returned error joins the
// failures. Cancelling the context stops it between accounts.
func RecalculateAll(ctx context.Context, client *ent.Client, now time.Time) (int, error) {
	everyOrg := auth.WithPrincipal(ctx, &auth.Principal{System: true})
	orgIDs, err := client.Org.Query().Order(ent.Asc(org.FieldID)).IDs(everyOrg)
	if err != nil {
		return 0, fmt.Errorf("listing the orgs: %w", err)
	}

	total := 0
	var failures []error
	for _, orgID := range orgIDs {
		if err := ctx.Err(); err != nil {
			return total, errors.Join(append(failures, err)...)
		}
		recalculated, err := RecalculateOrg(auth.SystemContext(ctx, orgID), client, orgID, now)
		total += recalculated
		if err != nil {
			failures = append(failures, fmt.Errorf("org %s: %w", orgID, err))
		}
	}
	return total, errors.Join(failures...)
}

// RunNightly calls RecalculateAll at start and then once every interval
// (DefaultNightlyInterval when interval is 0 or less) until the context is
// cancelled, and then returns. now gives the calculation time of each run
// (time.Now when nil). Each run is logged with its count and duration, and
// each failure with the error; a failure does not stop later runs.
//
// NOTE: every process that calls RunNightly runs it, so several API nodes
// store several snapshots per account and night. A multi-node deployment
// should run it on one node, or move it to a durable job queue with a
// unique periodic job.
func RunNightly(ctx context.Context, client *ent.Client, interval time.Duration, now func() time.Time, logger *slog.Logger) {
	if interval <= 0 {
		interval = DefaultNightlyInterval
	}
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}

	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	logger.InfoContext(ctx, "churn-risk recalculation scheduler started", slog.Duration("interval", interval))
	for {
		runNightlyOnce(ctx, client, now(), logger)
		select {
		case <-ctx.Done():
			logger.InfoContext(ctx, "churn-risk recalculation scheduler stopped")
			return
		case <-ticker.C:
		}
	}
}

func runNightlyOnce(ctx context.Context, client *ent.Client, at time.Time, logger *slog.Logger) {
	started := time.Now()
	recalculated, err := RecalculateAll(ctx, client, at.UTC().Truncate(time.Millisecond))
	attributes := []any{
		slog.Int("accounts", recalculated),
		slog.Duration("duration", time.Since(started)),
	}
	switch {
	case ctx.Err() != nil:
		// Cancellation during shutdown is not a failure.
		logger.InfoContext(ctx, "churn-risk recalculation interrupted by shutdown", attributes...)
	case err != nil:
		logger.ErrorContext(ctx, "churn-risk recalculation finished with failures", append(attributes, slog.Any("error", err))...)
	default:
		logger.InfoContext(ctx, "churn-risk recalculation finished", attributes...)
	}
}
