package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/migrate"
)

func runServe(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := flags.String("addr", "", "listen address; overrides BREADBOX_ADDR")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "Usage: breadbox serve [--addr HOST:PORT]\n\nEnvironment:")
		for _, variable := range config.Variables {
			fmt.Fprintf(flags.Output(), "  %-32s %s\n", variable[0], variable[1])
		}
	}
	if err := flags.Parse(args); err != nil {
		return err
	}

	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.SetAddr(*addr)
	}
	logger := newLogger(cfg.LogLevel)
	slog.SetDefault(logger)

	server, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer server.Close()
	return server.Serve(ctx)
}

func runMigrate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := flags.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}

	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrate.Apply(ctx, db.SQL, db.Dialect); err != nil {
		return fmt.Errorf("applying migrations: %w", err)
	}
	current, latest, _, err := migrate.Status(ctx, db.SQL, db.Dialect)
	if err != nil {
		return err
	}
	fmt.Printf("migrations applied: database at version %d of %d (%s)\n", current, latest, db.Dialect)
	return nil
}

// openDatabase opens and migrates the configured database for an admin
// command, so the commands work on a fresh machine before the first serve.
func openDatabase(ctx context.Context) (*database.DB, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := migrate.Apply(ctx, db.SQL, db.Dialect); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("applying migrations: %w", err)
	}
	return db, nil
}
