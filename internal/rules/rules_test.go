package rules_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/account"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/ent/task"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/rules"
	"github.com/breadbox/breadbox/internal/testdb"
)

func setup(t *testing.T) (context.Context, *ent.Client) {
	t.Helper()
	db := testdb.Open(t)
	org, err := admin.CreateOrg(context.Background(), db.Client, "Rules MSP", "")
	require.NoError(t, err)
	return auth.SystemContext(context.Background(), org.ID), db.Client
}

func TestUnchangedUpdateKeepsUpdatedAt(t *testing.T) {
	ctx, client := setup(t)
	created, err := client.Account.Create().SetName("Acme").SetIndustry("Legal").Save(ctx)
	require.NoError(t, err)

	time.Sleep(5 * time.Millisecond) // timestamps have millisecond precision
	same, err := client.Account.UpdateOneID(created.ID).SetName("Acme").SetIndustry("Legal").Save(ctx)
	require.NoError(t, err)
	require.True(t, created.UpdatedAt.Equal(same.UpdatedAt), "no field changed, so updatedAt stays")

	changed, err := client.Account.UpdateOneID(created.ID).SetName("Acme Health").Save(ctx)
	require.NoError(t, err)
	require.True(t, changed.UpdatedAt.After(created.UpdatedAt))
}

func TestTaskCompletedAtFollowsStatus(t *testing.T) {
	ctx, client := setup(t)
	created, err := client.Task.Create().SetTitle("Replace firewall").Save(ctx)
	require.NoError(t, err)
	require.Nil(t, created.CompletedAt)

	done, err := client.Task.UpdateOneID(created.ID).SetStatus(task.StatusDONE).Save(ctx)
	require.NoError(t, err)
	require.NotNil(t, done.CompletedAt)

	still, err := client.Task.UpdateOneID(done.ID).SetStatus(task.StatusDONE).SetTitle("Replace firewall today").Save(ctx)
	require.NoError(t, err)
	require.True(t, done.CompletedAt.Equal(*still.CompletedAt), "staying DONE keeps the completion time")

	reopened, err := client.Task.UpdateOneID(done.ID).SetStatus(task.StatusIN_PROGRESS).Save(ctx)
	require.NoError(t, err)
	require.Nil(t, reopened.CompletedAt)

	createdDone, err := client.Task.Create().SetTitle("Already done").SetStatus(task.StatusDONE).Save(ctx)
	require.NoError(t, err)
	require.NotNil(t, createdDone.CompletedAt)
}

