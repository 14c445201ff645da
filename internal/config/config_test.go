package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	config, err := load(env(nil))
	require.NoError(t, err)
	require.Equal(t, "sqlite:breadbox.db", config.DatabaseURL)
	require.Equal(t, "127.0.0.1:8080", config.Addr)
	require.Equal(t, "http://127.0.0.1:8080", config.PublicURL)
	require.True(t, config.MigrateOnStart)
	require.Equal(t, []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}, config.WebhookRetrySchedule)
}

func TestLoadNamesTheBadVariable(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"BREADBOX_DATABASE_URL":           "mysql://x",
		"BREADBOX_ADDR":                   "8080",
		"BREADBOX_REDIS_URL":              "http://localhost",
		"BREADBOX_SECRET_KEY":             "short",
		"BREADBOX_PUBLIC_URL":             "not a url",
		"BREADBOX_MIGRATE_ON_START":       "sometimes",
		"BREADBOX_KEY_CACHE_TTL":          "-1s",
		"BREADBOX_LOG_LEVEL":              "loud",
		"BREADBOX_WEBHOOK_ALLOW_PRIVATE":  "yes please",
		"BREADBOX_WEBHOOK_RETRY_SCHEDULE": "1m,soon",
	}
	for name, value := range cases {
		_, err := load(env(map[string]string{name: value}))
		require.ErrorContains(t, err, name, value)
	}
}

func TestLoadReadsValues(t *testing.T) {
	t.Parallel()
	config, err := load(env(map[string]string{
		"BREADBOX_DATABASE_URL":           "postgres://u@localhost/db",
		"BREADBOX_ADDR":                   "0.0.0.0:9000",
		"BREADBOX_PUBLIC_URL":             "https://app.example.com/",
		"BREADBOX_WEBHOOK_RETRY_SCHEDULE": "10s, 1m",
		"BREADBOX_LOG_LEVEL":              "debug",
	}))
	require.NoError(t, err)
	require.Equal(t, "postgres://u@localhost/db", config.DatabaseURL)
	require.Equal(t, "https://app.example.com", config.PublicURL)
	require.Equal(t, []time.Duration{10 * time.Second, time.Minute}, config.WebhookRetrySchedule)
}

func TestSetAddrMovesTheDefaultPublicURL(t *testing.T) {
	t.Parallel()
	config, err := load(env(nil))
	require.NoError(t, err)
	config.SetAddr("127.0.0.1:8081")
	require.Equal(t, "127.0.0.1:8081", config.Addr)
	require.Equal(t, "http://127.0.0.1:8081", config.PublicURL, "error links name the port the server listens on")

	config, err = load(env(map[string]string{"BREADBOX_PUBLIC_URL": "https://app.example.com"}))
	require.NoError(t, err)
	config.SetAddr("127.0.0.1:8081")
	require.Equal(t, "https://app.example.com", config.PublicURL, "an explicit public URL stays")
}
