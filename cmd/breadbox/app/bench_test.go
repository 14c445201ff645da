package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/demo"
	"github.com/breadbox/breadbox/internal/middleware"
	"github.com/breadbox/breadbox/internal/render"
	"github.com/breadbox/breadbox/internal/testdb"
	"github.com/breadbox/breadbox/rest"
)

// benchServer is an app on a fresh database holding the demo book of business,
// with rate limits raised so a benchmark measures work, not 429s.
type benchServer struct {
	app       *app.App
	orgID     string
	key       string
	accountID string
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	ctx := context.Background()
	cfg := config.Config{DatabaseURL: testdb.URL(b), MigrateOnStart: true, KeyCacheTTL: 5 * time.Second, PublicURL: "http://127.0.0.1"}
	instance, err := app.New(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = instance.Close() })
	auditCtx, stopAudit := context.WithCancel(ctx)
	go instance.Audit.Run(auditCtx)
	b.Cleanup(func() {
		stopAudit()
		instance.Audit.Wait()
	})

	created, err := admin.CreateOrg(ctx, instance.DB.Client, "Bench MSP", "enterprise")
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.Seed(ctx, instance.DB.Client, created.ID); err != nil {
		b.Fatal(err)
	}
	// Limits far above any benchmark's request count; set directly because
	// the admin command keeps them within the plan's range.
	if err := instance.DB.Client.Org.UpdateOneID(created.ID).SetRateLimitPerKey(1 << 30).SetRateLimitPerOrg(1 << 30).
		Exec(auth.SystemContext(ctx, created.ID)); err != nil {
		b.Fatal(err)
	}
	key, err := admin.CreateKey(ctx, instance.DB.Client, admin.KeyParams{OrgID: created.ID, Name: "bench", Scopes: []string{"accounts:read"}})
	if err != nil {
		b.Fatal(err)
	}
	first, err := instance.DB.Client.Account.Query().Where().First(auth.SystemContext(ctx, created.ID))
	if err != nil {
		b.Fatal(err)
	}
	return &benchServer{app: instance, orgID: created.ID, key: key.Raw, accountID: first.ID}
}

// bareREST is the same REST handler with none of the shared layers: no audit,
// authentication, rate limit or idempotency; the principal is put in the
// context directly.
func (s *benchServer) bareREST() http.Handler {
	principal := &auth.Principal{OrgID: s.orgID, KeyID: "key_bench", Scopes: auth.NewScopeSet(auth.AccountsRead)}
	handler := rest.New(rest.Config{
		Client:    s.app.DB.Client,
		DB:        s.app.DB,
		PublicURL: "http://127.0.0.1",
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Middleware: func(middleware.ErrorWriter) []func(http.Handler) http.Handler {
			return []func(http.Handler) http.Handler{func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), principal)))
				})
			}}
		},
	})
	return middleware.RequestID(http.StripPrefix("/api/v1", handler))
}

// BenchmarkGetAccountOverhead measures what authentication, rate limiting,
// idempotency and the audit log add to GET /api/v1/accounts/{id}, as the ratio
// of the full stack's time per request to the bare REST handler's, both
// measured in this run on the same database.
func BenchmarkGetAccountOverhead(b *testing.B) {
	server := newBenchServer(b)
	full, bare := server.app.Handler(), server.bareREST()
	path := "/api/v1/accounts/" + server.accountID

	run := func(handler http.Handler, withKey bool) time.Duration {
		started := time.Now()
		for range b.N {
			request := httptest.NewRequest(http.MethodGet, path, nil)
			if withKey {
				request.Header.Set("Authorization", "Bearer "+server.key)
			}
			recorder := httptest.NewRecorder()
			handler.ServeHTTP(recorder, request)
			if recorder.Code != http.StatusOK {
				b.Fatalf("status %d: %s", recorder.Code, recorder.Body.String())
			}
		}
		return time.Since(started)
	}

	run(bare, false) // warm caches and the connection pool
	b.ResetTimer()
	bareTime := run(bare, false)
	fullTime := run(full, true)
	b.StopTimer()

	b.ReportMetric(float64(bareTime.Microseconds())/float64(b.N), "bare-µs/op")
	b.ReportMetric(float64(fullTime.Microseconds())/float64(b.N), "full-µs/op")
	b.ReportMetric(float64(fullTime)/float64(bareTime), "full/bare")
}

