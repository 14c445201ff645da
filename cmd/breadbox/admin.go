package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
)

// The JSON shapes printed by --json. Times are RFC 3339 with milliseconds.
type orgJSON struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Plan            string `json:"plan"`
	RateLimitPerKey *int   `json:"rateLimitPerKey"`
	RateLimitPerOrg *int   `json:"rateLimitPerOrg"`
	CreatedAt       string `json:"createdAt"`
}

type userJSON struct {
	ID        string `json:"id"`
	OrgID     string `json:"orgId"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	CreatedAt string `json:"createdAt"`
}

type keyJSON struct {
	ID            string   `json:"id"`
	OrgID         string   `json:"orgId"`
	Key           string   `json:"key,omitempty"`
	Name          string   `json:"name"`
	Scopes        []string `json:"scopes"`
	Mode          string   `json:"mode"`
	DisplayPrefix string   `json:"displayPrefix"`
	CreatedAt     string   `json:"createdAt"`
	LastUsedAt    *string  `json:"lastUsedAt"`
	ExpiresAt     *string  `json:"expiresAt"`
	RevokedAt     *string  `json:"revokedAt"`
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func formatOptionalTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	formatted := formatTime(*t)
	return &formatted
}

func toOrgJSON(o *ent.Org) orgJSON {
	return orgJSON{
		ID: o.ID, Name: o.Name, Plan: string(o.Plan),
		RateLimitPerKey: o.RateLimitPerKey, RateLimitPerOrg: o.RateLimitPerOrg,
		CreatedAt: formatTime(o.CreatedAt),
	}
}

func toKeyJSON(k *ent.APIKey, raw string) keyJSON {
	return keyJSON{
		ID: k.ID, OrgID: k.OrgID, Key: raw, Name: k.Name, Scopes: k.Scopes,
		Mode: strings.ToLower(string(k.Mode)), DisplayPrefix: k.DisplayPrefix,
		CreatedAt:  formatTime(k.CreatedAt),
		LastUsedAt: formatOptionalTime(k.LastUsedAt),
		ExpiresAt:  formatOptionalTime(k.ExpiresAt),
		RevokedAt:  formatOptionalTime(k.RevokedAt),
	}
}

func printJSON(value any) error {
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	return encoder.Encode(value)
}

// parseFlags parses a command's flags and rejects stray arguments.
func parseFlags(flags *flag.FlagSet, args []string, required ...string) error {
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; flags go as --name value", flags.Arg(0))
	}
	for _, name := range required {
		if flags.Lookup(name).Value.String() == "" {
			return fmt.Errorf("--%s is required (see --help)", name)
		}
	}
	return nil
}

func runOrgCreate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("org create", flag.ContinueOnError)
	name := flags.String("name", "", "the org's name (required)")
	plan := flags.String("plan", "growth", "starter, growth, scale, pro or enterprise; sets the rate limits")
	asJSON := flags.Bool("json", false, "print the org as JSON")
	if err := parseFlags(flags, args, "name"); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	created, err := admin.CreateOrg(ctx, db.Client, *name, *plan)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(toOrgJSON(created))
	}
	fmt.Printf("created org %s (%s, plan %s) with the default pipeline\n", created.ID, created.Name, created.Plan)
	return nil
}

func runOrgList(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("org list", flag.ContinueOnError)
	asJSON := flags.Bool("json", false, "print the orgs as JSON")
	if err := parseFlags(flags, args); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := admin.ListOrgs(ctx, db.Client)
	if err != nil {
		return err
	}
	if *asJSON {
		list := make([]orgJSON, len(orgs))
		for i, o := range orgs {
			list[i] = toOrgJSON(o)
		}
		return printJSON(list)
	}
	table := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "ID\tNAME\tPLAN\tCREATED")
	for _, o := range orgs {
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\n", o.ID, o.Name, o.Plan, formatTime(o.CreatedAt))
	}
	return table.Flush()
}

func runUserCreate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("user create", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	name := flags.String("name", "", "the user's name (required)")
	email := flags.String("email", "", "the user's email, unique in the org (required)")
	role := flags.String("role", "viewer", "admin, account_manager, sales_rep, service_manager, technician or viewer")
	asJSON := flags.Bool("json", false, "print the user as JSON")
	if err := parseFlags(flags, args, "org", "name", "email"); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	created, err := admin.CreateUser(ctx, db.Client, *orgID, *name, *email, *role)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(userJSON{
			ID: created.ID, OrgID: created.OrgID, Name: created.Name, Email: created.Email,
			Role: string(created.Role), CreatedAt: formatTime(created.CreatedAt),
		})
	}
	fmt.Printf("created user %s (%s, %s)\n", created.ID, created.Email, created.Role)
	return nil
}

func runKeyCreate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("key create", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	name := flags.String("name", "", "a name that says who uses the key (required)")
	scopes := flags.String("scopes", "", "comma-separated scopes, e.g. accounts:read,devices:write (required); valid: "+auth.JoinScopes(auth.AllScopes))
	test := flags.Bool("test", false, "create an msp_test_ key, whose events are never delivered")
	expires := flags.Duration("expires-in", 0, "make the key expire after this long, e.g. 720h (default: never)")
	asJSON := flags.Bool("json", false, "print the key as JSON")
	if err := parseFlags(flags, args, "org", "name", "scopes"); err != nil {
		return err
	}
	if *expires < 0 {
		return fmt.Errorf("--expires-in must be positive, got %s", *expires)
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()

	params := admin.KeyParams{OrgID: *orgID, Name: *name, Scopes: strings.Split(*scopes, ","), Test: *test}
	if *expires > 0 {
		expiresAt := time.Now().Add(*expires).UTC().Truncate(time.Millisecond)
		params.ExpiresAt = &expiresAt
	}
	created, err := admin.CreateKey(ctx, db.Client, params)
	if err != nil {
		return err
	}
	return printNewKey(created, *asJSON)
}

func printNewKey(created admin.NewKey, asJSON bool) error {
	if asJSON {
		return printJSON(toKeyJSON(created.Key, created.Raw))
	}
	fmt.Printf("created key %s (%s) with scopes %s\n\n  %s\n\nStore it now: it is shown only once.\n",
		created.Key.ID, created.Key.Name, strings.Join(created.Key.Scopes, ","), created.Raw)
	return nil
}

func runKeyList(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("key list", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	asJSON := flags.Bool("json", false, "print the keys as JSON")
	if err := parseFlags(flags, args, "org"); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := admin.ListKeys(ctx, db.Client, *orgID)
	if err != nil {
		return err
	}
	if *asJSON {
		list := make([]keyJSON, len(keys))
		for i, key := range keys {
			list[i] = toKeyJSON(key, "")
		}
		return printJSON(list)
	}
	table := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "ID\tNAME\tPREFIX\tMODE\tSCOPES\tLAST USED\tREVOKED")
	for _, key := range keys {
		lastUsed, revoked := "never", ""
		if key.LastUsedAt != nil {
			lastUsed = formatTime(*key.LastUsedAt)
		}
		if key.RevokedAt != nil {
			revoked = formatTime(*key.RevokedAt)
		}
		fmt.Fprintf(table, "%s\t%s\t%s…\t%s\t%s\t%s\t%s\n", key.ID, key.Name, key.DisplayPrefix,
			strings.ToLower(string(key.Mode)), strings.Join(key.Scopes, ","), lastUsed, revoked)
	}
	return table.Flush()
}

func runKeyRevoke(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("key revoke", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	keyID := flags.String("id", "", "the key's ID, key_… (required)")
	asJSON := flags.Bool("json", false, "print the key as JSON")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	revoked, err := admin.RevokeKey(ctx, db.Client, *orgID, *keyID)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(toKeyJSON(revoked, ""))
	}
	fmt.Printf("revoked key %s (%s); running servers reject it within BREADBOX_KEY_CACHE_TTL\n", revoked.ID, revoked.Name)
	return nil
}

func runKeyRotate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("key rotate", flag.ContinueOnError)
	orgID := flags.String("org", "", "the org's ID, org_… (required)")
	keyID := flags.String("id", "", "the ID of the key to replace, key_… (required)")
	asJSON := flags.Bool("json", false, "print the new key as JSON")
	if err := parseFlags(flags, args, "org", "id"); err != nil {
		return err
	}

	db, err := openDatabase(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rotated, err := admin.RotateKey(ctx, db.Client, *orgID, *keyID)
	if err != nil {
		return err
	}
	return printNewKey(rotated, *asJSON)
}
