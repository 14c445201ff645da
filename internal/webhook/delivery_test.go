package webhook_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/deliveryattempt"
	"github.com/breadbox/breadbox/ent/webhookendpoint"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/testdb"
	"github.com/breadbox/breadbox/internal/webhook"
	"github.com/breadbox/breadbox/migrate"
)

// createAccount writes an account as a request does and returns it.
func (b *bundle) createAccount(t *testing.T, name string) *ent.Account {
	t.Helper()
	var created *ent.Account
	b.inTx(t, b.ctx, func(ctx context.Context, tx *ent.Client) error {
		var err error
		created, err = tx.Account.Create().SetName(name).Save(ctx)
		return err
	})
	return created
}

// verifyWithNode runs the reference's verifier through Node and reports
// whether it accepted the delivery. It skips the test when node is missing.
func verifyWithNode(t *testing.T, got request, secret string) bool {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH; the TypeScript verifier check needs it")
	}
	bodyFile := filepath.Join(t.TempDir(), "body.json")
	require.NoError(t, os.WriteFile(bodyFile, got.body, 0o600))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	output, err := exec.CommandContext(ctx, node, "testdata/verify.mjs", bodyFile, got.header.Get(webhook.HeaderSignature), secret).CombinedOutput()
	verdict := strings.TrimSpace(string(output))
	require.Contains(t, []string{"true", "false"}, verdict, "node output: %s (%v)", output, err)
	return verdict == "true"
}

func TestDeliverySignature(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	endpoint := b.endpoint(t, hooks.URL(), webhook.AllEvents)
	b.startWorker(t, b.client)

	b.createAccount(t, "Signed Ltd")
	got := hooks.next(t)

	header := got.header.Get(webhook.HeaderSignature)
	require.Regexp(t, `^t=\d+,v1=[0-9a-f]{64}$`, header)
	require.NoError(t, webhook.VerifySignature(header, got.body, endpoint.Secret, webhook.DefaultTolerance, time.Now()))
	require.ErrorIs(t, webhook.VerifySignature(header, got.body, "whsec_wrong", webhook.DefaultTolerance, time.Now()), webhook.ErrSignatureMismatch)
	require.ErrorIs(t, webhook.VerifySignature(header, append([]byte(" "), got.body...), endpoint.Secret, webhook.DefaultTolerance, time.Now()), webhook.ErrSignatureMismatch)
	require.ErrorIs(t, webhook.VerifySignature(header, got.body, endpoint.Secret, webhook.DefaultTolerance, time.Now().Add(10*time.Minute)), webhook.ErrSignatureStale)

	timestamp, _, err := webhook.ParseSignatureHeader(header)
	require.NoError(t, err)
	require.Equal(t, strconv.FormatInt(timestamp, 10), got.header.Get(webhook.HeaderLegacyTimestamp))
	require.Equal(t, webhook.SignLegacy(endpoint.Secret, got.body), got.header.Get(webhook.HeaderLegacySignature))

	require.True(t, verifyWithNode(t, got, endpoint.Secret), "the reference verifier must accept the delivery")
	require.False(t, verifyWithNode(t, got, "whsec_wrong"))
}

func TestRotationOverlapSignsWithBothSecrets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	original := b.endpoint(t, hooks.URL(), webhook.AllEvents)
	b.startWorker(t, b.client)

	rotated, err := b.manager.RotateSecret(b.system, b.orgID, original.Endpoint.ID, time.Hour)
	require.NoError(t, err)
	require.NotEqual(t, original.Secret, rotated.Secret)

	b.createAccount(t, "Rotating Ltd")
	got := hooks.next(t)
	header := got.header.Get(webhook.HeaderSignature)
	require.Regexp(t, `^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$`, header)
	require.NoError(t, webhook.VerifySignature(header, got.body, rotated.Secret, webhook.DefaultTolerance, time.Now()))
	require.NoError(t, webhook.VerifySignature(header, got.body, original.Secret, webhook.DefaultTolerance, time.Now()))
	// The legacy header carries the current secret's signature only.
	require.Equal(t, webhook.SignLegacy(rotated.Secret, got.body), got.header.Get(webhook.HeaderLegacySignature))
	// The reference verifier reads the last v1, the previous secret's, so
	// receivers that have not switched yet keep working.
	require.True(t, verifyWithNode(t, got, original.Secret))

	// Without an overlap the previous secret stops signing at once.
	retired, err := b.manager.RotateSecret(b.system, b.orgID, original.Endpoint.ID, 0)
	require.NoError(t, err)
	b.createAccount(t, "Retired Ltd")
	got = hooks.next(t)
	header = got.header.Get(webhook.HeaderSignature)
	require.Regexp(t, `^t=\d+,v1=[0-9a-f]{64}$`, header)
	require.NoError(t, webhook.VerifySignature(header, got.body, retired.Secret, webhook.DefaultTolerance, time.Now()))
	require.ErrorIs(t, webhook.VerifySignature(header, got.body, rotated.Secret, webhook.DefaultTolerance, time.Now()), webhook.ErrSignatureMismatch)
}

