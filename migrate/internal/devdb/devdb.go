// Package devdb creates throwaway databases for the migration generator and
// the migration tests: an in-memory SQLite database, or a new, uniquely named
// database on a PostgreSQL server that the caller drops when done.
package devdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// OpenSQLiteMemory opens an empty in-memory SQLite database with foreign keys
// on. The pool has a single connection because every new connection to an
// in-memory database would see a different, empty database.
func OpenSQLiteMemory(ctx context.Context, name string) (*sql.DB, error) {
	dsn := "file:" + name + "?mode=memory&_pragma=foreign_keys(1)&_time_format=sqlite"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening the in-memory SQLite database: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("opening the in-memory SQLite database: %w", err)
	}
	return db, nil
}

// Postgres is a database created by CreatePostgres on a PostgreSQL server.
type Postgres struct {
	// Name is the database name, prefix followed by 12 random hex digits.
	Name string
	// URL is the server URL with its path changed to Name.
	URL string

	admin *sql.DB
}

// CreatePostgres connects to the server named by serverURL (any database the
// user may connect to, usually "postgres") and creates a new database named
// prefix plus a random suffix. Call Drop to remove it.
func CreatePostgres(ctx context.Context, serverURL, prefix string) (*Postgres, error) {
	parsed, err := url.Parse(serverURL)
	if err != nil {
		return nil, fmt.Errorf("parsing the PostgreSQL URL: %w", err)
	}

	suffix, err := randomHex(6)
	if err != nil {
		return nil, err
	}
	name := prefix + suffix

	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, fmt.Errorf("opening the PostgreSQL server %s: %w", parsed.Redacted(), err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+quoteIdentifier(name)); err != nil {
		_ = admin.Close()
		return nil, fmt.Errorf("creating database %q on %s: %w", name, parsed.Redacted(), err)
	}

	parsed.Path = "/" + name
	return &Postgres{Name: name, URL: parsed.String(), admin: admin}, nil
}

// Drop removes the database, ending any session still connected to it, and
// closes the connection to the server.
func (p *Postgres) Drop(ctx context.Context) error {
	// WITH (FORCE) needs PostgreSQL 13 or later.
	_, dropErr := p.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdentifier(p.Name)+" WITH (FORCE)")
	if dropErr != nil {
		dropErr = fmt.Errorf("dropping database %q: %w", p.Name, dropErr)
	}
	return errors.Join(dropErr, p.admin.Close())
}

func randomHex(size int) (string, error) {
	buf := make([]byte, size)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("reading random bytes for a database name: %w", err)
	}
	return hex.EncodeToString(buf), nil
}

func quoteIdentifier(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
