package churn_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/churnrecalculation"
	"github.com/breadbox/breadbox/ent/churnrisksnapshot"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/scheduledrun"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
)

// system reads the queue tables, which only the system may see.
var system = auth.WithPrincipal(context.Background(), &auth.Principal{System: true})

// queueAt returns a queue whose clock is the real time moved by offset.
func queueAt(b testBundle, offset time.Duration) *churn.Queue {
	return churn.NewQueue(b.client, churn.QueueConfig{
		Now:    func() time.Time { return time.Now().Add(offset) },
		Logger: slog.New(slog.DiscardHandler),
	})
}

// settle runs every queued recalculation with the clock moved past the
// debounce and returns how many ran.
func settle(t *testing.T, b testBundle) int {
	t.Helper()
	ran, err := queueAt(b, trigger.Debounce).Drain(context.Background())
	require.NoError(t, err)
	return ran
}

func (b testBundle) snapshots(t *testing.T, accountID string) int {
	t.Helper()
	count, err := b.client.ChurnRiskSnapshot.Query().Where(churnrisksnapshot.AccountID(accountID)).Count(system)
	require.NoError(t, err)
	return count
}

func (b testBundle) job(t *testing.T, accountID string) *ent.ChurnRecalculation {
	t.Helper()
	job, err := b.client.ChurnRecalculation.Query().Where(churnrecalculation.ID(accountID)).Only(system)
	if ent.IsNotFound(err) {
		return nil
	}
	require.NoError(t, err)
	return job
}

func TestPushesOfOneSyncAreCalculatedOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	writer := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthWrite)})

	for _, key := range []churn.Signal{churn.OpenTickets, churn.CSATTrend, churn.Utilization} {
		_, err := churn.Push(writer, b.client, acme.ID, churn.SignalInput{Key: key, RawValue: ptr(1.0), Source: "acme-psa"})
		require.NoError(t, err)
	}
	job := b.job(t, acme.ID)
	require.NotNil(t, job)
	require.Equal(t, 2, job.Generation, "the second and third push joined the first one's job")
	require.Equal(t, b.orgID, job.OrgID)

	ran, err := queueAt(b, 0).RunOnce(context.Background())
	require.NoError(t, err)
	require.Zero(t, ran, "the job waits for the debounce")
	require.Zero(t, b.snapshots(t, acme.ID))

	require.Equal(t, 1, settle(t, b))
	require.Equal(t, 1, b.snapshots(t, acme.ID), "three pushes, one calculation")
	require.Nil(t, b.job(t, acme.ID), "a finished job leaves the queue")
}

func TestTriggerInsideARolledBackWriteQueuesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	errAbort := errors.New("abort")

	err := database.WithTx(b.ctx, b.client, func(ctx context.Context) error {
		err := database.Client(ctx, b.client).Touchpoint.Create().SetAccountID(acme.ID).SetType(touchpoint.TypeCALL).Exec(ctx)
		require.NoError(t, err)
		return errAbort
	})
	require.ErrorIs(t, err, errAbort)
	require.Nil(t, b.job(t, acme.ID))

	b.touchpoint(t, acme.ID, "", time.Now())
	require.NotNil(t, b.job(t, acme.ID), "a committed touchpoint queues a job")
}

func TestTriggerDuringARunQueuesTheJobAgain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	b.touchpoint(t, acme.ID, "", time.Now())

	queue := queueAt(b, trigger.Debounce)
	claimed, err := queue.Claim(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)

	// A signal arrives after the claim, while the job runs.
	b.touchpoint(t, acme.ID, "", time.Now())
	queue.RunJob(context.Background(), claimed[0])

	require.Equal(t, 1, b.snapshots(t, acme.ID))
	job := b.job(t, acme.ID)
	require.NotNil(t, job, "the late trigger keeps the job queued")
	require.Nil(t, job.LockedUntil)
	require.Zero(t, job.Attempts)

	// The job is due a debounce after the run that the trigger overtook.
	ran, err := queueAt(b, trigger.Debounce).Drain(context.Background())
	require.NoError(t, err)
	require.Zero(t, ran)
	ran, err = queueAt(b, 2*trigger.Debounce+time.Second).Drain(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, ran)
	require.Equal(t, 2, b.snapshots(t, acme.ID))
	require.Nil(t, b.job(t, acme.ID))
}

