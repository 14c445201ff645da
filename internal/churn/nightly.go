package churn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/org"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
)

// NightlyJob names the nightly pass in the scheduled_runs table.
const NightlyJob = "churn.nightly"

// errNightClaimed rolls back a claim that lost to another node's.
var errNightClaimed = errors.New("the night is already claimed")

// DefaultNightlyCheck is how often RunNightly looks for an unclaimed night.
const DefaultNightlyCheck = time.Minute

// QueueOrg queues a recalculation, due at dueAt, of every account of the org
// whose lifecycle is not CHURNED, and returns how many it queued.
func QueueOrg(ctx context.Context, client *ent.Client, orgID string, dueAt time.Time) (int, error) {
	scope, err := orgScope(ctx, orgID)
	if err != nil {
		return 0, err
	}
	ids, err := database.Client(ctx, client).Account.Query().
		Where(account.OrgID(orgID), account.LifecycleStatusNEQ(account.LifecycleStatusCHURNED)).
		Order(ent.Asc(account.FieldID)).
		IDs(scope)
	if err != nil {
		return 0, fmt.Errorf("listing the accounts of org %s: %w", orgID, err)
	}
	if err := trigger.Enqueue(ctx, database.Client(ctx, client), orgID, dueAt, ids...); err != nil {
		return 0, err
	}
	return len(ids), nil
}

// ClaimNight claims the nightly pass of the UTC day of at and, when this
// caller is the first, queues every org's accounts that are not CHURNED, due
// at once. The claim and the queued jobs commit in one transaction, so a
// night is either claimed with all its jobs or not claimed at all, and
// exactly one of any number of nodes queues it. It returns whether this
// caller claimed the night and how many accounts it queued.
func ClaimNight(ctx context.Context, client *ent.Client, at time.Time) (bool, int, error) {
	system := auth.WithPrincipal(ctx, &auth.Principal{System: true})
	at = at.UTC().Truncate(time.Millisecond)
	period := at.Format(time.DateOnly)
	runID := NightlyJob + "/" + period

	claimed, queued := false, 0
	err := database.WithTx(system, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		err := tx.ScheduledRun.Create().
			SetID(runID).
			SetJob(NightlyJob).
			SetPeriod(period).
			SetStartedAt(at).
			Exec(ctx)
		switch {
		case ent.IsConstraintError(err):
			// Another node claimed the night first; rolling back leaves its
			// claim as the only one.
			return errNightClaimed
		case err != nil:
			return fmt.Errorf("claiming the churn-risk pass of %s: %w", period, err)
		}

		orgIDs, err := tx.Org.Query().Order(ent.Asc(org.FieldID)).IDs(ctx)
		if err != nil {
			return fmt.Errorf("listing the orgs: %w", err)
		}
		for _, orgID := range orgIDs {
			count, err := QueueOrg(auth.SystemContext(ctx, orgID), client, orgID, at)
			if err != nil {
				return fmt.Errorf("org %s: %w", orgID, err)
			}
			queued += count
		}
		if err := tx.ScheduledRun.UpdateOneID(runID).SetItems(queued).Exec(ctx); err != nil {
			return fmt.Errorf("recording the churn-risk pass of %s: %w", period, err)
		}
		claimed = true
		return nil
	})
	switch {
	case errors.Is(err, errNightClaimed):
		return false, 0, nil
	case err != nil:
		return false, 0, err
	}
	return claimed, queued, nil
}

// NightlyConfig configures RunNightly. Zero values take the defaults.
type NightlyConfig struct {
	// Check is how often the clock is read for a new night; default
	// DefaultNightlyCheck.
	Check time.Duration
	// Now gives the clock; default time.Now. Tests move it.
	Now func() time.Time
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// RunNightly claims each UTC day's churn-risk pass with ClaimNight, at start
// and then every Check, until the context is cancelled. Every serving node
// runs it, but only the first to reach a new day queues its jobs. The
// recalculation queues of all nodes then share the work. A night missed while
// every node was down is claimed at the next start, so a day is never
// skipped while a node runs.
func RunNightly(ctx context.Context, client *ent.Client, config NightlyConfig) {
	if config.Check <= 0 {
		config.Check = DefaultNightlyCheck
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	logger := config.Logger
	if logger == nil {
		logger = slog.Default()
	}

	ticker := time.NewTicker(config.Check)
	defer ticker.Stop()
	logger.InfoContext(ctx, "churn-risk nightly scheduler started", slog.Duration("check", config.Check))
	lastClaimed := ""
	for {
		at := config.Now().UTC()
		if day := at.Format(time.DateOnly); day != lastClaimed {
			if claimNightLogged(ctx, client, at, logger) {
				// Claimed here or elsewhere: this node need not ask again today.
				lastClaimed = day
			}
		}
		select {
		case <-ctx.Done():
			logger.InfoContext(ctx, "churn-risk nightly scheduler stopped")
			return
		case <-ticker.C:
		}
	}
}

// claimNightLogged calls ClaimNight, logs the outcome and reports whether the
// night is settled (claimed by any node).
func claimNightLogged(ctx context.Context, client *ent.Client, at time.Time, logger *slog.Logger) bool {
	claimed, queued, err := ClaimNight(ctx, client, at)
	day := slog.String("day", at.Format(time.DateOnly))
	switch {
	case err != nil && ctx.Err() != nil:
		logger.InfoContext(ctx, "churn-risk nightly pass interrupted by shutdown", day)
		return false
	case err != nil:
		logger.ErrorContext(ctx, "queueing the churn-risk nightly pass failed; trying again at the next check", day, slog.Any("error", err))
		return false
	case claimed:
		logger.InfoContext(ctx, "churn-risk nightly pass queued", day, slog.Int("accounts", queued))
	default:
		logger.DebugContext(ctx, "churn-risk nightly pass already claimed by another node", day)
	}
	return true
}
