package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"entgo.io/ent/dialect"
	"github.com/golang-migrate/migrate/v4/database/pgx/v5"
	pgxdriver "github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// applyPostgres applies the migrations in folder dir of fsys to the
// PostgreSQL database behind db.
//
// golang-migrate's pgx driver holds one connection of the pool it gets for
// its advisory lock, and its Close closes that pool too. So the migrations run
// on a pool of their own, opened with the connection settings of db, which is
// closed when they are done.
func applyPostgres(ctx context.Context, db *sql.DB, fsys fs.FS, dir string) error {
	config, err := postgresConfig(ctx, db)
	if err != nil {
		return err
	}
	pool := stdlib.OpenDB(*config)

	driver, err := pgx.WithInstance(pool, &pgx.Config{MigrationsTable: migrationsTable})
	if err != nil {
		return errors.Join(fmt.Errorf("preparing the PostgreSQL migrations: %w", err), pool.Close())
	}
	_, err = run(ctx, driver, dialect.Postgres, fsys, dir)

	// Close releases the driver's connection and closes pool.
	if closeErr := driver.Close(); closeErr != nil {
		err = errors.Join(err, fmt.Errorf("closing the PostgreSQL migration connection: %w", closeErr))
	}
	return err
}

// postgresConfig returns a copy of the pgx connection settings of db, which
// must use the pgx stdlib driver.
func postgresConfig(ctx context.Context, db *sql.DB) (*pgxdriver.ConnConfig, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to PostgreSQL for migrations: %w", err)
	}
	defer conn.Close()

	var config *pgxdriver.ConnConfig
	err = conn.Raw(func(driverConn any) error {
		pgxConn, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the PostgreSQL pool has %T connections; open it with the pgx driver (github.com/jackc/pgx/v5/stdlib)", driverConn)
		}
		config = pgxConn.Conn().Config()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return config, nil
}
