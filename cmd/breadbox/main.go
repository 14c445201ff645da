// Command breadbox is the Breadbox server and its admin tool.
//
//	breadbox serve                      run the API server
//	breadbox demo                       run it on a fresh database of demo data
//	breadbox migrate                    apply pending database migrations
//	breadbox org create --name N        create an org
//	breadbox user create --org ORG …    add a user to an org
//	breadbox key create --org ORG …     create an API key (printed once)
//	breadbox key list|revoke|rotate     manage API keys
//	breadbox audit list --org ORG …     read the audit log
//	breadbox webhook create --org ORG … add a webhook endpoint (secret printed once)
//	breadbox webhook list|update|disable|enable|rotate-secret|delete|redeliver|attempts
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "breadbox:", err)
		os.Exit(1)
	}
}

// command is one subcommand: its words ("key create") and its function.
type command struct {
	words   []string
	summary string
	run     func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{[]string{"serve"}, "run the API server", runServe},
		{[]string{"demo"}, "run the server on a fresh database filled with demo data", runDemo},
		{[]string{"migrate"}, "apply pending database migrations and exit", runMigrate},
		{[]string{"org", "create"}, "create an org with the default pipeline", runOrgCreate},
		{[]string{"org", "list"}, "list orgs", runOrgList},
		{[]string{"org", "set-rate-limits"}, "set an org's per-key and org-wide requests per minute", runOrgSetRateLimits},
		{[]string{"audit", "list"}, "list an org's audit entries", runAuditList},
		{[]string{"user", "create"}, "add a user to an org", runUserCreate},
		{[]string{"key", "create"}, "create an API key; the raw key is printed once", runKeyCreate},
		{[]string{"key", "list"}, "list an org's API keys", runKeyList},
		{[]string{"key", "revoke"}, "revoke an API key", runKeyRevoke},
		{[]string{"key", "rotate"}, "replace an API key with a new one of the same scopes", runKeyRotate},
		{[]string{"webhook", "create"}, "add a webhook endpoint; its signing secret is printed once", runWebhookCreate},
		{[]string{"webhook", "list"}, "list an org's webhook endpoints", runWebhookList},
		{[]string{"webhook", "update"}, "change a webhook endpoint's URL, events or description", runWebhookUpdate},
		{[]string{"webhook", "disable"}, "stop deliveries to a webhook endpoint", runWebhookDisable},
		{[]string{"webhook", "enable"}, "resume deliveries to a webhook endpoint and reset its failure count", runWebhookEnable},
		{[]string{"webhook", "rotate-secret"}, "give a webhook endpoint a new signing secret, printed once", runWebhookRotateSecret},
		{[]string{"webhook", "delete"}, "delete a webhook endpoint and its deliveries", runWebhookDelete},
		{[]string{"webhook", "redeliver"}, "send one event, or an endpoint's failed events since a time, again", runWebhookRedeliver},
		{[]string{"webhook", "attempts"}, "list the latest delivery attempts to a webhook endpoint", runWebhookAttempts},
	}
}

func run(ctx context.Context, args []string) error {
	for _, cmd := range commands() {
		if len(args) >= len(cmd.words) && equalWords(args[:len(cmd.words)], cmd.words) {
			return cmd.run(ctx, args[len(cmd.words):])
		}
	}
	usage()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		return nil
	}
	return fmt.Errorf("unknown command %q; see the list above", joinWords(args))
}

func usage() {
	fmt.Fprintln(os.Stderr, "Usage: breadbox COMMAND [flags]\n\nCommands:")
	for _, cmd := range commands() {
		fmt.Fprintf(os.Stderr, "  %-14s %s\n", joinWords(cmd.words), cmd.summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun breadbox COMMAND --help for the flags of a command.")
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func joinWords(words []string) string {
	joined := ""
	for i, word := range words {
		if i > 0 {
			joined += " "
		}
		joined += word
	}
	return joined
}

// newLogger returns the JSON logger of the process.
func newLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}
