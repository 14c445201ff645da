package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/config"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/webhook"
)

// endpointJSON is a webhook endpoint as --json prints it. The secret appears
// only in the output of create and rotate-secret.
type endpointJSON struct {
	ID                      string   `json:"id"`
	OrgID                   string   `json:"orgId"`
	URL                     string   `json:"url"`
	Events                  []string `json:"events"`
	Description             *string  `json:"description"`
	State                   string   `json:"state"`
	DisabledReason          *string  `json:"disabledReason"`
	ConsecutiveFailures     int      `json:"consecutiveFailures"`
	Secret                  string   `json:"secret,omitempty"`
	PreviousSecretExpiresAt *string  `json:"previousSecretExpiresAt"`
	CreatedAt               string   `json:"createdAt"`
	UpdatedAt               string   `json:"updatedAt"`
}

type deliveryJSON struct {
	ID            string `json:"id"`
	EventID       string `json:"eventId"`
	EndpointID    string `json:"endpointId"`
	State         string `json:"state"`
	NextAttemptAt string `json:"nextAttemptAt"`
}

type attemptJSON struct {
	ID              string  `json:"id"`
	DeliveryID      string  `json:"deliveryId"`
	EventID         string  `json:"eventId"`
	Number          int     `json:"number"`
	Status          *int    `json:"status"`
	LatencyMs       int     `json:"latencyMs"`
	Succeeded       bool    `json:"succeeded"`
	Error           *string `json:"error"`
	ResponseExcerpt *string `json:"responseExcerpt"`
	CreatedAt       string  `json:"createdAt"`
}

func toEndpointJSON(e *ent.WebhookEndpoint, secret string) endpointJSON {
	return endpointJSON{
		ID: e.ID, OrgID: e.OrgID, URL: e.URL, Events: e.Events, Description: e.Description,
		State: string(e.State), DisabledReason: e.DisabledReason, ConsecutiveFailures: e.ConsecutiveFailures,
		Secret:                  secret,
		PreviousSecretExpiresAt: formatOptionalTime(e.PreviousSecretExpiresAt),
		CreatedAt:               formatTime(e.CreatedAt),
		UpdatedAt:               formatTime(e.UpdatedAt),
	}
}

// openWebhooks opens the database and returns a webhook manager configured
// from the environment.
func openWebhooks(ctx context.Context) (*database.DB, *webhook.Manager, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, nil, err
	}
	db, err := openDatabase(ctx)
	if err != nil {
		return nil, nil, err
	}
	secrets, err := webhook.LoadSecretBox(cfg.SecretKey, cfg.DatabaseURL)
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	manager := webhook.NewManager(db.Client, webhook.ManagerConfig{
		Secrets:      secrets,
		AllowHTTP:    cfg.WebhookAllowHTTP,
		AllowPrivate: cfg.WebhookAllowPrivate,
	})
	return db, manager, nil
}

// splitEvents reads a comma-separated --events value.
func splitEvents(value string) []string {
	var events []string
	for name := range strings.SplitSeq(value, ",") {
		if name = strings.TrimSpace(name); name != "" {
			events = append(events, name)
		}
	}
	return events
}

const eventsHelp = "comma-separated event names, or * for every event; valid: "

func runWebhookCreate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook create", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	url := flags.String("url", "", "the https URL that receives the events (required)")
	events := flags.String("events", "", eventsHelp+strings.Join(webhook.Events, ",")+" (required)")
	description := flags.String("description", "", "a note on what the endpoint is for")
	asJSON := flags.Bool("json", false, "print the endpoint and its secret as JSON")
	if err := parseFlags(flags, args, "org", "url", "events"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	params := webhook.EndpointParams{URL: *url, Events: splitEvents(*events)}
	if *description != "" {
		params.Description = description
	}
	created, err := manager.Create(ctx, *orgID, params)
	if err != nil {
		return err
	}
	return printEndpointSecret(created, "created webhook endpoint", *asJSON)
}

