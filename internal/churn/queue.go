package churn

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/churnrecalculation"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
)

// Defaults of the recalculation queue.
const (
	defaultQueuePoll        = time.Second
	defaultQueueConcurrency = 2
	defaultQueueLease       = time.Minute
	// maxRetryWait caps the wait before a failed recalculation runs again.
	maxRetryWait = 10 * time.Minute
)

// QueueConfig configures a Queue. Zero values take the defaults.
type QueueConfig struct {
	// Debounce is the wait before a job that a new trigger overtook runs
	// again, and the first wait after a failure; default trigger.Debounce.
	Debounce time.Duration
	// PollInterval is how often the queue is read; default 1 s.
	PollInterval time.Duration
	// Concurrency is the number of recalculations claimed at once; default 2.
	Concurrency int
	// Lease is how long a claimed recalculation stays locked to this
	// worker; default one minute.
	Lease time.Duration
	// Now gives the clock; default time.Now. Tests move it.
	Now func() time.Time
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Queue runs the pending recalculations of every org. Any number of queues,
// in one process or on several nodes, may share a database: each claims a
// recalculation with a conditional UPDATE of its lease, so one job runs on
// one worker at a time.
type Queue struct {
	client *ent.Client
	config QueueConfig
	logger *slog.Logger
}

// NewQueue returns a Queue over the client.
func NewQueue(client *ent.Client, config QueueConfig) *Queue {
	if config.Debounce <= 0 {
		config.Debounce = trigger.Debounce
	}
	if config.PollInterval <= 0 {
		config.PollInterval = defaultQueuePoll
	}
	if config.Concurrency <= 0 {
		config.Concurrency = defaultQueueConcurrency
	}
	if config.Lease <= 0 {
		config.Lease = defaultQueueLease
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	logger := config.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Queue{client: client, config: config, logger: logger}
}

// Run works the queue until the context is cancelled; a recalculation in
// progress then finishes before Run returns.
func (q *Queue) Run(ctx context.Context) {
	q.logger.InfoContext(ctx, "churn-risk recalculation queue started",
		slog.Duration("poll_interval", q.config.PollInterval),
		slog.Int("concurrency", q.config.Concurrency))
	ticker := time.NewTicker(q.config.PollInterval)
	defer ticker.Stop()
	for {
		// A full batch means more may be due, so the next one is read at once.
		ran, err := q.RunOnce(context.WithoutCancel(ctx))
		if err != nil {
			q.logger.ErrorContext(ctx, "claiming churn-risk recalculations failed", slog.Any("error", err))
		}
		if ran == q.config.Concurrency && ctx.Err() == nil {
			continue
		}
		select {
		case <-ctx.Done():
			q.logger.InfoContext(ctx, "churn-risk recalculation queue stopped")
			return
		case <-ticker.C:
		}
	}
}

// RunOnce claims the recalculations that are due, runs them and waits for
// them. It returns how many it claimed. A failed recalculation is logged and
// scheduled again; only a failure to read the queue is returned.
func (q *Queue) RunOnce(ctx context.Context) (int, error) {
	claimed, err := q.claim(ctx, q.config.Concurrency)
	if err != nil {
		return 0, err
	}
	var running sync.WaitGroup
	for _, job := range claimed {
		running.Go(func() { q.run(ctx, job) })
	}
	running.Wait()
	return len(claimed), nil
}

// Drain runs RunOnce until nothing is due, and returns how many
// recalculations ran. Tests use it to settle the queue.
func (q *Queue) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		ran, err := q.RunOnce(ctx)
		total += ran
		if err != nil || ran == 0 {
			return total, err
		}
	}
}

// claim locks up to limit due recalculations for this worker. A candidate is
// claimed only if its UPDATE still finds it unlocked (or its lease expired),
// so two workers never run one job at once.
func (q *Queue) claim(ctx context.Context, limit int) ([]*ent.ChurnRecalculation, error) {
	system := auth.WithPrincipal(ctx, &auth.Principal{System: true})
	now := q.now()
	free := churnrecalculation.Or(churnrecalculation.LockedUntilIsNil(), churnrecalculation.LockedUntilLT(now))
	candidates, err := q.client.ChurnRecalculation.Query().
		Where(churnrecalculation.DueAtLTE(now), free).
		Order(ent.Asc(churnrecalculation.FieldDueAt), ent.Asc(churnrecalculation.FieldID)).
		Limit(limit).
		All(system)
	if err != nil {
		return nil, fmt.Errorf("reading due churn-risk recalculations: %w", err)
	}

	leaseEnd := now.Add(q.config.Lease)
	claimed := make([]*ent.ChurnRecalculation, 0, len(candidates))
	for _, candidate := range candidates {
		locked, err := q.client.ChurnRecalculation.Update().
			Where(churnrecalculation.ID(candidate.ID), churnrecalculation.Generation(candidate.Generation), free).
			SetLockedUntil(leaseEnd).
			Save(system)
		if err != nil {
			return claimed, fmt.Errorf("locking the churn-risk recalculation of account %s: %w", candidate.ID, err)
		}
		if locked == 1 {
			candidate.LockedUntil = &leaseEnd
			claimed = append(claimed, candidate)
		}
	}
	return claimed, nil
}