func TestAJobOfACrashedWorkerRunsAfterItsLease(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	b.touchpoint(t, acme.ID, "", time.Now())

	// The first worker claims the job and dies without running it.
	claimed, err := queueAt(b, trigger.Debounce).Claim(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)

	ran, err := queueAt(b, trigger.Debounce).Drain(context.Background())
	require.NoError(t, err)
	require.Zero(t, ran, "the lease holds the job")

	ran, err = queueAt(b, trigger.Debounce+2*time.Minute).Drain(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, ran, "another worker takes the job once the lease expired")
	require.Equal(t, 1, b.snapshots(t, acme.ID))
}

func TestTwoWorkersRunEachJobOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := make([]string, 24)
	for i := range ids {
		ids[i] = b.account(t, "Client").ID
	}
	require.NoError(t, trigger.Enqueue(b.ctx, b.client, b.orgID, time.Now(), ids...))

	var workers sync.WaitGroup
	for range 2 {
		workers.Go(func() {
			_, err := queueAt(b, trigger.Debounce).Drain(context.Background())
			require.NoError(t, err)
		})
	}
	workers.Wait()

	for _, accountID := range ids {
		require.Equal(t, 1, b.snapshots(t, accountID), "account %s", accountID)
	}
	left, err := b.client.ChurnRecalculation.Query().Count(system)
	require.NoError(t, err)
	require.Zero(t, left)
}

func TestJobOfADeletedAccountIsDropped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	deleted := b.account(t, "Gone")
	require.NoError(t, trigger.Enqueue(b.ctx, b.client, b.orgID, time.Now(), deleted.ID))
	require.NoError(t, b.client.Account.DeleteOneID(deleted.ID).Exec(b.ctx))

	require.Equal(t, 1, settle(t, b))
	require.Nil(t, b.job(t, deleted.ID))
}

func TestNightIsClaimedByOneNode(t *testing.T) {
	t.Parallel()
	b := setup(t)
	active := b.account(t, "Acme Dental")
	churned, err := b.client.Account.Create().SetName("Initech").SetLifecycleStatus(account.LifecycleStatusCHURNED).Save(b.ctx)
	require.NoError(t, err)
	other, err := admin.CreateOrg(context.Background(), b.client, "Other MSP", "")
	require.NoError(t, err)
	foreign, err := b.client.Account.Create().SetName("Umbrella").Save(auth.SystemContext(context.Background(), other.ID))
	require.NoError(t, err)

	// Four nodes reach the same night at once.
	night := time.Now().UTC()
	var claims sync.WaitGroup
	var mu sync.Mutex
	winners, queued := 0, 0
	for range 4 {
		claims.Go(func() {
			claimed, count, err := churn.ClaimNight(context.Background(), b.client, night)
			if err != nil {
				// SQLite may reject a racing writer; the node tries again at
				// its next check and then finds the night claimed.
				claimed, count, err = churn.ClaimNight(context.Background(), b.client, night)
			}
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			if claimed {
				winners++
				queued = count
			}
		})
	}
	claims.Wait()
	require.Equal(t, 1, winners)
	require.Equal(t, 2, queued)

	require.NotNil(t, b.job(t, active.ID))
	require.NotNil(t, b.job(t, foreign.ID), "every org is queued")
	require.Nil(t, b.job(t, churned.ID), "CHURNED accounts are skipped")
	run, err := b.client.ScheduledRun.Query().Where(scheduledrun.Job(churn.NightlyJob)).Only(system)
	require.NoError(t, err)
	require.Equal(t, night.Format(time.DateOnly), run.Period)
	require.Equal(t, 2, run.Items)

	// The next day is a new night.
	claimed, _, err := churn.ClaimNight(context.Background(), b.client, night.AddDate(0, 0, 1))
	require.NoError(t, err)
	require.True(t, claimed)
}

func TestRunNightlyClaimsEachDayOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	// The clock starts on one day and moves to the next after a few checks.
	start := time.Now().UTC()
	var mu sync.Mutex
	checks := 0
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		checks++
		if checks > 3 {
			return start.AddDate(0, 0, 1)
		}
		return start
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		churn.RunNightly(ctx, b.client, churn.NightlyConfig{Check: 5 * time.Millisecond, Now: clock, Logger: slog.New(slog.DiscardHandler)})
	}()
	require.Eventually(t, func() bool {
		count, err := b.client.ScheduledRun.Query().Count(system)
		require.NoError(t, err)
		return count == 2
	}, 5*time.Second, 5*time.Millisecond)
	cancel()
	<-done

	periods, err := b.client.ScheduledRun.Query().Order(ent.Asc(scheduledrun.FieldPeriod)).Select(scheduledrun.FieldPeriod).Strings(system)
	require.NoError(t, err)
	require.Equal(t, []string{start.Format(time.DateOnly), start.AddDate(0, 0, 1).Format(time.DateOnly)}, periods)
	require.NotNil(t, b.job(t, acme.ID))
}

