// Package testdb gives each test a fresh, migrated database: an SQLite file in
// the test's temporary directory by default, or a new PostgreSQL database
// when BREADBOX_TEST_POSTGRES_URL names a server. Tests never share data.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/migrate"
)

// PostgresEnv names the variable that switches the test suite to PostgreSQL.
const PostgresEnv = "BREADBOX_TEST_POSTGRES_URL"

// URL returns the URL of a fresh, empty database for the test and drops it
// when the test ends. Nothing is migrated yet.
func URL(t testing.TB) string {
	t.Helper()
	serverURL := os.Getenv(PostgresEnv)
	if serverURL == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "breadbox.db")
	}
	return createPostgres(t, serverURL)
}

// Open returns a fresh, migrated database for the test, closed when the test
// ends.
func Open(t testing.TB) *database.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	db, err := database.Open(ctx, URL(t))
	if err != nil {
		t.Fatalf("opening the test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })

	if err := migrate.Apply(ctx, db.SQL, db.Dialect); err != nil {
		t.Fatalf("migrating the test database: %v", err)
	}
	return db
}

// Postgres reports whether the suite runs on PostgreSQL.
func Postgres() bool { return os.Getenv(PostgresEnv) != "" }

func createPostgres(t testing.TB, serverURL string) string {
	t.Helper()
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		t.Fatalf("connecting to %s: %v", PostgresEnv, err)
	}
	defer admin.Close()

	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	name := "breadbox_test_" + hex.EncodeToString(suffix[:])

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating test database %s: %v", name, err)
	}
	t.Cleanup(func() { dropPostgres(t, serverURL, name) })

	parsed, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	parsed.Path = "/" + name
	return parsed.String()
}

func dropPostgres(t testing.TB, serverURL, name string) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		t.Logf("dropping test database %s: %v", name, err)
		return
	}
	defer admin.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// WITH (FORCE) ends sessions a test left open (PostgreSQL 13 and later).
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil && !strings.Contains(err.Error(), "does not exist") {
		t.Logf("dropping test database %s: %v", name, err)
	}
}
