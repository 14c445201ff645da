// Package admin holds the operations behind the admin commands (orgs, users
// and API keys), shared by the CLI, the demo and the tests.
package admin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/apikey"
	"github.com/breadbox/breadbox/ent/auditentry"
	"github.com/breadbox/breadbox/ent/org"
	"github.com/breadbox/breadbox/ent/user"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/database"
	"github.com/breadbox/breadbox/internal/ratelimit"
)

// systemContext acts as the system across orgs, for creating orgs.
func systemContext(ctx context.Context) context.Context {
	return auth.WithPrincipal(ctx, &auth.Principal{System: true})
}

// CreateOrg creates an org with the default pipeline stages. The plan is a
// name such as growth or ENTERPRISE; empty means GROWTH.
func CreateOrg(ctx context.Context, client *ent.Client, name, plan string) (*ent.Org, error) {
	value := org.PlanGROWTH
	if plan != "" {
		value = org.Plan(strings.ToUpper(plan))
		if err := org.PlanValidator(value); err != nil {
			return nil, fmt.Errorf("unknown plan %q; use starter, growth, scale, pro or enterprise", plan)
		}
	}

	// The org and its default pipeline stages commit together.
	var created *ent.Org
	err := database.WithTx(systemContext(ctx), client, func(ctx context.Context) error {
		var err error
		created, err = database.Client(ctx, client).Org.Create().
			SetName(strings.TrimSpace(name)).
			SetPlan(value).
			Save(ctx)
		return err
	})
	if err != nil {
		return nil, describe("creating the org", err)
	}
	return created, nil
}

// ListOrgs returns every org, oldest first.
func ListOrgs(ctx context.Context, client *ent.Client) ([]*ent.Org, error) {
	return client.Org.Query().Order(ent.Asc(org.FieldCreatedAt)).All(systemContext(ctx))
}

// CreateUser adds a user to an org. The role is a name such as admin or
// ACCOUNT_MANAGER; empty means VIEWER.
func CreateUser(ctx context.Context, client *ent.Client, orgID, name, email, role string) (*ent.User, error) {
	ctx, err := orgContext(ctx, client, orgID)
	if err != nil {
		return nil, err
	}
	create := client.User.Create().SetName(strings.TrimSpace(name)).SetEmail(email)
	if role != "" {
		value := user.Role(strings.ToUpper(role))
		if err := user.RoleValidator(value); err != nil {
			return nil, fmt.Errorf("unknown role %q; use admin, account_manager, sales_rep, service_manager, technician or viewer", role)
		}
		create.SetRole(value)
	}
	created, err := create.Save(ctx)
	if err != nil {
		return nil, describe("creating the user", err)
	}
	return created, nil
}

// NewKey is a created API key with its raw value, which is shown only once.
type NewKey struct {
	Key *ent.APIKey
	Raw string
}

// KeyParams describes an API key to create.
type KeyParams struct {
	OrgID     string
	Name      string
	Scopes    []string
	Test      bool
	ExpiresAt *time.Time
}

// CreateKey creates an API key and returns its raw value; only the hash is
// stored.
func CreateKey(ctx context.Context, client *ent.Client, params KeyParams) (NewKey, error) {
	ctx, err := orgContext(ctx, client, params.OrgID)
	if err != nil {
		return NewKey{}, err
	}
	scopes, err := auth.ParseScopes(params.Scopes)
	if err != nil {
		return NewKey{}, err
	}
	generated, err := auth.GenerateKey(params.Test)
	if err != nil {
		return NewKey{}, fmt.Errorf("generating the key: %w", err)
	}

	names := make([]string, len(scopes))
	for i, scope := range scopes {
		names[i] = string(scope)
	}
	mode := apikey.ModeLIVE
	if params.Test {
		mode = apikey.ModeTEST
	}
	created, err := client.APIKey.Create().
		SetName(strings.TrimSpace(params.Name)).
		SetScopes(names).
		SetMode(mode).
		SetHash(generated.Hash).
		SetDisplayPrefix(generated.DisplayPrefix).
		SetNillableExpiresAt(params.ExpiresAt).
		Save(ctx)
	if err != nil {
		return NewKey{}, describe("creating the key", err)
	}
	return NewKey{Key: created, Raw: generated.Raw}, nil
}

// ListKeys returns the API keys of an org, newest first.
func ListKeys(ctx context.Context, client *ent.Client, orgID string) ([]*ent.APIKey, error) {
	ctx, err := orgContext(ctx, client, orgID)
	if err != nil {
		return nil, err
	}
	return client.APIKey.Query().Order(ent.Desc(apikey.FieldCreatedAt)).All(ctx)
}