func TestNewSettingsQueueTheOrg(t *testing.T) {
	t.Parallel()
	b := setup(t)
	active := b.account(t, "Acme Dental")
	churned, err := b.client.Account.Create().SetName("Initech").SetLifecycleStatus(account.LifecycleStatusCHURNED).Save(b.ctx)
	require.NoError(t, err)

	settings := churn.DefaultSettings()
	// A neutral 50 is MEDIUM by default and LOW with these cut-offs.
	settings.Thresholds.LowMax = 55
	settings.Thresholds.MediumMax = 80
	require.NoError(t, churn.SaveSettings(b.ctx, b.client, b.orgID, settings))

	require.NotNil(t, b.job(t, active.ID))
	require.Nil(t, b.job(t, churned.ID))
	require.Equal(t, 1, settle(t, b))
	stored, err := b.client.Account.Get(b.ctx, active.ID)
	require.NoError(t, err)
	require.Equal(t, 50, *stored.ChurnRiskScore)
	require.Equal(t, account.ChurnRiskLevelLOW, *stored.ChurnRiskLevel)
}

func TestQueuedNightsFillTheHistory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	reader := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthRead)})

	// Three nights pass; each is claimed and its queue runs on that day. A
	// touchpoint before the second night moves that day's score.
	first := time.Now().UTC().AddDate(0, 0, -3)
	for day := range 3 {
		night := first.AddDate(0, 0, day)
		if day == 1 {
			b.touchpoint(t, acme.ID, "", night)
		}
		claimed, queued, err := churn.ClaimNight(context.Background(), b.client, night)
		require.NoError(t, err)
		require.True(t, claimed)
		require.Equal(t, 1, queued)
		ran, err := churn.NewQueue(b.client, churn.QueueConfig{
			Now:    func() time.Time { return night.Add(trigger.Debounce) },
			Logger: slog.New(slog.DiscardHandler),
		}).Drain(context.Background())
		require.NoError(t, err)
		require.Equal(t, 1, ran)
	}

	history, err := churn.History(reader, b.client, acme.ID, first.AddDate(0, 0, 2), churn.DefaultHistoryDays)
	require.NoError(t, err)
	require.Len(t, history, 3)
	for day, point := range history {
		require.Equal(t, first.AddDate(0, 0, day).Format(time.DateOnly), point.Day)
	}
	// No data: 50. A touchpoint today: TOUCHPOINT_RECENCY 100 × 10 and 90
	// weight points at 50, health 55, risk 45, on the second and third day.
	require.Equal(t, 50, history[0].Score)
	require.Equal(t, 45, history[1].Score)
	require.Equal(t, 45, history[2].Score)
}

func TestExpiringSignalIsRecalculatedWhenItExpires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	writer := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthWrite)})
	reader := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthRead)})

	// PAYMENT_HEALTH 90 days overdue scores 10: 10 × 10 + 90 × 50 = 4600,
	// health 46, risk 54. Once it expires the account is back at 50.
	expiresAt := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	_, err := churn.Push(writer, b.client, acme.ID, churn.SignalInput{Key: churn.PaymentHealth, RawValue: ptr(90.0), Source: "xero", ExpiresAt: &expiresAt})
	require.NoError(t, err)
	require.Equal(t, 1, settle(t, b))

	job := b.job(t, acme.ID)
	require.NotNil(t, job, "the run queued the expiry")
	require.True(t, expiresAt.Equal(job.DueAt), "due at %s, want %s", job.DueAt, expiresAt)
	current, stored, err := churn.Current(reader, b.client, acme.ID, time.Now())
	require.NoError(t, err)
	require.True(t, stored, "a job waiting for an expiry leaves the stored score current")
	require.Equal(t, 54, current.Score)

	ran, err := queueAt(b, time.Hour+time.Second).Drain(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, ran)
	stored54, err := b.client.Account.Get(b.ctx, acme.ID)
	require.NoError(t, err)
	require.Equal(t, 50, *stored54.ChurnRiskScore, "the expired observation no longer counts")
	require.Nil(t, b.job(t, acme.ID))
}

