package bulk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/bulk"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/id"
	"github.com/breadbox/breadbox/internal/testdb"
	"github.com/breadbox/breadbox/migrate"
)

// BenchmarkUpsertDevices500 pushes the same 500 devices again and again, each
// time flipping isOnline so every row changes, and compares it with a bare
// multi-row INSERT … ON CONFLICT DO UPDATE of the same rows through pgx, on
// the same database in the same run. It needs PostgreSQL.
func BenchmarkUpsertDevices500(b *testing.B) {
	if !testdb.Postgres() {
		b.Skip("needs " + testdb.PostgresEnv)
	}
	ctx := context.Background()
	url := testdb.URL(b)
	db, err := database.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := migrate.Apply(ctx, db.SQL, db.Dialect); err != nil {
		b.Fatal(err)
	}
	counter := &statementCounter{Driver: db.Driver}
	client := ent.NewClient(ent.Driver(counter))

	org, err := admin.CreateOrg(ctx, client, "Bench MSP", "")
	if err != nil {
		b.Fatal(err)
	}
	system := auth.SystemContext(ctx, org.ID)
	acme, err := client.Account.Create().SetName("Acme Healthcare").Save(system)
	if err != nil {
		b.Fatal(err)
	}
	keyCtx := keyContext(ctx, org.ID)

	items := make([]bulk.DeviceItem, 500)
	for i := range items {
		items[i] = deviceItem(fmt.Sprintf("ninja-%05d", i), acme.ID, fmt.Sprintf("WS-%05d", i))
	}
	push := func(online bool) {
		for i := range items {
			items[i].IsOnline = bulk.Some(online)
		}
		if _, err := bulk.UpsertDevices(keyCtx, client, items); err != nil {
			b.Fatal(err)
		}
	}

	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	bare := func(online bool) {
		if err := bareUpsert(ctx, pool, org.ID, acme.ID, online); err != nil {
			b.Fatal(err)
		}
	}

	push(true) // the first push creates the rows
	bare(true)
	counter.reset()

	b.ResetTimer()
	started := time.Now()
	for i := range b.N {
		push(i%2 == 0)
	}
	bulkTime := time.Since(started)
	statements := counter.count()

	started = time.Now()
	for i := range b.N {
		bare(i%2 == 0)
	}
	bareTime := time.Since(started)
	b.StopTimer()

	b.ReportMetric(float64(statements)/float64(b.N), "statements/op")
	b.ReportMetric(500*float64(b.N)/bulkTime.Seconds(), "bulk-rows/s")
	b.ReportMetric(500*float64(b.N)/bareTime.Seconds(), "bare-rows/s")
	b.ReportMetric(bareTime.Seconds()/bulkTime.Seconds(), "bulk/bare-throughput")
}

// bareUpsert writes 500 devices (agent IDs bare-…) with one multi-row
// statement in one transaction: the floor the bulk path is compared with.
func bareUpsert(ctx context.Context, pool *pgxpool.Pool, orgID, accountID string, online bool) error {
	var (
		values []string
		args   []any
	)
	now := time.Now().UTC().Truncate(time.Millisecond)
	for i := range 500 {
		base := len(args)
		values = append(values, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, false)",
			base+1, base+2, base+3, base+4, base+5, base+6, base+7, base+8, base+9, base+10))
		args = append(args, id.New(id.Device), now, now, orgID, accountID,
			fmt.Sprintf("bare-%05d", i), fmt.Sprintf("WS-BARE-%05d", i), "Windows 11", online, true)
	}
	query := `INSERT INTO devices (id, created_at, updated_at, org_id, account_id, rmm_agent_id, hostname, os, is_online, patch_compliant, is_end_of_life)
		VALUES ` + strings.Join(values, ", ") + `
		ON CONFLICT (org_id, rmm_agent_id) DO UPDATE SET
			hostname = EXCLUDED.hostname, os = EXCLUDED.os, is_online = EXCLUDED.is_online,
			patch_compliant = EXCLUDED.patch_compliant, updated_at = EXCLUDED.updated_at`
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, query, args...)
		return err
	})
}