// RevokeKey revokes an API key of the org. Revoking a revoked key is a no-op.
func RevokeKey(ctx context.Context, client *ent.Client, orgID, keyID string) (*ent.APIKey, error) {
	ctx, err := orgContext(ctx, client, orgID)
	if err != nil {
		return nil, err
	}
	key, err := client.APIKey.Get(ctx, keyID)
	if err != nil {
		return nil, describe("finding key "+keyID, err)
	}
	if key.RevokedAt != nil {
		return key, nil
	}
	return client.APIKey.UpdateOne(key).SetRevokedAt(time.Now().UTC().Truncate(time.Millisecond)).Save(ctx)
}

// RotateKey creates a key with the same name, scopes, mode and expiry as an
// existing one and revokes the old one, in one transaction.
func RotateKey(ctx context.Context, client *ent.Client, orgID, keyID string) (NewKey, error) {
	ctx, err := orgContext(ctx, client, orgID)
	if err != nil {
		return NewKey{}, err
	}

	var rotated NewKey
	err = database.WithTx(ctx, client, func(ctx context.Context) error {
		tx := database.Client(ctx, client)
		old, err := tx.APIKey.Get(ctx, keyID)
		if err != nil {
			return describe("finding key "+keyID, err)
		}
		if old.RevokedAt != nil {
			return fmt.Errorf("key %s is revoked; create a new key instead", keyID)
		}
		rotated, err = CreateKey(ctx, tx, KeyParams{
			OrgID:     orgID,
			Name:      old.Name,
			Scopes:    old.Scopes,
			Test:      old.Mode == apikey.ModeTEST,
			ExpiresAt: old.ExpiresAt,
		})
		if err != nil {
			return err
		}
		_, err = RevokeKey(ctx, tx, orgID, keyID)
		return err
	})
	return rotated, err
}

// orgContext checks that the org exists and returns a context acting as the
// system inside it.
func orgContext(ctx context.Context, client *ent.Client, orgID string) (context.Context, error) {
	if orgID == "" {
		return nil, fmt.Errorf("no org given; pass --org org_… (breadbox org list shows them)")
	}
	exists, err := client.Org.Query().Where(org.ID(orgID)).Exist(systemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("looking up org %s: %w", orgID, err)
	}
	if !exists {
		return nil, fmt.Errorf("org %s not found; breadbox org list shows the orgs", orgID)
	}
	return auth.SystemContext(ctx, orgID), nil
}

// describe turns an ent error into a message for the command line.
func describe(action string, err error) error {
	apiErr := apierr.From(err)
	if apiErr.Code == apierr.InternalError {
		return fmt.Errorf("%s: %w", action, err)
	}
	return fmt.Errorf("%s: %s", action, apiErr.Message)
}

// SetRateLimits sets an org's per-key and org-wide requests per minute within
// its plan's range; zero values restore the plan's defaults.
func SetRateLimits(ctx context.Context, client *ent.Client, orgID string, perKey, perOrg int) (*ent.Org, error) {
	ctx, err := orgContext(ctx, client, orgID)
	if err != nil {
		return nil, err
	}
	current, err := client.Org.Get(ctx, orgID)
	if err != nil {
		return nil, describe("loading org "+orgID, err)
	}

	update := client.Org.UpdateOne(current)
	if perKey == 0 && perOrg == 0 {
		return update.ClearRateLimitPerKey().ClearRateLimitPerOrg().Save(ctx)
	}
	if err := ratelimit.ValidateOverride(string(current.Plan), ratelimit.Limits{PerKey: perKey, PerOrg: perOrg}); err != nil {
		return nil, err
	}
	return update.SetRateLimitPerKey(perKey).SetRateLimitPerOrg(perOrg).Save(ctx)
}

// AuditQuery selects audit entries.
type AuditQuery struct {
	OrgID string
	Since time.Time
	Limit int
}

// ListAudit returns an org's audit entries since a time, oldest first.
func ListAudit(ctx context.Context, client *ent.Client, query AuditQuery) ([]*ent.AuditEntry, error) {
	ctx, err := orgContext(ctx, client, query.OrgID)
	if err != nil {
		return nil, err
	}
	limit := query.Limit
	if limit <= 0 {
		limit = 1000
	}
	return client.AuditEntry.Query().
		Where(auditentry.OrgID(query.OrgID), auditentry.CreatedAtGTE(query.Since)).
		Order(ent.Asc(auditentry.FieldCreatedAt), ent.Asc(auditentry.FieldID)).
		Limit(limit).
		All(ctx)
}
