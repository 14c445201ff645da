package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/breadbox/breadbox/cmd/breadbox/app"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/demo"
)

// runDemo starts the server on a fresh database filled with a realistic MSP
// book of business and prints a ready test-mode key and a first request.
func runDemo(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	addr := flags.String("addr", "", "listen address; overrides BREADBOX_ADDR (default 127.0.0.1:8080)")
	database := flags.String("database", "", "database URL for the demo (default: a new SQLite file in a temporary folder)")
	if err := parseFlags(flags, args); err != nil {
		return err
	}

	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.SetAddr(*addr)
	}
	cfg.DatabaseURL = *database
	if cfg.DatabaseURL == "" {
		folder, err := os.MkdirTemp("", "breadbox-demo-")
		if err != nil {
			return fmt.Errorf("creating the demo folder: %w", err)
		}
		cfg.DatabaseURL = "sqlite:" + filepath.Join(folder, "breadbox.db")
	}
	cfg.MigrateOnStart = true
	logger := newLogger(cfg.LogLevel)
	slog.SetDefault(logger)

	server, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer server.Close()

	org, err := admin.CreateOrg(ctx, server.DB.Client, "Northwind IT Services (demo)", "enterprise")
	if err != nil {
		return err
	}
	if err := demo.Seed(ctx, server.DB.Client, org.ID); err != nil {
		return fmt.Errorf("filling the demo org: %w", err)
	}
	scopes := make([]string, 0, len(auth.AllScopes))
	for _, scope := range auth.AllScopes {
		scopes = append(scopes, string(scope))
	}
	key, err := admin.CreateKey(ctx, server.DB.Client, admin.KeyParams{OrgID: org.ID, Name: "demo", Scopes: scopes, Test: true})
	if err != nil {
		return err
	}

	base := "http://" + cfg.Addr
	fmt.Printf(`Breadbox demo: org %s on %s

Test-mode key with every scope (its events are recorded, never delivered):

  export BREADBOX_API_KEY=%s

First request:

  curl -s "%s/api/v1/accounts?limit=5&sort=name:asc" -H "Authorization: Bearer $BREADBOX_API_KEY"

GraphQL:

  curl -s %s/graphql -H "Authorization: Bearer $BREADBOX_API_KEY" -H 'Content-Type: application/json' \
    -d '{"query":"{ accounts(first: 5) { totalCount edges { node { name lifecycleStatus currentMrr } } } }"}'

Press Ctrl-C to stop.
`, org.ID, strings.TrimPrefix(cfg.DatabaseURL, "sqlite:"), key.Raw, base, base)
	return server.Serve(ctx)
}
