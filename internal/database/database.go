// Package database opens the system of record (an embedded SQLite file by
// default, PostgreSQL through pgx when configured) and runs a request's writes
// in one transaction whose ent client travels in the context.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/breadbox/breadbox/ent"
	_ "github.com/breadbox/breadbox/ent/runtime" // installs hooks, policies and defaults
)

// DB is an open database: the ent client over it, the raw pool and its dialect.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	// Driver is the ent driver the client runs on, for queries outside ent.
	Driver *entsql.Driver
}

// Open connects to the database named by rawURL: "sqlite:PATH" (or a bare
// path) for the embedded default, "postgres://…" for PostgreSQL.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	driverName, dialectName, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}

	pool, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the %s database: %w", dialectName, err)
	}
	configurePool(pool, dialectName)

	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pingCtx); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("connecting to the %s database: %w", dialectName, err)
	}

	driver := entsql.OpenDB(dialectName, pool)
	return &DB{
		Client:  ent.NewClient(ent.Driver(driver)),
		SQL:     pool,
		Dialect: dialectName,
		Driver:  driver,
	}, nil
}

// Close closes the client and the pool.
func (db *DB) Close() error { return db.Client.Close() }

// parseURL returns the database/sql driver name, the ent dialect and the DSN.
func parseURL(rawURL string) (driverName, dialectName, dsn string, err error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		if _, err := url.Parse(rawURL); err != nil {
			return "", "", "", fmt.Errorf("parsing the PostgreSQL URL: %w", err)
		}
		return "pgx", dialect.Postgres, rawURL, nil
	case strings.HasPrefix(rawURL, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
		if path == "" {
			return "", "", "", fmt.Errorf("the SQLite URL %q names no file; use sqlite:PATH", rawURL)
		}
		return "sqlite", dialect.SQLite, SQLiteDSN(path), nil
	case strings.Contains(rawURL, "://"):
		return "", "", "", fmt.Errorf("unsupported database URL %q; use sqlite:PATH or postgres://…", rawURL)
	case rawURL == "":
		return "", "", "", fmt.Errorf("no database URL; use sqlite:PATH or postgres://…")
	}
	return "sqlite", dialect.SQLite, SQLiteDSN(rawURL), nil
}

// SQLiteDSN returns the modernc.org/sqlite DSN of a database file: foreign keys
// on, write-ahead logging so readers never wait for the writer, a busy timeout
// and immediate write transactions so concurrent writers queue instead of
// failing with "database is locked", and times stored in SQLite's own format.
func SQLiteDSN(path string) string {
	params := []string{
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		"_pragma=busy_timeout(15000)",
		"_pragma=synchronous(NORMAL)",
		"_time_format=sqlite",
		"_txlock=immediate",
	}
	return "file:" + path + "?" + strings.Join(params, "&")
}

func configurePool(pool *sql.DB, dialectName string) {
	switch dialectName {
	case dialect.SQLite:
		// One writer at a time is SQLite's rule; a few connections let reads
		// proceed beside it under WAL.
		pool.SetMaxOpenConns(8)
		pool.SetMaxIdleConns(8)
	default:
		pool.SetMaxOpenConns(32)
		pool.SetMaxIdleConns(16)
		pool.SetConnMaxIdleTime(5 * time.Minute)
	}
}