func TestEarlierTriggerBringsAJobForward(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	later := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	sooner := time.Now().Add(time.Minute).UTC().Truncate(time.Millisecond)

	require.NoError(t, trigger.Enqueue(b.ctx, b.client, b.orgID, later, acme.ID))
	require.NoError(t, trigger.Enqueue(b.ctx, b.client, b.orgID, sooner, acme.ID))
	require.True(t, sooner.Equal(b.job(t, acme.ID).DueAt))
	require.NoError(t, trigger.Enqueue(b.ctx, b.client, b.orgID, later, acme.ID))
	job := b.job(t, acme.ID)
	require.True(t, sooner.Equal(job.DueAt), "a later trigger keeps the earlier due time")
	require.Equal(t, 2, job.Generation)
}

func TestRelationshipAndContractChangesQueueTheAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	person := b.contact(t, acme.ID, "Dana", "")
	require.NotNil(t, b.job(t, acme.ID), "a new relationship queues its account")
	require.Equal(t, 1, settle(t, b))

	link, err := b.client.AccountContact.Query().Where(accountcontact.ContactID(person.ID)).Only(b.ctx)
	require.NoError(t, err)
	require.NoError(t, b.client.AccountContact.UpdateOne(link).SetRole("Office manager").Exec(b.ctx))
	require.Nil(t, b.job(t, acme.ID), "a role does not change the risk")
	require.NoError(t, b.client.AccountContact.UpdateOne(link).SetInfluence(accountcontact.InfluenceDECISION_MAKER).Exec(b.ctx))
	require.NotNil(t, b.job(t, acme.ID), "the influence drives DECISION_MAKER_RECENCY")
	require.Equal(t, 1, settle(t, b))

	// Moving the relationship queues both accounts.
	globex := b.account(t, "Globex Legal")
	require.NoError(t, b.client.AccountContact.Update().Where(accountcontact.ID(link.ID)).SetAccountID(globex.ID).Exec(b.ctx))
	require.NotNil(t, b.job(t, acme.ID))
	require.NotNil(t, b.job(t, globex.ID))
	require.Equal(t, 2, settle(t, b))

	b.contract(t, acme.ID, contract.StatusACTIVE, time.Now().AddDate(0, 0, 20).Format(time.DateOnly), false)
	require.NotNil(t, b.job(t, acme.ID), "a contract drives RENEWAL_PROXIMITY")
	require.Equal(t, 1, settle(t, b))
	_, err = b.client.Contract.Delete().Where(contract.AccountID(acme.ID)).Exec(b.ctx)
	require.NoError(t, err)
	require.NotNil(t, b.job(t, acme.ID), "deleting it too")
}

func TestWritesPostponeTheirJobUpToItsDeadline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")

	require.NoError(t, trigger.EnqueueDebounced(b.ctx, b.client, b.orgID, acme.ID))
	first := b.job(t, acme.ID)
	require.True(t, first.Deadline.Equal(first.DueAt.Add(trigger.MaxWait-trigger.Debounce)), "the deadline is the first write plus the maximum wait")

	time.Sleep(20 * time.Millisecond)
	require.NoError(t, trigger.EnqueueDebounced(b.ctx, b.client, b.orgID, acme.ID))
	second := b.job(t, acme.ID)
	require.True(t, second.DueAt.After(first.DueAt), "a later write postpones the job: %s, then %s", first.DueAt, second.DueAt)
	require.True(t, second.Deadline.Equal(first.Deadline), "the deadline stays")

	// Past its deadline a write no longer postpones the job.
	deadline := time.Now().Add(time.Second).UTC().Truncate(time.Millisecond)
	require.NoError(t, b.client.ChurnRecalculation.UpdateOneID(acme.ID).SetDueAt(deadline.Add(-time.Second)).SetDeadline(deadline).Exec(system))
	require.NoError(t, trigger.EnqueueDebounced(b.ctx, b.client, b.orgID, acme.ID))
	require.True(t, b.job(t, acme.ID).DueAt.Equal(deadline))

	// A job waiting for an expiry is brought forward by a write, with the
	// write's deadline.
	globex := b.account(t, "Globex Legal")
	expiry := time.Now().Add(time.Hour)
	require.NoError(t, trigger.Enqueue(b.ctx, b.client, b.orgID, expiry, globex.ID))
	require.NoError(t, trigger.EnqueueDebounced(b.ctx, b.client, b.orgID, globex.ID))
	job := b.job(t, globex.ID)
	require.True(t, job.DueAt.Before(time.Now().Add(trigger.Debounce+time.Second)))
	require.True(t, job.Deadline.Equal(job.DueAt.Add(trigger.MaxWait-trigger.Debounce)))
}