// run recalculates the job's account and finishes the job in the same
// transaction. When a trigger joined the job while it ran (its generation
// moved), the job stays queued so the new data is calculated too.
func (q *Queue) run(ctx context.Context, job *ent.ChurnRecalculation) {
	logger := q.logger.With(slog.String("org_id", job.OrgID), slog.String("account_id", job.ID))
	system := auth.SystemContext(ctx, job.OrgID)
	now := q.now()

	var result Result
	err := database.WithTx(system, q.client, func(ctx context.Context) error {
		var err error
		if result, err = Recalculate(ctx, q.client, job.ID, now); err != nil {
			return err
		}
		return q.finish(ctx, job, now)
	})
	switch {
	case err == nil:
		logger.DebugContext(ctx, "churn risk recalculated", slog.Int("score", result.Score), slog.String("level", string(result.Level)))
	case ent.IsNotFound(err):
		// The account was deleted after the trigger; nothing is left to score.
		q.forget(system, job, logger)
	default:
		q.retry(system, job, err, logger)
	}
}

// finish removes the job if no trigger joined it since it was claimed, and
// otherwise puts it back in the queue, due after the debounce.
func (q *Queue) finish(ctx context.Context, job *ent.ChurnRecalculation, now time.Time) error {
	tx := database.Client(ctx, q.client)
	removed, err := tx.ChurnRecalculation.Delete().
		Where(churnrecalculation.ID(job.ID), churnrecalculation.Generation(job.Generation)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("removing the finished churn-risk recalculation of account %s: %w", job.ID, err)
	}
	if removed == 1 {
		return q.scheduleExpiry(ctx, tx, job, now)
	}
	err = tx.ChurnRecalculation.UpdateOneID(job.ID).
		ClearLockedUntil().
		SetDueAt(now.Add(q.config.Debounce)).
		SetDeadline(now.Add(trigger.MaxWait)).
		SetAttempts(0).
		ClearLastError().
		Exec(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("requeueing the churn-risk recalculation of account %s: %w", job.ID, err)
	}
	return nil
}

// scheduleExpiry queues the next recalculation of the job's account at the
// moment its next pushed observation expires, so the stored score stops
// counting an expired observation then, not at the next nightly pass.
func (q *Queue) scheduleExpiry(ctx context.Context, tx *ent.Client, job *ent.ChurnRecalculation, now time.Time) error {
	next, err := tx.HealthSignal.Query().
		Where(healthsignal.AccountID(job.ID), healthsignal.ExpiresAtGT(now)).
		Order(ent.Asc(healthsignal.FieldExpiresAt)).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil
	case err != nil:
		return fmt.Errorf("looking for the next expiring signal of account %s: %w", job.ID, err)
	}
	return trigger.Enqueue(ctx, tx, job.OrgID, *next.ExpiresAt, job.ID)
}

// retry schedules a failed job again with a growing wait, and logs the
// failure. The job is never dropped: the nightly pass would queue it again
// anyway, and a later success resets the count.
func (q *Queue) retry(ctx context.Context, job *ent.ChurnRecalculation, cause error, logger *slog.Logger) {
	attempts := job.Attempts + 1
	wait := retryWait(q.config.Debounce, attempts)
	message := cause.Error()
	if runes := []rune(message); len(runes) > 1024 {
		message = string(runes[:1024])
	}
	err := q.client.ChurnRecalculation.UpdateOneID(job.ID).
		Where(churnrecalculation.LockedUntilEQ(*job.LockedUntil)).
		ClearLockedUntil().
		SetAttempts(attempts).
		SetLastError(message).
		SetDueAt(q.now().Add(wait)).
		Exec(ctx)
	logger.ErrorContext(ctx, "churn-risk recalculation failed; retrying later",
		slog.Int("attempts", attempts), slog.Duration("retry_in", wait), slog.Any("error", cause))
	if err != nil && !ent.IsNotFound(err) {
		logger.ErrorContext(ctx, "rescheduling a failed churn-risk recalculation failed; its lease expires instead", slog.Any("error", err))
	}
}

// forget removes the job of an account that no longer exists.
func (q *Queue) forget(ctx context.Context, job *ent.ChurnRecalculation, logger *slog.Logger) {
	_, err := q.client.ChurnRecalculation.Delete().Where(churnrecalculation.ID(job.ID)).Exec(ctx)
	if err != nil {
		logger.ErrorContext(ctx, "removing the recalculation of a deleted account failed", slog.Any("error", err))
		return
	}
	logger.InfoContext(ctx, "dropped the churn-risk recalculation of a deleted account")
}

func (q *Queue) now() time.Time {
	return q.config.Now().UTC().Truncate(time.Millisecond)
}

// retryWait doubles from base with each attempt up to maxRetryWait, and
// varies by up to 20% so failures of many accounts spread out.
func retryWait(base time.Duration, attempts int) time.Duration {
	wait := base
	for i := 1; i < attempts && wait < maxRetryWait; i++ {
		wait *= 2
	}
	wait = min(wait, maxRetryWait)
	jitter := time.Duration(rand.Int64N(int64(wait)/5 + 1))
	return wait - wait/10 + jitter
}