// load runs clients concurrent loops of GET url for the duration and returns
// requests per second and the 99th percentile latency.
func load(b *testing.B, url, key string, clients int, duration time.Duration) (float64, time.Duration) {
	b.Helper()
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport}
	defer transport.CloseIdleConnections()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  int
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(duration)
	for range clients {
		wg.Go(func() {
			var own []time.Duration
			for time.Now().Before(deadline) {
				request, _ := http.NewRequest(http.MethodGet, url, nil)
				if key != "" {
					request.Header.Set("Authorization", "Bearer "+key)
				}
				started := time.Now()
				response, err := client.Do(request)
				if err != nil {
					mu.Lock()
					failures++
					mu.Unlock()
					continue
				}
				_, _ = io.Copy(io.Discard, response.Body)
				response.Body.Close()
				if response.StatusCode != http.StatusOK {
					mu.Lock()
					failures++
					mu.Unlock()
					continue
				}
				own = append(own, time.Since(started))
			}
			mu.Lock()
			latencies = append(latencies, own...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if failures > 0 || len(latencies) == 0 {
		b.Fatalf("%d failed requests against %s", failures, url)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	return float64(len(latencies)) / duration.Seconds(), latencies[len(latencies)*99/100]
}

// bareHandler serves the same two reads with net/http and pgx alone: the same
// SQL, the same JSON, no ent, no middleware.
func bareHandler(pool *pgxpool.Pool, orgID string) http.Handler {
	const columns = `id, name, lifecycle_status, industry, employee_count, external_id, website, phone, sla_tier,
		account_manager_id, sales_rep_id, parent_account_id, client_since, contract_anniversary, fiscal_year_end_month,
		compliance_frameworks, tags, current_mrr, churn_risk_score, churn_risk_level, created_at, updated_at`
	scan := func(row interface{ Scan(...any) error }) (map[string]any, error) {
		var (
			id, name, lifecycle                             string
			industry, externalID, website, phone, sla       *string
			manager, rep, parent, since, anniversary, level *string
			employees, fiscal, score                        *int
			frameworks, tags                                []byte
			mrr                                             int64
			created, updated                                time.Time
		)
		err := row.Scan(&id, &name, &lifecycle, &industry, &employees, &externalID, &website, &phone, &sla,
			&manager, &rep, &parent, &since, &anniversary, &fiscal, &frameworks, &tags, &mrr, &score, &level, &created, &updated)
		if err != nil {
			return nil, err
		}
		return map[string]any{
			"id": id, "name": name, "lifecycleStatus": lifecycle, "industry": industry, "employeeCount": employees,
			"externalId": externalID, "website": website, "phone": phone, "slaTier": sla, "accountManagerId": manager,
			"salesRepId": rep, "parentAccountId": parent, "clientSince": since, "contractAnniversary": anniversary,
			"fiscalYearEndMonth": fiscal, "complianceFrameworks": json.RawMessage(frameworks), "tags": json.RawMessage(tags),
			"currentMrr": float64(mrr) / 100, "churnRisk": nil, "createdAt": render.FormatTime(created), "updatedAt": render.FormatTime(updated),
		}, nil
	}
	envelope := func(w http.ResponseWriter, body map[string]any) {
		body["success"] = true
		body["requestId"] = middleware.NewRequestID()
		body["timestamp"] = render.FormatTime(time.Now())
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		row := pool.QueryRow(r.Context(), "SELECT "+columns+" FROM accounts WHERE id = $1 AND org_id = $2", r.PathValue("id"), orgID)
		account, err := scan(row)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		envelope(w, map[string]any{"data": account})
	})
	mux.HandleFunc("GET /accounts", func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), "SELECT "+columns+" FROM accounts WHERE org_id = $1 AND lifecycle_status = $2 ORDER BY name ASC, id ASC LIMIT 51", orgID, r.URL.Query().Get("lifecycleStatus"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		var list []map[string]any
		for rows.Next() {
			account, err := scan(rows)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			list = append(list, account)
		}
		hasMore := len(list) > 50
		if hasMore {
			list = list[:50]
		}
		envelope(w, map[string]any{"data": list, "hasMore": hasMore, "nextCursor": nil})
	})
	return mux
}

func serve(b *testing.B, handler http.Handler) string {
	b.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(listener) }()
	b.Cleanup(func() { _ = server.Close() })
	return "http://" + listener.Addr().String()
}

// BenchmarkHTTPThroughput compares requests per second and p99 latency of the
// full server with a bare net/http + pgx handler running the same SQL, over
// loopback with concurrent clients, on PostgreSQL. Run it once per
// measurement: -benchtime 1x.
func BenchmarkHTTPThroughput(b *testing.B) {
	if !testdb.Postgres() {
		b.Skip("needs " + testdb.PostgresEnv)
	}
	server := newBenchServer(b)
	pool, err := pgxpool.New(context.Background(), server.app.Config.DatabaseURL)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()

	fullURL := serve(b, server.app.Handler())
	bareURL := serve(b, bareHandler(pool, server.orgID))
	clients, duration := 16, 5*time.Second
	if value := os.Getenv("BREADBOX_BENCH_SECONDS"); value != "" {
		if parsed, err := time.ParseDuration(value + "s"); err == nil {
			duration = parsed
		}
	}

	cases := []struct{ name, full, bare string }{
		{"get-by-id", fullURL + "/api/v1/accounts/" + server.accountID, bareURL + "/accounts/" + server.accountID},
		{"list-50-filter-sort", fullURL + "/api/v1/accounts?lifecycleStatus=ACTIVE&sort=name:asc&limit=50", bareURL + "/accounts?lifecycleStatus=ACTIVE"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				load(b, tc.bare, "", clients, time.Second) // warm-up
				load(b, tc.full, server.key, clients, time.Second)
				bareRPS, bareP99 := load(b, tc.bare, "", clients, duration)
				fullRPS, fullP99 := load(b, tc.full, server.key, clients, duration)
				b.ReportMetric(bareRPS, "bare-req/s")
				b.ReportMetric(fullRPS, "full-req/s")
				b.ReportMetric(float64(bareP99.Microseconds())/1000, "bare-p99-ms")
				b.ReportMetric(float64(fullP99.Microseconds())/1000, "full-p99-ms")
				b.ReportMetric(fullRPS/bareRPS, "full/bare-throughput")
			}
		})
	}
}