func TestDealStageMoves(t *testing.T) {
	ctx, client := setup(t)
	acme, err := client.Account.Create().SetName("Acme").Save(ctx)
	require.NoError(t, err)

	deal, err := client.Deal.Create().SetName("Managed IT").SetAccountID(acme.ID).Save(ctx)
	require.NoError(t, err)
	require.Equal(t, "PROSPECT", deal.Stage, "the first stage is the default")
	require.Equal(t, 10, *deal.Probability, "the stage's probability is the default")

	_, err = client.Deal.UpdateOneID(deal.ID).SetStage("NOPE").Save(ctx)
	apiErr := apierr.From(err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Contains(t, apiErr.Message, "CLOSED_WON")

	negotiation, err := client.Deal.UpdateOneID(deal.ID).SetStage("NEGOTIATION").Save(ctx)
	require.NoError(t, err)
	require.Equal(t, 60, *negotiation.Probability)
	require.Nil(t, negotiation.ClosedAt)

	won, err := client.Deal.UpdateOneID(deal.ID).SetStage("CLOSED_WON").Save(ctx)
	require.NoError(t, err)
	require.NotNil(t, won.ClosedAt)
	require.Equal(t, 100, *won.Probability)
	onboarding, err := client.Account.Get(ctx, acme.ID)
	require.NoError(t, err)
	require.Equal(t, account.LifecycleStatusONBOARDING, onboarding.LifecycleStatus, "a win starts onboarding")

	reopened, err := client.Deal.UpdateOneID(deal.ID).SetStage("NEGOTIATION").SetProbability(70).Save(ctx)
	require.NoError(t, err)
	require.Nil(t, reopened.ClosedAt, "leaving a closed stage clears closedAt")
	require.Equal(t, 70, *reopened.Probability, "an explicit probability overrides the stage's")
}

func TestContactEmailIsUniqueIgnoringCase(t *testing.T) {
	ctx, client := setup(t)
	_, err := client.Contact.Create().SetFirstName("Sarah").SetEmail("Sarah@Acme.example").Save(ctx)
	require.NoError(t, err)

	_, err = client.Contact.Create().SetFirstName("Sarah").SetEmail("sarah@acme.EXAMPLE").Save(ctx)
	apiErr := apierr.From(err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Equal(t, []any{"email"}, apiErr.Details[0].Path)

	_, err = client.Contact.Create().SetFirstName("Bad").SetEmail("not-an-email").Save(ctx)
	require.Equal(t, apierr.ValidationError, apierr.From(err).Code)
}

func TestTextWithNulIsRejected(t *testing.T) {
	ctx, client := setup(t)
	_, err := client.Account.Create().SetName("Acme\x00Corp").Save(ctx)
	apiErr := apierr.From(err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Equal(t, []any{"name"}, apiErr.Details[0].Path)
}

func TestOneOrgCannotReferenceAnother(t *testing.T) {
	ctx, client := setup(t)
	other, err := admin.CreateOrg(context.Background(), client, "Other MSP", "")
	require.NoError(t, err)
	foreign, err := client.Account.Create().SetName("Foreign").Save(auth.SystemContext(context.Background(), other.ID))
	require.NoError(t, err)

	_, err = client.Deal.Create().SetName("Poach").SetAccountID(foreign.ID).Save(ctx)
	apiErr := apierr.From(err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Equal(t, []any{"accountId"}, apiErr.Details[0].Path)

	device, err := client.Account.Create().SetName("Mine").Save(ctx)
	require.NoError(t, err)
	_, err = client.Deal.Create().SetName("Wrong type").SetAccountID("dev_" + device.ID[4:]).Save(ctx)
	require.Contains(t, apierr.From(err).Message, "must be an ID starting with acc_")
}

func TestLeadStatusKeepsConvertedForConversion(t *testing.T) {
	ctx, client := setup(t)
	created, err := client.Lead.Create().SetCompanyName("Harbor Dental").Save(ctx)
	require.NoError(t, err)

	_, err = client.Lead.UpdateOneID(created.ID).SetStatus(lead.StatusCONVERTED).Save(ctx)
	require.Equal(t, apierr.ValidationError, apierr.From(err).Code, "CONVERTED only through conversion")

	account, err := client.Account.Create().SetName("Harbor Dental").Save(ctx)
	require.NoError(t, err)
	converted, err := client.Lead.UpdateOneID(created.ID).SetStatus(lead.StatusCONVERTED).SetConvertedAccountID(account.ID).Save(ctx)
	require.NoError(t, err)
	require.Equal(t, lead.StatusCONVERTED, converted.Status)

	_, err = client.Lead.UpdateOneID(created.ID).SetStatus(lead.StatusWORKING).Save(ctx)
	require.Equal(t, apierr.ValidationError, apierr.From(err).Code, "a converted lead keeps its status")
}

func TestContainsNULWalksJSONValues(t *testing.T) {
	t.Parallel()
	require.True(t, rules.ContainsNUL(map[string]any{"note": "a\u0000b"}))
	require.True(t, rules.ContainsNUL(map[string]any{"a\u0000": 1}))
	require.True(t, rules.ContainsNUL([]any{1, map[string]any{"deep": []any{"x\u0000"}}}))
	require.False(t, rules.ContainsNUL(map[string]any{"note": `see \u0000 in the log`}), "escaped text is not a NUL")
	require.False(t, rules.ContainsNUL(map[string]any{"count": 3, "flag": true, "none": nil}))
}
