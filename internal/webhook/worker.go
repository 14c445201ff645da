package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/webhookendpoint"
	"github.com/breadbox/breadbox/internal/auth"
)

// Limits and defaults of delivery.
const (
	// MaxAttempts is the number of attempts of one delivery before it fails.
	MaxAttempts = 5
	// DisableAfter is the number of consecutive failed deliveries, with no
	// success between them, that disables an endpoint.
	DisableAfter = 5
	// AttemptTimeout bounds one attempt: a 2xx must arrive within it.
	AttemptTimeout = 10 * time.Second

	defaultPollInterval = time.Second
	defaultConcurrency  = 4
	// excerptLimit bounds the stored excerpt of a receiver's response.
	excerptLimit = 1024
)

// DefaultSchedule lists the waits before the second to fifth attempts. When a
// schedule is shorter than the attempts, its last wait repeats.
var DefaultSchedule = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}

// WorkerConfig configures a Worker. Zero values take the defaults.
type WorkerConfig struct {
	// Secrets decrypts the endpoints' signing secrets.
	Secrets *SecretBox
	// AllowPrivate lets deliveries reach loopback and private addresses
	// (BREADBOX_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
	// Schedule lists the waits between attempts
	// (BREADBOX_WEBHOOK_RETRY_SCHEDULE); default DefaultSchedule. Each wait
	// varies by up to 20% either way so retries of many deliveries spread
	// out.
	Schedule []time.Duration
	// PollInterval is how often the queue is read when no commit in this
	// process woke the worker; default 1 s.
	PollInterval time.Duration
	// Concurrency is the number of attempts in flight; default 4.
	Concurrency int
	// Timeout bounds one attempt; default AttemptTimeout.
	Timeout time.Duration
	// Lease is how long a claimed delivery stays locked to this worker;
	// default Timeout plus one minute.
	Lease time.Duration
	// Dialer connects to receivers; default a GuardedDialer with
	// AllowPrivate.
	Dialer *GuardedDialer
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// OnAttempt, when set, is called with every attempt after it was
	// recorded and committed, for metrics and tests.
	OnAttempt func(attempt *ent.DeliveryAttempt, state delivery.State)
}

// Worker sends the PENDING deliveries of every org. Any number of workers,
// in one process or on several nodes, may share a database: each claims a
// delivery with a conditional UPDATE of its lease, so one attempt is sent
// once.
type Worker struct {
	client *ent.Client
	config WorkerConfig
	http   *http.Client
	logger *slog.Logger
}

// NewWorker returns a worker over client.
func NewWorker(client *ent.Client, config WorkerConfig) *Worker {
	if len(config.Schedule) == 0 {
		config.Schedule = DefaultSchedule
	}
	if config.PollInterval <= 0 {
		config.PollInterval = defaultPollInterval
	}
	if config.Concurrency <= 0 {
		config.Concurrency = defaultConcurrency
	}
	if config.Timeout <= 0 {
		config.Timeout = AttemptTimeout
	}
	if config.Lease <= config.Timeout {
		config.Lease = config.Timeout + time.Minute
	}
	if config.Dialer == nil {
		config.Dialer = &GuardedDialer{AllowPrivate: config.AllowPrivate}
	}
	logger := config.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Worker{client: client, config: config, http: newHTTPClient(config), logger: logger}
}