func printEndpointSecret(result *webhook.EndpointWithSecret, action string, asJSON bool) error {
	if asJSON {
		return printJSON(toEndpointJSON(result.Endpoint, result.Secret))
	}
	fmt.Printf("%s %s for %s (events %s)\n\n  %s\n\nStore the signing secret now: it is shown only once.\n",
		action, result.Endpoint.ID, result.Endpoint.URL, strings.Join(result.Endpoint.Events, ","), result.Secret)
	return nil
}

func runWebhookList(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook list", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	asJSON := flags.Bool("json", false, "print the endpoints as JSON")
	if err := parseFlags(flags, args, "org"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	endpoints, err := manager.List(ctx, *orgID)
	if err != nil {
		return err
	}
	if *asJSON {
		list := make([]endpointJSON, len(endpoints))
		for i, endpoint := range endpoints {
			list[i] = toEndpointJSON(endpoint, "")
		}
		return printJSON(list)
	}
	table := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "ID\tURL\tEVENTS\tSTATE\tFAILURES\tDISABLED REASON")
	for _, endpoint := range endpoints {
		reason := ""
		if endpoint.DisabledReason != nil {
			reason = *endpoint.DisabledReason
		}
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\t%d\t%s\n", endpoint.ID, endpoint.URL, strings.Join(endpoint.Events, ","),
			endpoint.State, endpoint.ConsecutiveFailures, reason)
	}
	return table.Flush()
}

func runWebhookUpdate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook update", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	endpointID := flags.String("id", "", "the endpoint's ID, whe_… (required)")
	url := flags.String("url", "", "a new https URL")
	events := flags.String("events", "", eventsHelp+strings.Join(webhook.Events, ","))
	description := flags.String("description", "", "a new description; an empty value clears it")
	asJSON := flags.Bool("json", false, "print the endpoint as JSON")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	var update webhook.EndpointUpdate
	flags.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "url":
			update.URL = url
		case "events":
			update.Events = splitEvents(*events)
			if update.Events == nil {
				update.Events = []string{}
			}
		case "description":
			update.Description = description
		}
	})
	if update.URL == nil && update.Events == nil && update.Description == nil {
		return errors.New("nothing to update: pass --url, --events or --description")
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	updated, err := manager.Update(ctx, *orgID, *endpointID, update)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(toEndpointJSON(updated, ""))
	}
	fmt.Printf("updated webhook endpoint %s: %s (events %s)\n", updated.ID, updated.URL, strings.Join(updated.Events, ","))
	return nil
}

func runWebhookDisable(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook disable", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	endpointID := flags.String("id", "", "the endpoint's ID, whe_… (required)")
	reason := flags.String("reason", "", "why the endpoint is disabled (default: disabled by an administrator)")
	asJSON := flags.Bool("json", false, "print the endpoint as JSON")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	disabled, err := manager.Disable(ctx, *orgID, *endpointID, *reason)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(toEndpointJSON(disabled, ""))
	}
	fmt.Printf("disabled webhook endpoint %s; its pending deliveries wait until it is enabled\n", disabled.ID)
	return nil
}

func runWebhookEnable(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook enable", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	endpointID := flags.String("id", "", "the endpoint's ID, whe_… (required)")
	asJSON := flags.Bool("json", false, "print the endpoint as JSON")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	enabled, err := manager.Enable(ctx, *orgID, *endpointID)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(toEndpointJSON(enabled, ""))
	}
	fmt.Printf("enabled webhook endpoint %s; failed events can be sent again with webhook redeliver --endpoint %s --since TIME\n", enabled.ID, enabled.ID)
	return nil
}

func runWebhookRotateSecret(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook rotate-secret", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	endpointID := flags.String("id", "", "the endpoint's ID, whe_… (required)")
	overlap := flags.Duration("overlap", webhook.DefaultOverlap, "how long the old secret keeps signing beside the new one, e.g. 24h; 0 retires it at once")
	asJSON := flags.Bool("json", false, "print the endpoint and its new secret as JSON")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rotated, err := manager.RotateSecret(ctx, *orgID, *endpointID, *overlap)
	if err != nil {
		return err
	}
	return printEndpointSecret(rotated, "rotated the secret of webhook endpoint", *asJSON)
}