func TestRetriesFollowSchedule(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Fail twice, then accept.
	hooks := newReceiver(t, func(number int) int {
		if number <= 2 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	worker := b.startWorker(t, b.client)

	b.createAccount(t, "Flaky Receiver Inc")
	attempts := []recordedAttempt{worker.nextAttempt(t), worker.nextAttempt(t), worker.nextAttempt(t)}

	require.Equal(t, delivery.StatePENDING, attempts[0].state)
	require.Equal(t, delivery.StatePENDING, attempts[1].state)
	require.Equal(t, delivery.StateSUCCEEDED, attempts[2].state)
	for i, got := range attempts {
		require.Equal(t, i+1, got.attempt.Number)
	}
	require.Equal(t, http.StatusServiceUnavailable, *attempts[0].attempt.Status)
	require.Contains(t, *attempts[0].attempt.Error, "503")
	require.Equal(t, `{"received":true}`, *attempts[0].attempt.ResponseExcerpt)
	require.True(t, attempts[2].attempt.Succeeded)

	// Each retry waits at least its scheduled wait less the 20% jitter.
	firstWait := attempts[1].attempt.CreatedAt.Sub(attempts[0].attempt.CreatedAt)
	secondWait := attempts[2].attempt.CreatedAt.Sub(attempts[1].attempt.CreatedAt)
	require.GreaterOrEqual(t, firstWait, 8*time.Millisecond)
	require.GreaterOrEqual(t, secondWait, 16*time.Millisecond)

	deliveries := b.deliveries(t)
	require.Len(t, deliveries, 1)
	require.Equal(t, delivery.StateSUCCEEDED, deliveries[0].State)
	require.Equal(t, 3, deliveries[0].Attempts)
	require.NotNil(t, deliveries[0].CompletedAt)
	require.Nil(t, deliveries[0].LockedUntil)
	require.Len(t, []request{hooks.next(t), hooks.next(t), hooks.next(t)}, 3)
	hooks.empty(t)
}

func TestRetryWaitJitter(t *testing.T) {
	t.Parallel()
	schedule := []time.Duration{time.Minute, 5 * time.Minute}
	for range 200 {
		first := webhook.RetryWait(schedule, 1)
		require.GreaterOrEqual(t, first, 48*time.Second)
		require.LessOrEqual(t, first, 72*time.Second)
		// Attempts beyond the schedule repeat its last wait.
		late := webhook.RetryWait(schedule, 4)
		require.GreaterOrEqual(t, late, 4*time.Minute)
		require.LessOrEqual(t, late, 6*time.Minute)
	}
}

func TestFailedDeliveriesDisableEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, func(int) int { return http.StatusInternalServerError })
	endpoint := b.endpoint(t, hooks.URL(), webhook.AllEvents)
	worker := b.startWorker(t, b.client)

	for i := range webhook.DisableAfter {
		b.createAccount(t, "Doomed "+strconv.Itoa(i))
		final := worker.settle(t, 1)
		require.Equal(t, delivery.StateFAILED, final[0].state)
		require.Equal(t, webhook.MaxAttempts, final[0].attempt.Number)

		stored, err := b.manager.Get(b.system, b.orgID, endpoint.Endpoint.ID)
		require.NoError(t, err)
		require.Equal(t, i+1, stored.ConsecutiveFailures)
		if i+1 < webhook.DisableAfter {
			require.Equal(t, webhookendpoint.StateENABLED, stored.State)
		}
	}

	disabled, err := b.manager.Get(b.system, b.orgID, endpoint.Endpoint.ID)
	require.NoError(t, err)
	require.Equal(t, webhookendpoint.StateDISABLED, disabled.State)
	require.NotNil(t, disabled.DisabledReason)
	require.Contains(t, *disabled.DisabledReason, "5 consecutive failed deliveries")
	require.Contains(t, *disabled.DisabledReason, "500")

	attempts, err := b.client.DeliveryAttempt.Query().Where(deliveryattempt.OrgID(b.orgID)).Count(b.system)
	require.NoError(t, err)
	require.Equal(t, webhook.DisableAfter*webhook.MaxAttempts, attempts)

	// A disabled endpoint gets no new deliveries; its failed events stay
	// redeliverable once it is enabled.
	b.createAccount(t, "While disabled")
	require.Len(t, b.deliveries(t), webhook.DisableAfter)

	hooks.mu.Lock()
	hooks.respond = func(int) int { return http.StatusOK }
	hooks.mu.Unlock()
	enabled, err := b.manager.Enable(b.system, b.orgID, endpoint.Endpoint.ID)
	require.NoError(t, err)
	require.Zero(t, enabled.ConsecutiveFailures)
	require.Nil(t, enabled.DisabledReason)

	redelivered, err := b.manager.RedeliverFailed(b.system, b.orgID, endpoint.Endpoint.ID, time.Time{})
	require.NoError(t, err)
	require.Len(t, redelivered, webhook.DisableAfter)
	for _, final := range worker.settle(t, webhook.DisableAfter) {
		require.Equal(t, delivery.StateSUCCEEDED, final.state)
	}
}

