package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// redisURL is the Redis the tests use; the machine runs one on loopback.
func redisURL() string {
	if url := os.Getenv("BREADBOX_TEST_REDIS_URL"); url != "" {
		return url
	}
	return "redis://127.0.0.1:6379/0"
}

// stores returns a fresh memory store and, when Redis answers, a Redis store
// with a prefix of its own.
func stores(t *testing.T) map[string]Store {
	t.Helper()
	result := map[string]Store{"memory": NewMemoryStore()}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	redisStore, err := NewRedisStore(ctx, redisURL())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Redis is required in CI: %v", err)
		}
		t.Logf("skipping the Redis store: %v", err)
		return result
	}
	t.Cleanup(func() { _ = redisStore.Close() })
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	result["redis"] = redisStore.WithPrefix("breadbox:test:" + hex.EncodeToString(suffix[:]) + ":")
	return result
}

func TestStoreAllowsUpToTheLimit(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			buckets := []Bucket{{Name: "key", ID: "key:a", Limit: 5}, {Name: "org", ID: "org:a", Limit: 8}}
			for i := range 5 {
				decision, err := store.Allow(context.Background(), buckets)
				require.NoError(t, err)
				require.True(t, decision.Allowed, "request %d", i)
				require.Equal(t, 4-i, decision.Tightest().Remaining)
				require.Equal(t, "key", decision.Tightest().Name)
			}
			decision, err := store.Allow(context.Background(), buckets)
			require.NoError(t, err)
			require.False(t, decision.Allowed)
			require.Equal(t, "key", decision.Tripped.Name)
			require.GreaterOrEqual(t, decision.RetryAfter(), time.Second)
		})
	}
}

func TestOrgWindowSpansKeys(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			allowed := 0
			for i := range 12 {
				keyID := "key:" + string(rune('a'+i%4))
				decision, err := store.Allow(context.Background(), []Bucket{
					{Name: "key", ID: keyID, Limit: 10},
					{Name: "org", ID: "org:shared", Limit: 6},
				})
				require.NoError(t, err)
				if decision.Allowed {
					allowed++
				} else {
					require.Equal(t, "org", decision.Tripped.Name)
				}
			}
			require.Equal(t, 6, allowed, "many keys cannot bypass the org's limit")
		})
	}
}

func TestRejectedRequestIsNotCounted(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			// The org window is full, so the key window must not be charged.
			for range 3 {
				_, err := store.Allow(context.Background(), []Bucket{{Name: "org", ID: "org:b", Limit: 3}})
				require.NoError(t, err)
			}
			decision, err := store.Allow(context.Background(), []Bucket{
				{Name: "key", ID: "key:b", Limit: 10},
				{Name: "org", ID: "org:b", Limit: 3},
			})
			require.NoError(t, err)
			require.False(t, decision.Allowed)
			require.Equal(t, 10, decision.Windows[0].Remaining)
		})
	}
}

func TestConcurrentChecksNeverExceedLimit(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var allowed atomic.Int64
			var wg sync.WaitGroup
			for range 200 {
				wg.Go(func() {
					decision, err := store.Allow(context.Background(), []Bucket{{Name: "key", ID: "key:race", Limit: 50}})
					if err == nil && decision.Allowed {
						allowed.Add(1)
					}
				})
			}
			wg.Wait()
			require.EqualValues(t, 50, allowed.Load())
		})
	}
}

func TestMemoryWindowSlides(t *testing.T) {
	store := NewMemoryStore()
	clock := time.Unix(1_800_000_000, 0)
	store.now = func() time.Time { return clock }
	bucket := []Bucket{{Name: "key", ID: "key:slide", Limit: 2}}

	for range 2 {
		decision, _ := store.Allow(context.Background(), bucket)
		require.True(t, decision.Allowed)
	}
	decision, _ := store.Allow(context.Background(), bucket)
	require.False(t, decision.Allowed)
	require.Equal(t, 60*time.Second, decision.RetryAfter())

	clock = clock.Add(61 * time.Second)
	decision, _ = store.Allow(context.Background(), bucket)
	require.True(t, decision.Allowed, "requests older than the window no longer count")
}

func TestHeadersNameBothWindows(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	decision := Decision{
		Allowed: false,
		Now:     now,
		Windows: []WindowState{
			{Name: "key", Limit: 60, Remaining: 0, ResetAt: now.Add(30 * time.Second)},
			{Name: "org", Limit: 120, Remaining: 50, ResetAt: now.Add(10 * time.Second)},
		},
	}
	decision.Tripped = &decision.Windows[0]

	header := http.Header{}
	SetHeaders(header, decision)
	require.Equal(t, "60", header.Get("X-RateLimit-Limit"))
	require.Equal(t, "0", header.Get("X-RateLimit-Remaining"))
	require.Equal(t, "1800000030", header.Get("X-RateLimit-Reset"))
	require.Equal(t, "sliding-window", header.Get("X-RateLimit-Policy"))
	require.Equal(t, "30", header.Get("Retry-After"))
	require.Equal(t, `"key";q=60;w=60, "org";q=120;w=60`, header.Get("RateLimit-Policy"))
	require.Equal(t, `"key";r=0;t=30, "org";r=50;t=10`, header.Get("RateLimit"))

	rejection := Rejection(decision)
	require.Contains(t, rejection.Message, "this API key exceeded its limit of 60")
}

func TestRateLimitResetStaysWithinTheWindow(t *testing.T) {
	// A request at 10.9 s whose oldest counted request leaves the window at
	// 70.1 s: the reset is 59.2 s away, which rounds up to 60, not the 61
	// that rounding the two instants apart gives.
	now := time.Unix(1_800_000_010, 900_000_000)
	decision := Decision{
		Allowed: true,
		Now:     now,
		Windows: []WindowState{{Name: "key", Limit: 60, Remaining: 1, ResetAt: time.Unix(1_800_000_070, 100_000_000)}},
	}
	header := http.Header{}
	SetHeaders(header, decision)
	require.Equal(t, `"key";r=1;t=60`, header.Get("RateLimit"))
}

func TestPlanLimits(t *testing.T) {
	require.Equal(t, Limits{PerKey: 30, PerOrg: 60}, PlanLimits("STARTER"))
	require.Equal(t, Limits{PerKey: 60, PerOrg: 120}, PlanLimits("GROWTH"))
	require.Equal(t, Limits{PerKey: 120, PerOrg: 240}, PlanLimits("SCALE"))
	require.Equal(t, Limits{PerKey: 120, PerOrg: 240}, PlanLimits("PRO"))
	require.Equal(t, Limits{PerKey: 300, PerOrg: 600}, PlanLimits("ENTERPRISE"))

	require.NoError(t, ValidateOverride("PRO", Limits{PerKey: 300, PerOrg: 600}))
	require.Error(t, ValidateOverride("PRO", Limits{PerKey: 301, PerOrg: 600}))
	require.Error(t, ValidateOverride("GROWTH", Limits{PerKey: 100, PerOrg: 120}))
}