// newHTTPClient returns the client of deliveries: every connection passes
// the dialer's guard, no proxy from the environment is used (it would
// connect on the guard's behalf), and redirects are returned, not followed,
// so they count as failures.
func newHTTPClient(config WorkerConfig) *http.Client {
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           config.Dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   config.Timeout,
		ResponseHeaderTimeout: config.Timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   config.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Run sends due deliveries until ctx ends, then waits for the attempts in
// flight to finish, so a graceful stop loses no attempt.
func (w *Worker) Run(ctx context.Context) {
	wake, unsubscribe := subscribeWakeups()
	defer unsubscribe()
	w.logger.InfoContext(ctx, "webhook worker started",
		"concurrency", w.config.Concurrency, "poll_interval", w.config.PollInterval.String())

	// Attempts outlive ctx: a stop lets them finish within their timeout.
	attemptCtx := context.WithoutCancel(ctx)
	slots := make(chan struct{}, w.config.Concurrency)
	finished := make(chan struct{}, w.config.Concurrency)
	var inFlight sync.WaitGroup
	timer := time.NewTimer(0)
	defer timer.Stop()

	for {
		select {
		case <-ctx.Done():
			inFlight.Wait()
			w.logger.Info("webhook worker stopped")
			return
		case <-wake:
		case <-finished:
		case <-timer.C:
		}

		free := w.config.Concurrency - len(slots)
		if free > 0 {
			claimed, err := w.claim(ctx, free)
			if err != nil && ctx.Err() == nil {
				w.logger.ErrorContext(ctx, "claiming webhook deliveries failed", "error", err)
			}
			for _, due := range claimed {
				slots <- struct{}{}
				inFlight.Go(func() {
					defer func() {
						<-slots
						select {
						case finished <- struct{}{}:
						default:
						}
					}()
					w.attempt(attemptCtx, due)
				})
			}
		}
		timer.Reset(w.config.PollInterval)
	}
}

// RunOnce claims the deliveries that are due now, sends them and waits for
// the results. It returns the number of attempts made.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	claimed, err := w.claim(ctx, w.config.Concurrency)
	if err != nil {
		return 0, err
	}
	var attempts sync.WaitGroup
	for _, due := range claimed {
		attempts.Go(func() { w.attempt(ctx, due) })
	}
	attempts.Wait()
	return len(claimed), nil
}

// claim locks up to limit due deliveries of ENABLED endpoints for this
// worker. Each lock is an UPDATE that matches only while the delivery is
// still PENDING, unlocked (or its lease expired) and at the attempt count it
// was read with. Of two workers racing for a delivery exactly one wins, on
// SQLite and on PostgreSQL alike.
func (w *Worker) claim(ctx context.Context, limit int) ([]*ent.Delivery, error) {
	ctx = auth.SystemContext(ctx, "")
	now := time.Now().UTC().Truncate(time.Millisecond)
	candidates, err := w.client.Delivery.Query().
		Where(
			delivery.StateEQ(delivery.StatePENDING),
			delivery.NextAttemptAtLTE(now),
			delivery.Or(delivery.LockedUntilIsNil(), delivery.LockedUntilLT(now)),
			delivery.HasEndpointWith(webhookendpoint.StateEQ(webhookendpoint.StateENABLED)),
		).
		Order(ent.Asc(delivery.FieldNextAttemptAt), ent.Asc(delivery.FieldID)).
		Limit(limit).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the due deliveries: %w", err)
	}

	leaseEnd := now.Add(w.config.Lease)
	claimed := make([]*ent.Delivery, 0, len(candidates))
	for _, candidate := range candidates {
		locked, err := w.client.Delivery.Update().
			Where(
				delivery.ID(candidate.ID),
				delivery.StateEQ(delivery.StatePENDING),
				delivery.Attempts(candidate.Attempts),
				delivery.Or(delivery.LockedUntilIsNil(), delivery.LockedUntilLT(now)),
			).
			SetLockedUntil(leaseEnd).
			Save(ctx)
		if err != nil {
			return claimed, fmt.Errorf("locking delivery %s: %w", candidate.ID, err)
		}
		if locked == 1 {
			candidate.LockedUntil = &leaseEnd
			claimed = append(claimed, candidate)
		}
	}
	return claimed, nil
}

// outcome is the result of one HTTP attempt.
type outcome struct {
	status    *int
	latency   time.Duration
	excerpt   string
	err       error
	sentAt    time.Time
	succeeded bool
}

// attempt sends one claimed delivery and records the result.
func (w *Worker) attempt(ctx context.Context, due *ent.Delivery) {
	ctx = auth.SystemContext(ctx, "")
	logger := w.logger.With("delivery_id", due.ID, "event_id", due.EventID,
		"endpoint_id", due.EndpointID, "org_id", due.OrgID, "attempt", due.Attempts+1)

	recorded, err := w.client.Event.Get(ctx, due.EventID)
	if err != nil {
		logger.ErrorContext(ctx, "loading the event of a webhook delivery failed", "error", err)
		w.release(ctx, due)
		return
	}
	endpoint, err := w.client.WebhookEndpoint.Get(ctx, due.EndpointID)
	if err != nil {
		logger.ErrorContext(ctx, "loading the endpoint of a webhook delivery failed", "error", err)
		w.release(ctx, due)
		return
	}
	if endpoint.State != webhookendpoint.StateENABLED {
		// Disabled after the claim: the delivery waits for Enable.
		w.release(ctx, due)
		return
	}

	result := w.send(ctx, endpoint, recorded)
	if err := w.record(ctx, due, endpoint, result, logger); err != nil {
		logger.ErrorContext(ctx, "recording a webhook attempt failed", "error", err)
	}
}

