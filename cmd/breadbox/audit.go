package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/admin"
)

type auditJSON struct {
	ID             string  `json:"id"`
	At             string  `json:"at"`
	RequestID      string  `json:"requestId"`
	KeyID          *string `json:"keyId"`
	TestMode       bool    `json:"testMode"`
	Method         string  `json:"method"`
	Path           string  `json:"path"`
	OperationName  *string `json:"operationName"`
	Status         int     `json:"status"`
	ErrorCode      *string `json:"errorCode"`
	DurationMs     int     `json:"durationMs"`
	ClientIP       string  `json:"clientIp"`
	UserAgent      *string `json:"userAgent"`
	IdempotencyKey *string `json:"idempotencyKey"`
	Replayed       bool    `json:"replayed"`
}

func toAuditJSON(entry *ent.AuditEntry) auditJSON {
	return auditJSON{
		ID: entry.ID, At: formatTime(entry.CreatedAt), RequestID: entry.RequestID, KeyID: entry.KeyID,
		TestMode: entry.TestMode, Method: entry.Method, Path: entry.Path, OperationName: entry.OperationName,
		Status: entry.Status, ErrorCode: entry.ErrorCode, DurationMs: entry.DurationMs, ClientIP: entry.ClientIP,
		UserAgent: entry.UserAgent, IdempotencyKey: entry.IdempotencyKey, Replayed: entry.Replayed,
	}
}

func runAuditList(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("audit list", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	since := flags.String("since", "", "RFC 3339 time or a duration ago such as 24h (default 24h)")
	limit := flags.Int("limit", 1000, "the most entries to print")
	asJSON := flags.Bool("json", false, "print the entries as JSON")
	if err := parseFlags(flags, args, "org"); err != nil {
		return err
	}
	from, err := parseSince(*since)
	if err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	entries, err := admin.ListAudit(ctx, db.Client, admin.AuditQuery{OrgID: *orgID, Since: from, Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		list := make([]auditJSON, len(entries))
		for i, entry := range entries {
			list[i] = toAuditJSON(entry)
		}
		return printJSON(list)
	}
	table := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "AT\tREQUEST\tKEY\tMETHOD\tPATH\tSTATUS\tERROR\tMS")
	for _, entry := range entries {
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\n", formatTime(entry.CreatedAt), entry.RequestID,
			valueOr(entry.KeyID, "-"), entry.Method, entry.Path, entry.Status, valueOr(entry.ErrorCode, ""), entry.DurationMs)
	}
	return table.Flush()
}

// parseSince reads an RFC 3339 time or a duration before now.
func parseSince(value string) (time.Time, error) {
	if value == "" {
		return time.Now().Add(-24 * time.Hour), nil
	}
	if parsed, err := time.Parse(time.RFC3339Nano, value); err == nil {
		return parsed, nil
	}
	if ago, err := time.ParseDuration(value); err == nil && ago >= 0 {
		return time.Now().Add(-ago), nil
	}
	return time.Time{}, fmt.Errorf("--since %q is neither an RFC 3339 time (2026-05-06T00:00:00Z) nor a duration (24h)", value)
}

func valueOr(value *string, fallback string) string {
	if value == nil {
		return fallback
	}
	return *value
}

func runOrgSetRateLimits(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("org set-rate-limits", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	perKey := flags.Int("per-key", 0, "requests per minute per API key (Pro and Enterprise: 120-300); 0 with --per-org 0 restores the plan's defaults")
	perOrg := flags.Int("per-org", 0, "requests per minute across the org's keys (Pro and Enterprise: 240-600)")
	asJSON := flags.Bool("json", false, "print the org as JSON")
	if err := parseFlags(flags, args, "org"); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	updated, err := admin.SetRateLimits(ctx, db.Client, *orgID, *perKey, *perOrg)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(toOrgJSON(updated))
	}
	fmt.Printf("org %s now allows %s per key and %s per org per minute\n", updated.ID, limitText(updated.RateLimitPerKey), limitText(updated.RateLimitPerOrg))
	return nil
}

func limitText(value *int) string {
	if value == nil {
		return "the plan's default"
	}
	return fmt.Sprint(*value)
}