func TestSuccessResetsFailureCount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	failing := true
	var mu sync.Mutex
	hooks := newReceiver(t, func(int) int {
		mu.Lock()
		defer mu.Unlock()
		if failing {
			return http.StatusBadGateway
		}
		return http.StatusNoContent
	})
	endpoint := b.endpoint(t, hooks.URL(), webhook.AllEvents)
	worker := b.startWorker(t, b.client)

	b.createAccount(t, "First")
	require.Equal(t, delivery.StateFAILED, worker.settle(t, 1)[0].state)
	mu.Lock()
	failing = false
	mu.Unlock()
	b.createAccount(t, "Second")
	require.Equal(t, delivery.StateSUCCEEDED, worker.settle(t, 1)[0].state)

	stored, err := b.manager.Get(b.system, b.orgID, endpoint.Endpoint.ID)
	require.NoError(t, err)
	require.Zero(t, stored.ConsecutiveFailures)
}

func TestRedirectIsFailure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, func(number int) int {
		if number == 1 {
			return http.StatusFound
		}
		return http.StatusOK
	})
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	worker := b.startWorker(t, b.client)

	b.createAccount(t, "Moved Permanently Ltd")
	first := worker.nextAttempt(t)
	require.False(t, first.attempt.Succeeded)
	require.Equal(t, http.StatusFound, *first.attempt.Status)
	require.Contains(t, *first.attempt.Error, "redirect")
	require.Equal(t, delivery.StatePENDING, first.state)

	second := worker.nextAttempt(t)
	require.Equal(t, delivery.StateSUCCEEDED, second.state)
	// Both requests went to the endpoint's own URL; the Location was never
	// followed.
	require.Len(t, []request{hooks.next(t), hooks.next(t)}, 2)
	hooks.empty(t)
}

func TestRedeliverEvent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	worker := b.startWorker(t, b.client)

	b.createAccount(t, "Replay Ltd")
	original := hooks.next(t)
	worker.settle(t, 1)
	eventID := original.header.Get(webhook.HeaderEventID)

	scheduled, err := b.manager.Redeliver(b.system, b.orgID, eventID)
	require.NoError(t, err)
	require.Len(t, scheduled, 1)
	again := hooks.next(t)
	require.Equal(t, eventID, again.header.Get(webhook.HeaderEventID))
	require.Equal(t, string(original.body), string(again.body), "a redelivery sends the stored payload byte for byte")
	require.Equal(t, delivery.StateSUCCEEDED, worker.settle(t, 1)[0].state)

	_, err = b.manager.Redeliver(b.system, b.orgID, "evt_1_deadbeef")
	require.ErrorContains(t, err, "not found")
}

func TestRedeliverFailedSince(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var mu sync.Mutex
	status := http.StatusInternalServerError
	hooks := newReceiver(t, func(int) int {
		mu.Lock()
		defer mu.Unlock()
		return status
	})
	endpoint := b.endpoint(t, hooks.URL(), webhook.AllEvents)
	worker := b.startWorker(t, b.client)

	b.createAccount(t, "Early failure")
	worker.settle(t, 1)
	// The second event is created after the first one's five attempts and
	// their waits, so it is strictly later than the first.
	b.createAccount(t, "Late failure")
	worker.settle(t, 1)
	late := b.events(t)[1]
	require.Equal(t, webhook.AccountCreated, late.Type)
	cutoff := late.CreatedAt

	mu.Lock()
	status = http.StatusOK
	mu.Unlock()
	for range 2 * webhook.MaxAttempts {
		hooks.next(t)
	}

	scheduled, err := b.manager.RedeliverFailed(b.system, b.orgID, endpoint.Endpoint.ID, cutoff)
	require.NoError(t, err)
	require.Len(t, scheduled, 1)
	got := hooks.next(t)
	require.Equal(t, "Late failure", got.data(t)["name"])
	require.Equal(t, delivery.StateSUCCEEDED, worker.settle(t, 1)[0].state)

	// Delivered events are not redelivered again.
	scheduled, err = b.manager.RedeliverFailed(b.system, b.orgID, endpoint.Endpoint.ID, cutoff)
	require.NoError(t, err)
	require.Empty(t, scheduled)
}

