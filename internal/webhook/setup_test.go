package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/delivery"
	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/testdb"
	"github.com/breadbox/breadbox/internal/webhook"
)

// testSchedule keeps retries fast: 10 ms, then 20 ms for every later wait.
var testSchedule = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}

// signalTimeout bounds every wait for a delivery; a correct run takes
// milliseconds.
const signalTimeout = 20 * time.Second

// bundle is one test's fresh database with an org, a manager and contexts.
type bundle struct {
	db      *database.DB
	client  *ent.Client
	orgID   string
	secrets *webhook.SecretBox
	manager *webhook.Manager
	// ctx acts as a live API key of the org with every scope.
	ctx context.Context
	// system acts as the system inside the org.
	system context.Context
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db := testdb.Open(t)
	return setupOn(t, db)
}

// setupOn builds a bundle over an open database, creating an org.
func setupOn(t *testing.T, db *database.DB) *bundle {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)

	org, err := admin.CreateOrg(ctx, db.Client, "Northwind IT", "")
	require.NoError(t, err)
	return bundleFor(t, ctx, db, org.ID)
}

func bundleFor(t *testing.T, ctx context.Context, db *database.DB, orgID string) *bundle {
	t.Helper()
	secrets, err := webhook.NewSecretBox([]byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	return &bundle{
		db:      db,
		client:  db.Client,
		orgID:   orgID,
		secrets: secrets,
		manager: webhook.NewManager(db.Client, webhook.ManagerConfig{Secrets: secrets, AllowHTTP: true, AllowPrivate: true}),
		ctx:     keyContext(ctx, orgID, false),
		system:  auth.SystemContext(ctx, orgID),
	}
}

// keyContext acts as an API key of the org with every scope; test selects a
// msp_test_ key.
func keyContext(ctx context.Context, orgID string, test bool) context.Context {
	return auth.WithPrincipal(ctx, &auth.Principal{
		OrgID:  orgID,
		KeyID:  "key_webhooktest",
		Scopes: auth.NewScopeSet(auth.AllScopes...),
		Test:   test,
	})
}

// inTx runs fn in a transaction, as a request does.
func (b *bundle) inTx(t *testing.T, ctx context.Context, fn func(ctx context.Context, tx *ent.Client) error) {
	t.Helper()
	err := database.WithTx(ctx, b.client, func(ctx context.Context) error {
		return fn(ctx, database.Client(ctx, b.client))
	})
	require.NoError(t, err)
}

// endpoint creates an endpoint of the org at url for events.
func (b *bundle) endpoint(t *testing.T, url string, events ...string) *webhook.EndpointWithSecret {
	t.Helper()
	created, err := b.manager.Create(b.system, b.orgID, webhook.EndpointParams{URL: url, Events: events})
	require.NoError(t, err)
	return created
}

// recordedAttempt is an attempt the worker committed, with the state it left
// its delivery in.
type recordedAttempt struct {
	attempt *ent.DeliveryAttempt
	state   delivery.State
}

// runningWorker is a worker running in the background and the attempts it
// records.
type runningWorker struct {
	*webhook.Worker
	attempts chan recordedAttempt
}

// nextAttempt waits for the worker's next recorded attempt.
func (w *runningWorker) nextAttempt(t *testing.T) recordedAttempt {
	t.Helper()
	select {
	case got := <-w.attempts:
		return got
	case <-time.After(signalTimeout):
		t.Fatalf("no attempt was recorded within %s", signalTimeout)
		return recordedAttempt{}
	}
}

// settle waits until count deliveries reached SUCCEEDED or FAILED.
func (w *runningWorker) settle(t *testing.T, count int) []recordedAttempt {
	t.Helper()
	var final []recordedAttempt
	for len(final) < count {
		if got := w.nextAttempt(t); got.state != delivery.StatePENDING {
			final = append(final, got)
		}
	}
	return final
}

// startWorker runs a worker over client until the test ends.
func (b *bundle) startWorker(t *testing.T, client *ent.Client, adjust ...func(*webhook.WorkerConfig)) *runningWorker {
	t.Helper()
	attempts := make(chan recordedAttempt, 1024)
	config := webhook.WorkerConfig{
		Secrets:      b.secrets,
		AllowPrivate: true,
		Schedule:     testSchedule,
		PollInterval: 5 * time.Millisecond,
		Timeout:      2 * time.Second,
		OnAttempt: func(attempt *ent.DeliveryAttempt, state delivery.State) {
			attempts <- recordedAttempt{attempt: attempt, state: state}
		},
	}
	for _, change := range adjust {
		change(&config)
	}
	worker := &runningWorker{Worker: webhook.NewWorker(client, config), attempts: attempts}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		worker.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return worker
}

// events returns the org's recorded events of the given types, oldest first.
func (b *bundle) events(t *testing.T, types ...string) []*ent.Event {
	t.Helper()
	query := b.client.Event.Query().Where(event.OrgID(b.orgID))
	if len(types) > 0 {
		query.Where(event.TypeIn(types...))
	}
	events, err := query.Order(ent.Asc(event.FieldCreatedAt), ent.Asc(event.FieldID)).All(b.system)
	require.NoError(t, err)
	return events
}

// eventCount returns the number of events recorded in the org.
func (b *bundle) eventCount(t *testing.T) int {
	t.Helper()
	count, err := b.client.Event.Query().Where(event.OrgID(b.orgID)).Count(b.system)
	require.NoError(t, err)
	return count
}

// request is one request a receiver got.
type request struct {
	header http.Header
	body   []byte
}

// envelope decodes the body.
func (d request) envelope(t *testing.T) map[string]any {
	t.Helper()
	var decoded map[string]any
	require.NoError(t, json.Unmarshal(d.body, &decoded))
	return decoded
}

// data returns the body's data object.
func (d request) data(t *testing.T) map[string]any {
	t.Helper()
	data, ok := d.envelope(t)["data"].(map[string]any)
	require.True(t, ok, "data is not an object: %s", d.body)
	return data
}

// receiver is a loopback HTTP server that records every request and responds
// with the status its respond function returns for the request's number
// (1 for the first).
type receiver struct {
	server   *httptest.Server
	requests chan request

	mu      sync.Mutex
	count   int
	respond func(number int) int
}

func newReceiver(t *testing.T, respond func(number int) int) *receiver {
	t.Helper()
	r := &receiver{requests: make(chan request, 256), respond: respond}
	if respond == nil {
		r.respond = func(int) int { return http.StatusOK }
	}
	r.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.count++
		status := r.respond(r.count)
		r.mu.Unlock()

		r.requests <- request{header: req.Header.Clone(), body: body}
		if status >= 300 && status < 400 {
			w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"received":true}`))
	}))
	t.Cleanup(r.server.Close)
	return r
}

// URL returns the receiver's address.
func (r *receiver) URL() string { return r.server.URL + "/hooks" }

// next waits for the next request.
func (r *receiver) next(t *testing.T) request {
	t.Helper()
	select {
	case got := <-r.requests:
		return got
	case <-time.After(signalTimeout):
		t.Fatalf("no webhook arrived within %s", signalTimeout)
		return request{}
	}
}

// collect waits for one request per event name and returns them by name.
// The names must differ; the order of arrival does not matter.
func (r *receiver) collect(t *testing.T, names ...string) map[string]request {
	t.Helper()
	byName := make(map[string]request, len(names))
	for range names {
		got := r.next(t)
		name := got.header.Get(webhook.HeaderEvent)
		require.Contains(t, names, name, "unexpected event %s: %s", name, got.body)
		require.NotContains(t, byName, name, "event %s arrived twice", name)
		byName[name] = got
	}
	return byName
}

// empty asserts that no request is waiting.
func (r *receiver) empty(t *testing.T) {
	t.Helper()
	select {
	case got := <-r.requests:
		t.Fatalf("unexpected webhook %s: %s", got.header.Get(webhook.HeaderEvent), got.body)
	default:
	}
}

// deliveries returns the org's deliveries, oldest first.
func (b *bundle) deliveries(t *testing.T) []*ent.Delivery {
	t.Helper()
	rows, err := b.client.Delivery.Query().
		Where(delivery.OrgID(b.orgID)).
		Order(ent.Asc(delivery.FieldCreatedAt), ent.Asc(delivery.FieldID)).
		All(b.system)
	require.NoError(t, err)
	return rows
}

// names returns the types of events.
func names(events []*ent.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Type
	}
	return out
}

// sorted returns a sorted copy of values.
func sorted(values []string) []string {
	out := slices.Clone(values)
	slices.Sort(out)
	return out
}