// send POSTs the event's stored payload to the endpoint, signed afresh.
func (w *Worker) send(ctx context.Context, endpoint *ent.WebhookEndpoint, recorded *ent.Event) outcome {
	result := outcome{sentAt: time.Now()}
	secrets, err := w.secrets(endpoint, result.sentAt)
	if err != nil {
		result.err = err
		return result
	}

	ctx, cancel := context.WithTimeout(ctx, w.config.Timeout)
	defer cancel()
	request, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint.URL, bytes.NewReader(recorded.Payload))
	if err != nil {
		result.err = fmt.Errorf("building the request: %w", err)
		return result
	}
	timestamp := result.sentAt.Unix()
	request.Header.Set("Content-Type", "application/json")
	request.Header.Set("User-Agent", UserAgent)
	request.Header.Set(HeaderEvent, recorded.Type)
	request.Header.Set(HeaderEventID, recorded.ID)
	request.Header.Set(HeaderSignature, SignatureHeader(timestamp, recorded.Payload, secrets...))
	request.Header.Set(HeaderLegacySignature, SignLegacy(secrets[0], recorded.Payload))
	request.Header.Set(HeaderLegacyTimestamp, strconv.FormatInt(timestamp, 10))

	response, err := w.http.Do(request)
	result.latency = time.Since(result.sentAt)
	if err != nil {
		result.err = err
		return result
	}
	defer response.Body.Close()

	status := response.StatusCode
	result.status = &status
	excerpt, readErr := io.ReadAll(io.LimitReader(response.Body, excerptLimit))
	result.excerpt = cleanText(string(excerpt), excerptLimit)
	// Reading a little more lets the connection be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(response.Body, 64<<10))

	switch {
	case status >= 200 && status < 300:
		result.succeeded = true
	case status >= 300 && status < 400:
		result.err = fmt.Errorf("the receiver responded with status %d, a redirect to %q; redirects are not followed, so point the endpoint at the final URL", status, response.Header.Get("Location"))
	default:
		result.err = fmt.Errorf("the receiver responded with status %d", status)
	}
	if readErr != nil && result.succeeded {
		result.succeeded = false
		result.err = fmt.Errorf("reading the response: %w", readErr)
	}
	return result
}

// secrets returns the endpoint's signing secrets: the current one, and the
// previous one while its rotation overlap lasts.
func (w *Worker) secrets(endpoint *ent.WebhookEndpoint, now time.Time) ([]string, error) {
	current, err := w.config.Secrets.Open(endpoint.SecretCiphertext)
	if err != nil {
		return nil, err
	}
	secrets := []string{current}
	if endpoint.PreviousSecretCiphertext != nil && endpoint.PreviousSecretExpiresAt != nil && now.Before(*endpoint.PreviousSecretExpiresAt) {
		previous, err := w.config.Secrets.Open(*endpoint.PreviousSecretCiphertext)
		if err != nil {
			return nil, err
		}
		secrets = append(secrets, previous)
	}
	return secrets, nil
}

