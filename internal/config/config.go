// Package config reads the server's configuration from BREADBOX_*
// environment variables. A bad value stops the start with an error that names
// the variable and the expected form.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the server's configuration.
type Config struct {
	// DatabaseURL is sqlite:PATH (the default, sqlite:breadbox.db) or
	// postgres://….
	DatabaseURL string
	// Addr is the listen address, default 127.0.0.1:8080.
	Addr string
	// RedisURL, when set, holds the rate-limit windows shared by every node.
	RedisURL string
	// SecretKey encrypts webhook signing secrets. On the embedded default a key
	// file is created beside the database when it is empty.
	SecretKey string
	// PublicURL is the base of links in responses, such as docsUrl.
	PublicURL string
	// publicURLSet records that BREADBOX_PUBLIC_URL gave PublicURL, so
	// SetAddr leaves it alone.
	publicURLSet bool
	// MigrateOnStart applies pending migrations when serve starts; default true.
	MigrateOnStart bool
	// KeyCacheTTL is how long a looked-up API key is trusted; default 5 s.
	KeyCacheTTL time.Duration
	// LogLevel is debug, info, warn or error; default info.
	LogLevel slog.Level
	// AuditRetention is how long audit entries are kept; default 90 days,
	// zero keeps them forever.
	AuditRetention time.Duration
	// WebhookAllowPrivate lets webhooks reach loopback and private addresses.
	WebhookAllowPrivate bool
	// WebhookAllowHTTP lets webhook URLs use plain http.
	WebhookAllowHTTP bool
	// WebhookRetrySchedule lists the waits between delivery attempts.
	WebhookRetrySchedule []time.Duration
}

// Variables lists every environment variable with its meaning, for --help and
// the README.
var Variables = [][2]string{
	{"BREADBOX_DATABASE_URL", "sqlite:PATH (default sqlite:breadbox.db) or postgres://USER@HOST/DB"},
	{"BREADBOX_ADDR", "listen address (default 127.0.0.1:8080)"},
	{"BREADBOX_REDIS_URL", "redis://HOST:PORT/DB for rate-limit windows shared across nodes (optional)"},
	{"BREADBOX_SECRET_KEY", "64 hex characters that encrypt webhook secrets (default: a key file beside the SQLite database)"},
	{"BREADBOX_PUBLIC_URL", "public base URL used in links such as docsUrl (default http://ADDR)"},
	{"BREADBOX_MIGRATE_ON_START", "true or false: apply pending migrations when serve starts (default true)"},
	{"BREADBOX_KEY_CACHE_TTL", "how long a looked-up API key is trusted, e.g. 5s (default 5s)"},
	{"BREADBOX_LOG_LEVEL", "debug, info, warn or error (default info)"},
	{"BREADBOX_AUDIT_RETENTION", "how long audit entries are kept, e.g. 2160h; 0 keeps them forever (default 2160h, 90 days)"},
	{"BREADBOX_WEBHOOK_ALLOW_PRIVATE", "true lets webhooks reach loopback and private addresses (default false)"},
	{"BREADBOX_WEBHOOK_ALLOW_HTTP", "true lets webhook URLs use plain http (default false)"},
	{"BREADBOX_WEBHOOK_RETRY_SCHEDULE", "waits between webhook attempts, e.g. 1m,5m,30m,2h (default 1m,5m,30m,2h)"},
}

// Load reads the configuration from the environment.
func Load() (Config, error) { return load(os.Getenv) }

