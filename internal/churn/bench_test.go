package churn_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/churn/trigger"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/testdb"
)

// BenchmarkSignalSync pushes the signals of one nightly PSA sync to one
// account. "queued" is the product: each push stores its observation and
// joins the account's queued recalculation, which runs once after the
// burst, and returns the risk calculated but not stored.
// "synchronous" is the baseline: each push stores its observation and
// recalculates and stores the risk in the same transaction, as pushes did
// before the queue (its hook still queues a job, one extra statement).
// recalcs/push counts the recalculations that ran.
func BenchmarkSignalSync(b *testing.B) {
	db := testdb.Open(b)
	org, err := admin.CreateOrg(context.Background(), db.Client, "Northwind IT", "")
	if err != nil {
		b.Fatal(err)
	}
	system := auth.SystemContext(context.Background(), org.ID)
	writer := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: org.ID, Scopes: auth.NewScopeSet(auth.HealthWrite)})
	queue := churn.NewQueue(db.Client, churn.QueueConfig{
		Now:    func() time.Time { return time.Now().Add(trigger.Debounce) },
		Logger: slog.New(slog.DiscardHandler),
	})
	keys := []churn.Signal{churn.OpenTickets, churn.CSATTrend, churn.Utilization, churn.PaymentHealth}

	for _, mode := range []string{"queued", "synchronous"} {
		b.Run(mode, func(b *testing.B) {
			acme, err := db.Client.Account.Create().SetName("Acme Dental").Save(system)
			if err != nil {
				b.Fatal(err)
			}
			recalculations := 0
			b.ResetTimer()
			for i := range b.N {
				key, raw := keys[i%len(keys)], float64(i%3)
				if mode == "queued" {
					input := churn.SignalInput{Key: key, RawValue: &raw, Source: "acme-psa"}
					if _, err := churn.Push(writer, db.Client, acme.ID, input); err != nil {
						b.Fatal(err)
					}
					continue
				}
				err := database.WithTx(system, db.Client, func(ctx context.Context) error {
					err := database.Client(ctx, db.Client).HealthSignal.Create().
						SetAccountID(acme.ID).SetKey(healthsignal.Key(key)).SetRawValue(raw).SetSource("acme-psa").SetObservedAt(time.Now()).
						Exec(ctx)
					if err != nil {
						return err
					}
					_, err = churn.Recalculate(ctx, db.Client, acme.ID, time.Now())
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				recalculations++
			}
			ran, err := queue.Drain(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if mode == "queued" {
				recalculations += ran
			}
			b.ReportMetric(float64(recalculations)/float64(b.N), "recalcs/push")
		})
	}
}
