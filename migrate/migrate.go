// Package migrate contains the versioned SQL migrations of the ent schema, one
// folder per dialect, and applies them with golang-migrate.
//
// `go run ./migrate/gen`, which `go generate` runs, writes the files. Never
// edit an applied migration, but add a new one. atlas.sum in each folder
// contains the hash of every file, and the tests fail when they differ.
package migrate

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"entgo.io/ent/dialect"
	gomigrate "github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	"github.com/golang-migrate/migrate/v4/source/iofs"
)

// files contains the migrations of every dialect, in golang-migrate's
// VERSION_NAME.up.sql and VERSION_NAME.down.sql form.
//
//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// migrationsTable is golang-migrate's default table for the applied version.
const migrationsTable = "schema_migrations"

// Apply applies every pending migration for dialectName ("sqlite3" or
// "postgres", the ent dialect names) to db. A database that is already up to date is not
// an error. Apply leaves db open. It runs the migrations on a pool of its own
// that it opens to the same database and closes before it returns, except for
// in-memory SQLite databases, where it uses db itself.
func Apply(ctx context.Context, db *sql.DB, dialectName string) error {
	dir, err := folderOf(dialectName)
	if err != nil {
		return err
	}
	switch dialectName {
	case dialect.SQLite:
		return applySQLite(ctx, db, files, dir)
	default:
		return applyPostgres(ctx, db, files, dir)
	}
}

// Status returns the version applied to db, the version of the newest
// embedded migration for dialectName, and whether the last migration failed
// half-way (golang-migrate's dirty flag). current is 0 when no migration has
// been applied. The migrations are current when current == latest and dirty
// is false. Status only reads, so it never creates the version table.
func Status(ctx context.Context, db *sql.DB, dialectName string) (current uint, latest uint, dirty bool, err error) {
	dir, err := folderOf(dialectName)
	if err != nil {
		return 0, 0, false, err
	}
	latest, err = latestVersion(files, dir)
	if err != nil {
		return 0, 0, false, err
	}
	current, dirty, err = appliedVersion(ctx, db, dialectName)
	if err != nil {
		return 0, 0, false, err
	}
	return current, latest, dirty, nil
}

func folderOf(dialectName string) (string, error) {
	switch dialectName {
	case dialect.SQLite:
		return "sqlite", nil
	case dialect.Postgres:
		return "postgres", nil
	}
	return "", fmt.Errorf("unsupported database dialect %q; use %q or %q", dialectName, dialect.SQLite, dialect.Postgres)
}

// run applies the pending migrations in folder dir of fsys through driver and
// logs the versions when it applied any. It does not close the driver, so the
// caller decides what happens to the pool behind it.
func run(ctx context.Context, driver database.Driver, dialectName string, fsys fs.FS, dir string) (applied bool, err error) {
	source, err := iofs.New(fsys, dir)
	if err != nil {
		return false, fmt.Errorf("reading the %s migrations: %w", dialectName, err)
	}
	defer source.Close()

	m, err := gomigrate.NewWithInstance("iofs", source, dialectName, driver)
	if err != nil {
		return false, fmt.Errorf("preparing the %s migrations: %w", dialectName, err)
	}
	defer stopOnCancel(ctx, m)()

	before, _, err := m.Version()
	if err != nil && !errors.Is(err, gomigrate.ErrNilVersion) {
		return false, fmt.Errorf("reading the applied %s migration version: %w", dialectName, err)
	}

	err = m.Up()
	if errors.Is(err, gomigrate.ErrNoChange) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("applying the %s migrations: %w", dialectName, err)
	}

	after, _, err := m.Version()
	if err != nil {
		return true, fmt.Errorf("reading the applied %s migration version: %w", dialectName, err)
	}
	// A stop request makes Up return nil after the migration in progress,
	// so a cancelled ctx means some migrations may still be pending.
	if ctx.Err() != nil {
		return true, fmt.Errorf("applying the %s migrations stopped at version %d: %w", dialectName, after, ctx.Err())
	}
	slog.InfoContext(ctx, "applied database migrations", "dialect", dialectName, "from_version", before, "to_version", after)
	return true, nil
}

// stopOnCancel sends m a stop request when ctx ends, because golang-migrate
// takes no context. The request takes effect after the migration in progress,
// which runs to its end. Call the returned function once m is done.
func stopOnCancel(ctx context.Context, m *gomigrate.Migrate) (release func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			m.GracefulStop <- true // buffered, and nothing else sends
		case <-done:
		}
	}()
	return func() { close(done) }
}

// latestVersion returns the version of the newest migration in folder dir.
func latestVersion(fsys fs.FS, dir string) (uint, error) {
	source, err := iofs.New(fsys, dir)
	if err != nil {
		return 0, fmt.Errorf("reading the migrations in %s: %w", dir, err)
	}
	defer source.Close()

	version, err := source.First()
	if err != nil {
		return 0, fmt.Errorf("reading the first migration in %s: %w", dir, err)
	}
	for {
		next, err := source.Next(version)
		if errors.Is(err, os.ErrNotExist) {
			return version, nil
		}
		if err != nil {
			return 0, fmt.Errorf("reading the migration after version %d in %s: %w", version, dir, err)
		}
		version = next
	}
}

// appliedVersion reads golang-migrate's version table directly instead of
// through its driver, because the driver creates the table and, on
// PostgreSQL, keeps a pooled connection until it is closed, which also closes
// the pool.
func appliedVersion(ctx context.Context, db *sql.DB, dialectName string) (version uint, dirty bool, err error) {
	exists, err := tableExists(ctx, db, dialectName, migrationsTable)
	if err != nil || !exists {
		return 0, false, err
	}

	var signed int64
	query := "SELECT version, dirty FROM " + migrationsTable + " LIMIT 1"
	err = db.QueryRowContext(ctx, query).Scan(&signed, &dirty)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("reading the applied migration version from %s: %w", migrationsTable, err)
	}
	if signed < 0 {
		// golang-migrate stores -1 with dirty set when the first
		// migration fails.
		return 0, dirty, nil
	}
	return uint(signed), dirty, nil
}

func tableExists(ctx context.Context, db *sql.DB, dialectName, table string) (bool, error) {
	var query string
	switch dialectName {
	case dialect.SQLite:
		query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
	default:
		// golang-migrate creates its table in the current schema.
		query = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	}
	var count int
	if err := db.QueryRowContext(ctx, query, table).Scan(&count); err != nil {
		return false, fmt.Errorf("checking whether table %s exists: %w", table, err)
	}
	return count > 0, nil
}