func runWebhookDelete(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook delete", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	endpointID := flags.String("id", "", "the endpoint's ID, whe_… (required)")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := manager.Delete(ctx, *orgID, *endpointID); err != nil {
		return err
	}
	fmt.Printf("deleted webhook endpoint %s with its deliveries; the events stay\n", *endpointID)
	return nil
}

func runWebhookRedeliver(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook redeliver", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	eventID := flags.String("event", "", "redeliver this event, evt_…")
	endpointID := flags.String("endpoint", "", "redeliver the failed events of this endpoint, whe_… (with --since)")
	since := flags.String("since", "", "with --endpoint: events created at or after this RFC 3339 time, or this long ago, e.g. 24h")
	asJSON := flags.Bool("json", false, "print the scheduled deliveries as JSON")
	if err := parseFlags(flags, args, "org"); err != nil {
		return err
	}
	if (*eventID == "") == (*endpointID == "") {
		return errors.New("pass either --event EVT or --endpoint WHE --since TIME")
	}
	if *endpointID != "" && *since == "" {
		return errors.New("--since is required with --endpoint, e.g. --since 24h or --since 2026-05-01T00:00:00Z")
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()

	var scheduled []*ent.Delivery
	if *eventID != "" {
		scheduled, err = manager.Redeliver(ctx, *orgID, *eventID)
	} else {
		var from time.Time
		if from, err = parseSince(*since); err != nil {
			return err
		}
		scheduled, err = manager.RedeliverFailed(ctx, *orgID, *endpointID, from)
	}
	if err != nil {
		return err
	}

	if *asJSON {
		list := make([]deliveryJSON, len(scheduled))
		for i, d := range scheduled {
			list[i] = deliveryJSON{ID: d.ID, EventID: d.EventID, EndpointID: d.EndpointID, State: string(d.State), NextAttemptAt: formatTime(d.NextAttemptAt)}
		}
		return printJSON(list)
	}
	fmt.Printf("scheduled %d deliveries; a running server sends them\n", len(scheduled))
	return nil
}

func runWebhookAttempts(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("webhook attempts", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	endpointID := flags.String("endpoint", "", "the endpoint's ID, whe_… (required)")
	limit := flags.Int("limit", 50, "the number of attempts to show, newest first")
	asJSON := flags.Bool("json", false, "print the attempts as JSON")
	if err := parseFlags(flags, args, "org", "endpoint"); err != nil {
		return err
	}

	db, manager, err := openWebhooks(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	attempts, err := manager.Attempts(ctx, *orgID, *endpointID, *limit)
	if err != nil {
		return err
	}

	list := make([]attemptJSON, len(attempts))
	for i, a := range attempts {
		list[i] = attemptJSON{
			ID: a.ID, DeliveryID: a.DeliveryID, Number: a.Number, Status: a.Status, LatencyMs: a.LatencyMs,
			Succeeded: a.Succeeded, Error: a.Error, ResponseExcerpt: a.ResponseExcerpt, CreatedAt: formatTime(a.CreatedAt),
		}
		if a.Edges.Delivery != nil {
			list[i].EventID = a.Edges.Delivery.EventID
		}
	}
	if *asJSON {
		return printJSON(list)
	}
	table := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "TIME\tEVENT\tATTEMPT\tSTATUS\tLATENCY\tRESULT")
	for _, a := range list {
		status, result := "-", "ok"
		if a.Status != nil {
			status = fmt.Sprint(*a.Status)
		}
		if !a.Succeeded && a.Error != nil {
			result = *a.Error
		}
		fmt.Fprintf(table, "%s\t%s\t%d\t%s\t%d ms\t%s\n", a.CreatedAt, a.EventID, a.Number, status, a.LatencyMs, result)
	}
	return table.Flush()
}