func TestGuardBlocksLoopbackDelivery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	connects := make(chan string, 10)
	worker := b.startWorker(t, b.client, func(config *webhook.WorkerConfig) {
		config.AllowPrivate = false
		config.Dialer = &webhook.GuardedDialer{OnConnect: func(address string) { connects <- address }}
	})

	b.createAccount(t, "Loopback target")
	first := worker.nextAttempt(t)
	require.False(t, first.attempt.Succeeded)
	require.Nil(t, first.attempt.Status)
	require.Contains(t, *first.attempt.Error, "loopback")
	require.Contains(t, *first.attempt.Error, "BREADBOX_WEBHOOK_ALLOW_PRIVATE")
	hooks.empty(t)
	require.Empty(t, connects, "no socket may connect to a blocked address")
}

func TestTwoWorkersSendEachDeliveryOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	hooks := newReceiver(t, nil)
	b.endpoint(t, hooks.URL(), webhook.AllEvents)

	const accounts = 20
	for i := range accounts {
		b.createAccount(t, "Account "+strconv.Itoa(i))
	}
	first := b.startWorker(t, b.client)
	second := b.startWorker(t, b.client)

	seen := make(map[string]bool, accounts)
	for range accounts {
		got := hooks.next(t)
		eventID := got.header.Get(webhook.HeaderEventID)
		require.False(t, seen[eventID], "event %s was sent twice", eventID)
		seen[eventID] = true
	}
	settled := 0
	for settled < accounts {
		select {
		case got := <-first.attempts:
			require.Equal(t, delivery.StateSUCCEEDED, got.state)
			settled++
		case got := <-second.attempts:
			require.Equal(t, delivery.StateSUCCEEDED, got.state)
			settled++
		case <-time.After(signalTimeout):
			t.Fatalf("only %d of %d deliveries settled", settled, accounts)
		}
	}
	attempts, err := b.client.DeliveryAttempt.Query().Where(deliveryattempt.OrgID(b.orgID)).Count(b.system)
	require.NoError(t, err)
	require.Equal(t, accounts, attempts)
	hooks.empty(t)
}

func TestDeliveriesSurviveRestart(t *testing.T) {
	t.Parallel()
	url := testdb.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	open := func() *database.DB {
		db, err := database.Open(ctx, url)
		require.NoError(t, err)
		require.NoError(t, migrate.Apply(ctx, db.SQL, db.Dialect))
		return db
	}

	// Before the restart: an endpoint and an event, and no worker running.
	hooks := newReceiver(t, nil)
	before := open()
	b := setupOn(t, before)
	b.endpoint(t, hooks.URL(), webhook.AllEvents)
	created := b.createAccount(t, "Survivor Inc")
	require.Len(t, b.deliveries(t), 1)
	require.NoError(t, before.Close())

	after := open()
	t.Cleanup(func() { _ = after.Close() })
	restarted := bundleFor(t, ctx, after, b.orgID)
	worker := restarted.startWorker(t, after.Client)

	got := hooks.next(t)
	require.Equal(t, webhook.AccountCreated, got.header.Get(webhook.HeaderEvent))
	require.Equal(t, created.ID, got.data(t)["id"])
	require.Equal(t, delivery.StateSUCCEEDED, worker.settle(t, 1)[0].state)
}

func TestWorkerStopFinishesInFlightAttempt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	slow := newReceiver(t, func(int) int {
		arrived <- struct{}{}
		<-release
		return http.StatusOK
	})
	b.endpoint(t, slow.URL(), webhook.AllEvents)

	attempts := make(chan recordedAttempt, 1)
	worker := webhook.NewWorker(b.client, webhook.WorkerConfig{
		Secrets:      b.secrets,
		AllowPrivate: true,
		PollInterval: 5 * time.Millisecond,
		OnAttempt: func(attempt *ent.DeliveryAttempt, state delivery.State) {
			attempts <- recordedAttempt{attempt: attempt, state: state}
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		worker.Run(ctx)
		close(stopped)
	}()

	b.createAccount(t, "Slow receiver")
	select {
	case <-arrived:
	case <-time.After(signalTimeout):
		t.Fatal("the delivery never arrived")
	}
	cancel()
	select {
	case <-stopped:
		t.Fatal("Run returned while an attempt was in flight")
	default:
	}
	close(release)

	select {
	case <-stopped:
	case <-time.After(signalTimeout):
		t.Fatal("Run did not return after the attempt finished")
	}
	got := <-attempts
	require.Equal(t, delivery.StateSUCCEEDED, got.state)
}