// record logs the attempt and moves the delivery on: SUCCEEDED, FAILED after
// the last attempt, or PENDING with the next attempt scheduled. A failed
// delivery counts against the endpoint, which is disabled after DisableAfter
// of them in a row; a success resets the count.
func (w *Worker) record(ctx context.Context, due *ent.Delivery, endpoint *ent.WebhookEndpoint, result outcome, logger *slog.Logger) error {
	number := due.Attempts + 1
	now := time.Now().UTC().Truncate(time.Millisecond)
	var errorText *string
	if result.err != nil {
		text := cleanText(result.err.Error(), 1024)
		errorText = &text
	}
	exhausted := !result.succeeded && number >= MaxAttempts

	var logged *ent.DeliveryAttempt
	state := delivery.StatePENDING
	err := withTx(ctx, w.client, func(ctx context.Context, tx *ent.Client) error {
		attempt := tx.DeliveryAttempt.Create().
			SetOrgID(due.OrgID).
			SetDeliveryID(due.ID).
			SetNumber(number).
			SetNillableStatus(result.status).
			SetLatencyMs(int(result.latency.Milliseconds())).
			SetSucceeded(result.succeeded).
			SetNillableError(errorText).
			SetCreatedAt(now)
		if result.excerpt != "" {
			attempt.SetResponseExcerpt(result.excerpt)
		}
		var err error
		if logged, err = attempt.Save(ctx); err != nil {
			return fmt.Errorf("logging the attempt: %w", err)
		}

		update := tx.Delivery.Update().
			Where(delivery.ID(due.ID), delivery.Attempts(due.Attempts), delivery.StateEQ(delivery.StatePENDING)).
			SetAttempts(number).
			SetNillableLastStatus(result.status).
			ClearLockedUntil()
		if errorText != nil {
			update.SetLastError(*errorText)
		} else {
			update.ClearLastError()
		}
		var wait time.Duration
		switch {
		case result.succeeded:
			state = delivery.StateSUCCEEDED
			update.SetState(state).SetCompletedAt(now)
		case exhausted:
			state = delivery.StateFAILED
			update.SetState(state).SetCompletedAt(now)
		default:
			wait = RetryWait(w.config.Schedule, number)
			update.SetNextAttemptAt(now.Add(wait))
		}
		changed, err := update.Save(ctx)
		if err != nil {
			return fmt.Errorf("updating the delivery: %w", err)
		}
		if changed == 0 {
			return errors.New("the delivery changed while it was being sent (lease expired?); the attempt is not recorded")
		}

		switch {
		case result.succeeded:
			logger.InfoContext(ctx, "webhook delivered", "status", *result.status, "latency_ms", result.latency.Milliseconds())
			return resetFailures(ctx, tx, endpoint.ID)
		case exhausted:
			logger.WarnContext(ctx, "webhook delivery failed after its last attempt", "status", result.status, "error", result.err)
			return countFailure(ctx, tx, endpoint.ID, *errorText, logger)
		default:
			logger.InfoContext(ctx, "webhook attempt failed; retrying", "status", result.status, "error", result.err, "retry_in", wait.String())
			return nil
		}
	})
	if err == nil && w.config.OnAttempt != nil {
		w.config.OnAttempt(logged, state)
	}
	return err
}

// release unlocks a claimed delivery without an attempt, so it is sent later.
func (w *Worker) release(ctx context.Context, due *ent.Delivery) {
	err := w.client.Delivery.Update().
		Where(delivery.ID(due.ID), delivery.Attempts(due.Attempts)).
		ClearLockedUntil().
		Exec(ctx)
	if err != nil {
		w.logger.ErrorContext(ctx, "releasing a webhook delivery failed", "delivery_id", due.ID, "error", err)
	}
}

func resetFailures(ctx context.Context, tx *ent.Client, endpointID string) error {
	err := tx.WebhookEndpoint.Update().
		Where(webhookendpoint.ID(endpointID), webhookendpoint.ConsecutiveFailuresGT(0)).
		SetConsecutiveFailures(0).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("resetting the endpoint's failure count: %w", err)
	}
	return nil
}

// countFailure adds a failed delivery to the endpoint's count and disables
// the endpoint when the count reaches DisableAfter.
func countFailure(ctx context.Context, tx *ent.Client, endpointID, lastError string, logger *slog.Logger) error {
	endpoint, err := tx.WebhookEndpoint.UpdateOneID(endpointID).AddConsecutiveFailures(1).Save(ctx)
	if err != nil {
		return fmt.Errorf("counting the endpoint's failure: %w", err)
	}
	if endpoint.ConsecutiveFailures < DisableAfter || endpoint.State != webhookendpoint.StateENABLED {
		return nil
	}
	reason := truncate(fmt.Sprintf("disabled after %d consecutive failed deliveries; the last one failed with: %s",
		endpoint.ConsecutiveFailures, lastError), 1024)
	err = tx.WebhookEndpoint.UpdateOneID(endpointID).
		SetState(webhookendpoint.StateDISABLED).
		SetDisabledReason(reason).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("disabling the endpoint: %w", err)
	}
	logger.WarnContext(ctx, "webhook endpoint disabled", "consecutive_failures", endpoint.ConsecutiveFailures, "reason", reason)
	return nil
}

// cleanText makes a receiver's text storable on every database: valid
// UTF-8, no NUL characters (PostgreSQL text rejects them), at most limit
// bytes.
func cleanText(text string, limit int) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\x00", "")
	return truncate(text, limit)
}
