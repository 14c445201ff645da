package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/golang-migrate/migrate/v4/database/sqlite"
)

// applySQLite applies the migrations in folder dir of fsys to the SQLite
// database behind db.
//
// The migrations run on a separate one-connection pool with foreign keys off.
// Atlas rebuilds a table to change it (create a copy, copy the rows, drop the
// old table, rename the copy), and golang-migrate runs each file in a
// transaction, where the file's own "PRAGMA foreign_keys = off" does nothing.
// With foreign keys on, dropping the old table would set the references of
// ON DELETE SET NULL children to NULL, or fail on NO ACTION ones. The
// references are checked with PRAGMA foreign_key_check afterwards instead.
func applySQLite(ctx context.Context, db *sql.DB, fsys fs.FS, dir string) error {
	path, err := sqliteFile(ctx, db)
	if err != nil {
		return err
	}
	if path == "" {
		return applySQLiteInPlace(ctx, db, fsys, dir)
	}

	pool, err := openSQLiteForMigrations(ctx, path)
	if err != nil {
		return err
	}
	// The driver is not closed because its Close only closes pool.
	defer pool.Close()

	driver, err := sqlite.WithInstance(pool, &sqlite.Config{MigrationsTable: migrationsTable})
	if err != nil {
		return fmt.Errorf("preparing the SQLite migrations on %s: %w", path, err)
	}
	applied, err := run(ctx, driver, dialect.SQLite, fsys, dir)
	if err != nil || !applied {
		return err
	}
	return checkForeignKeys(ctx, pool)
}

// applySQLiteInPlace applies the migrations on db itself, for an in-memory
// database that no second pool can open. It never closes the driver, because
// the driver's Close closes db.
//
// NOTE: here foreign keys stay as db has them, so a table rebuild with foreign
// keys on can change or reject child rows, as described at applySQLite.
func applySQLiteInPlace(ctx context.Context, db *sql.DB, fsys fs.FS, dir string) error {
	driver, err := sqlite.WithInstance(db, &sqlite.Config{MigrationsTable: migrationsTable})
	if err != nil {
		return fmt.Errorf("preparing the SQLite migrations: %w", err)
	}
	_, err = run(ctx, driver, dialect.SQLite, fsys, dir)
	return err
}

// sqliteFile returns the file of db's main database, or "" for an in-memory
// or temporary database.
func sqliteFile(ctx context.Context, db *sql.DB) (string, error) {
	var path string
	err := db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path)
	if err != nil {
		return "", fmt.Errorf("reading the SQLite database file name: %w", err)
	}
	return path, nil
}

// openSQLiteForMigrations opens a single-connection pool on the database file
// at path with foreign keys off. Write transactions start with BEGIN IMMEDIATE
// and wait up to 15 s for other writers, as the application's own pool does.
func openSQLiteForMigrations(ctx context.Context, path string) (*sql.DB, error) {
	// SQLite reads the file name as a URI, so escape the characters that
	// would end the path or start an escape.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	params := []string{
		"_pragma=foreign_keys(0)",
		"_pragma=busy_timeout(15000)",
		"_txlock=immediate",
	}
	pool, err := sql.Open("sqlite", "file:"+escaped+"?"+strings.Join(params, "&"))
	if err != nil {
		return nil, fmt.Errorf("opening %s for migrations: %w", path, err)
	}
	pool.SetMaxOpenConns(1)

	if err := pool.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("opening %s for migrations: %w", path, err), pool.Close())
	}
	return pool, nil
}

// checkForeignKeys returns an error that lists up to five rows whose
// references point nowhere, as found by PRAGMA foreign_key_check.
func checkForeignKeys(ctx context.Context, pool *sql.DB) error {
	rows, err := pool.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("checking foreign keys after the migrations: %w", err)
	}
	defer rows.Close()

	var violations []string
	for rows.Next() {
		var (
			table, parent string
			rowID         sql.NullInt64
			constraintID  int
		)
		if err := rows.Scan(&table, &rowID, &parent, &constraintID); err != nil {
			return fmt.Errorf("reading the foreign key check: %w", err)
		}
		if len(violations) < 5 {
			violations = append(violations, fmt.Sprintf("%s row %d references a missing %s row", table, rowID.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading the foreign key check: %w", err)
	}
	if len(violations) > 0 {
		return fmt.Errorf("the migrations left rows with broken foreign keys: %s; fix the data or the migration", strings.Join(violations, "; "))
	}
	return nil
}
