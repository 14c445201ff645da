package webhook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/breadbox/breadbox/ent/event"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/testdb"
	"github.com/breadbox/breadbox/internal/webhook"
)

// arrivals records when each event ID first reached the receiver and closes
// done once want distinct events arrived.
type arrivals struct {
	mu    sync.Mutex
	first map[string]time.Time
	want  int
	done  chan struct{}
}

func (a *arrivals) expect(count int) <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.want, a.done = len(a.first)+count, make(chan struct{})
	return a.done
}

func (a *arrivals) record(eventID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, seen := a.first[eventID]; seen || eventID == "" {
		return
	}
	a.first[eventID] = time.Now()
	if len(a.first) == a.want {
		close(a.done)
	}
}

func (a *arrivals) at(eventID string) time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.first[eventID]
}

// BenchmarkDelivery measures how fast one worker drains 500 queued webhook
// deliveries to a loopback receiver, against plain HTTP POSTs of a
// payload-sized body to the same receiver from as many clients as the worker
// runs attempts, and the latency from a write's commit to the first attempt
// of its event with the worker running. Run it once: -benchtime 1x.
func BenchmarkDelivery(b *testing.B) {
	const (
		queued   = 500
		measured = 100
	)
	ctx := context.Background()
	db := testdb.Open(b)
	org, err := admin.CreateOrg(ctx, db.Client, "Bench MSP", "")
	if err != nil {
		b.Fatal(err)
	}
	system := auth.SystemContext(ctx, org.ID)
	secrets, err := webhook.NewSecretBox([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		b.Fatal(err)
	}

	seen := &arrivals{first: make(map[string]time.Time)}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		seen.record(r.Header.Get("Breadbox-Event-Id"))
	}))
	defer receiver.Close()

	manager := webhook.NewManager(db.Client, webhook.ManagerConfig{Secrets: secrets, AllowHTTP: true, AllowPrivate: true})
	if _, err := manager.Create(system, org.ID, webhook.EndpointParams{URL: receiver.URL, Events: []string{"*"}}); err != nil {
		b.Fatal(err)
	}

	key := auth.WithPrincipal(ctx, &auth.Principal{OrgID: org.ID, KeyID: "key_bench", Scopes: auth.NewScopeSet(auth.AccountsWrite)})
	write := func(i int) (string, time.Time) {
		var accountID string
		err := database.WithTx(key, db.Client, func(ctx context.Context) error {
			created, err := database.Client(ctx, db.Client).Account.Create().SetName(fmt.Sprintf("Account %d", i)).Save(ctx)
			if err == nil {
				accountID = created.ID
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		return accountID, time.Now()
	}

	// Throughput: 500 events wait in the queue before a worker starts.
	for i := range queued {
		write(i)
	}
	drained := seen.expect(queued)
	worker := webhook.NewWorker(db.Client, webhook.WorkerConfig{Secrets: secrets, AllowPrivate: true})
	workerCtx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	started := time.Now()
	go func() { worker.Run(workerCtx); close(stopped) }()
	defer func() { stop(); <-stopped }()
	select {
	case <-drained:
	case <-time.After(2 * time.Minute):
		b.Fatalf("only %d of %d events arrived", len(seen.first), queued)
	}
	drainTime := time.Since(started)

	// Latency: one write at a time with the worker running.
	var latencies []time.Duration
	for i := range measured {
		arrived := seen.expect(1)
		accountID, committed := write(queued + i)
		select {
		case <-arrived:
		case <-time.After(30 * time.Second):
			b.Fatalf("the event of %s did not arrive", accountID)
		}
		found, err := db.Client.Event.Query().Where(event.ResourceID(accountID)).Only(system)
		if err != nil {
			b.Fatal(err)
		}
		latencies = append(latencies, seen.at(found.ID).Sub(committed))
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })

	// Baseline: the same number of plain POSTs of a payload-sized body.
	sample, err := db.Client.Event.Query().First(system)
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), len(sample.Payload))
	jobs := make(chan struct{}, queued)
	for range queued {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	baselineStarted := time.Now()
	for range 4 {
		wg.Go(func() {
			for range jobs {
				response, err := http.Post(receiver.URL, "application/json", bytes.NewReader(body))
				if err == nil {
					_, _ = io.Copy(io.Discard, response.Body)
					response.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	baselineTime := time.Since(baselineStarted)

	for range b.N {
		b.ReportMetric(queued/drainTime.Seconds(), "deliveries/s")
		b.ReportMetric(queued/baselineTime.Seconds(), "plain-posts/s")
		b.ReportMetric(baselineTime.Seconds()/drainTime.Seconds(), "deliveries/plain")
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-commit-to-attempt-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-commit-to-attempt-ms")
	}
}