func load(getenv func(string) string) (Config, error) {
	config := Config{
		DatabaseURL:          "sqlite:breadbox.db",
		Addr:                 "127.0.0.1:8080",
		MigrateOnStart:       true,
		KeyCacheTTL:          5 * time.Second,
		AuditRetention:       90 * 24 * time.Hour,
		LogLevel:             slog.LevelInfo,
		WebhookRetrySchedule: []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour},
	}
	var problems []string
	fail := func(name, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: %s", name, fmt.Sprintf(format, args...)))
	}

	if value := getenv("BREADBOX_DATABASE_URL"); value != "" {
		if !strings.HasPrefix(value, "sqlite:") && !strings.HasPrefix(value, "postgres://") && !strings.HasPrefix(value, "postgresql://") {
			fail("BREADBOX_DATABASE_URL", "%q is not sqlite:PATH or postgres://…", value)
		}
		config.DatabaseURL = value
	}
	if value := getenv("BREADBOX_ADDR"); value != "" {
		if _, _, err := net.SplitHostPort(value); err != nil {
			fail("BREADBOX_ADDR", "%q is not HOST:PORT (%v)", value, err)
		}
		config.Addr = value
	}
	if value := getenv("BREADBOX_REDIS_URL"); value != "" {
		if parsed, err := url.Parse(value); err != nil || (parsed.Scheme != "redis" && parsed.Scheme != "rediss") {
			fail("BREADBOX_REDIS_URL", "%q is not redis://HOST:PORT/DB", value)
		}
		config.RedisURL = value
	}
	if value := getenv("BREADBOX_SECRET_KEY"); value != "" {
		if len(value) != 64 || strings.Trim(strings.ToLower(value), "0123456789abcdef") != "" {
			fail("BREADBOX_SECRET_KEY", "must be 64 hex characters (32 bytes), such as the output of openssl rand -hex 32")
		}
		config.SecretKey = value
	}
	config.PublicURL = "http://" + config.Addr
	if value := getenv("BREADBOX_PUBLIC_URL"); value != "" {
		if parsed, err := url.Parse(value); err != nil || parsed.Host == "" || (parsed.Scheme != "http" && parsed.Scheme != "https") {
			fail("BREADBOX_PUBLIC_URL", "%q is not an absolute http or https URL", value)
		}
		config.PublicURL = strings.TrimRight(value, "/")
		config.publicURLSet = true
	}

	readBool := func(name string, target *bool) {
		if value := getenv(name); value != "" {
			parsed, err := strconv.ParseBool(value)
			if err != nil {
				fail(name, "%q is not true or false", value)
			}
			*target = parsed
		}
	}
	readBool("BREADBOX_MIGRATE_ON_START", &config.MigrateOnStart)
	readBool("BREADBOX_WEBHOOK_ALLOW_PRIVATE", &config.WebhookAllowPrivate)
	readBool("BREADBOX_WEBHOOK_ALLOW_HTTP", &config.WebhookAllowHTTP)

	if value := getenv("BREADBOX_KEY_CACHE_TTL"); value != "" {
		parsed, err := time.ParseDuration(value)
		if err != nil || parsed < 0 || parsed > time.Hour {
			fail("BREADBOX_KEY_CACHE_TTL", "%q is not a duration between 0s and 1h", value)
		}
		config.KeyCacheTTL = parsed
	}
	if value := getenv("BREADBOX_AUDIT_RETENTION"); value != "" {
		parsed, err := time.ParseDuration(value)
		if err != nil || parsed < 0 {
			fail("BREADBOX_AUDIT_RETENTION", "%q is not a duration such as 2160h (90 days), or 0 to keep entries forever", value)
		}
		config.AuditRetention = parsed
	}
	if value := getenv("BREADBOX_LOG_LEVEL"); value != "" {
		if err := config.LogLevel.UnmarshalText([]byte(value)); err != nil {
			fail("BREADBOX_LOG_LEVEL", "%q is not debug, info, warn or error", value)
		}
	}
	if value := getenv("BREADBOX_WEBHOOK_RETRY_SCHEDULE"); value != "" {
		schedule, err := ParseSchedule(value)
		if err != nil {
			fail("BREADBOX_WEBHOOK_RETRY_SCHEDULE", "%v", err)
		}
		config.WebhookRetrySchedule = schedule
	}

	if len(problems) > 0 {
		return Config{}, fmt.Errorf("invalid configuration:\n  %s", strings.Join(problems, "\n  "))
	}
	return config, nil
}

// ParseSchedule reads a comma-separated list of positive durations such as
// 1m,5m,30m,2h.
func ParseSchedule(value string) ([]time.Duration, error) {
	var schedule []time.Duration
	for _, part := range strings.Split(value, ",") {
		wait, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || wait <= 0 {
			return nil, fmt.Errorf("%q is not a list of positive durations such as 1m,5m,30m,2h", value)
		}
		schedule = append(schedule, wait)
	}
	return schedule, nil
}

// SetAddr changes the listen address, as the --addr flag does, and the
// default PublicURL with it, so links in responses name the port the server
// listens on.
func (c *Config) SetAddr(addr string) {
	c.Addr = addr
	if !c.publicURLSet {
		c.PublicURL = "http://" + addr
	}
}
