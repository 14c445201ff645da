package icp_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/lead"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/apierr"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/icp"
	"github.com/breadbox/breadbox/internal/testdb"
)

// testBundle is a fresh database with one org whose client runs icp.Hook on
// leads, as the Lead schema's Hooks() will once it lists it, and a context
// acting as the system inside the org.
type testBundle struct {
	client *ent.Client
	ctx    context.Context
	orgID  string
}

func setup(t *testing.T) testBundle {
	t.Helper()
	db := testdb.Open(t)
	org, err := admin.CreateOrg(context.Background(), db.Client, "Northwind IT", "")
	require.NoError(t, err)
	db.Client.Lead.Use(icp.Hook())
	return testBundle{client: db.Client, ctx: auth.SystemContext(context.Background(), org.ID), orgID: org.ID}
}

func (b testBundle) reload(t *testing.T, leadID string) *ent.Lead {
	t.Helper()
	stored, err := b.client.Lead.Get(b.ctx, leadID)
	require.NoError(t, err)
	return stored
}

func TestHookScoresOnCreate(t *testing.T) {
	t.Parallel()
	b := setup(t)

	created, err := b.client.Lead.Create().
		SetCompanyName("Bayside Dental Group").
		SetIndustry("Dental").
		SetEmployeeCount(45).
		SetItStaffCount(0).
		SetSource(lead.SourceREFERRAL).
		Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 100, created.IcpScore)

	stored := b.reload(t, created.ID)
	require.Equal(t, 100, stored.IcpScore)
	require.Len(t, stored.IcpBreakdown, 5)
	require.Equal(t, "INDUSTRY", stored.IcpBreakdown[0]["factor"])
	require.EqualValues(t, 30, stored.IcpBreakdown[0]["points"])
	require.EqualValues(t, 30, stored.IcpBreakdown[0]["max"])
	require.Equal(t, "dental is a target vertical", stored.IcpBreakdown[0]["reason"])
}

func TestHookScoresDefaultSource(t *testing.T) {
	t.Parallel()
	b := setup(t)

	// Manufacturing, in the band, 60 ÷ 2 = 30 per IT staff member:
	// 20 × 25 ÷ 45 = 11.1; the default source OTHER adds nothing.
	created, err := b.client.Lead.Create().
		SetCompanyName("Riverside Fabrication").
		SetIndustry("manufacturing").
		SetEmployeeCount(60).
		SetItStaffCount(2).
		Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 30+25+11, b.reload(t, created.ID).IcpScore)
}

func TestHookRescoresOnUpdate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	created, err := b.client.Lead.Create().
		SetCompanyName("Harbor Legal").
		SetIndustry("Legal").
		SetEmployeeCount(30).
		SetSource(lead.SourceWEBSITE).
		Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 30+25+15, created.IcpScore)

	// Only the source changes; the stored industry and count still count.
	require.NoError(t, b.client.Lead.UpdateOneID(created.ID).SetSource(lead.SourcePARTNER).Exec(b.ctx))
	require.Equal(t, 30+25+15+10, b.reload(t, created.ID).IcpScore, "source update")

	require.NoError(t, b.client.Lead.UpdateOneID(created.ID).ClearIndustry().Exec(b.ctx))
	require.Equal(t, 25+10, b.reload(t, created.ID).IcpScore, "industry cleared")

	require.NoError(t, b.client.Lead.UpdateOneID(created.ID).SetStatus(lead.StatusWORKING).SetIcpScore(99).Exec(b.ctx))
	require.Equal(t, 25+10, b.reload(t, created.ID).IcpScore, "a written score is overwritten")
}

func TestHookRescoresBulkUpdate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, name := range []string{"Summit Accounting", "Peak Accounting"} {
		_, err := b.client.Lead.Create().SetCompanyName(name).SetIndustry("Retail").SetSource(lead.SourceEVENT).Save(b.ctx)
		require.NoError(t, err)
	}

	updated, err := b.client.Lead.Update().Where(lead.SourceEQ(lead.SourceEVENT)).SetIndustry("Accounting").Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 2, updated)

	leads, err := b.client.Lead.Query().All(b.ctx)
	require.NoError(t, err)
	for _, stored := range leads {
		require.Equal(t, 30+15, stored.IcpScore, "lead %s", stored.CompanyName)
	}
}

func TestHookWorksForAnAPIKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	key := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.LeadsWrite)})

	created, err := b.client.Lead.Create().SetCompanyName("Clinic Partners").SetIndustry("Healthcare").Save(key)
	require.NoError(t, err)
	require.NoError(t, b.client.Lead.UpdateOneID(created.ID).SetEmployeeCount(12).Exec(key))
	require.Equal(t, 30+25+15, b.reload(t, created.ID).IcpScore, "a key without leads:read still rescores")
}

func TestLoadTargetsDefaults(t *testing.T) {
	t.Parallel()
	b := setup(t)

	targets, err := icp.LoadTargets(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	require.Equal(t, icp.DefaultTargets(), targets)
}

func TestSaveTargetsRoundTripAndRescore(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.client.Org.UpdateOneID(b.orgID).
		SetSettings(map[string]any{"churnRisk": map[string]any{"kept": true}}).
		Exec(b.ctx))
	created, err := b.client.Lead.Create().SetCompanyName("Granite Builders").SetIndustry("Construction").SetEmployeeCount(8).Save(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 0, created.IcpScore)

	targets := icp.Targets{
		Industries:           []string{"Construction"},
		EmployeeMin:          5,
		EmployeeMax:          50,
		ComplianceIndustries: []string{},
	}
	require.NoError(t, icp.SaveTargets(b.ctx, b.client, b.orgID, targets))

	loaded, err := icp.LoadTargets(b.ctx, b.client, b.orgID)
	require.NoError(t, err)
	require.Equal(t, targets, loaded)
	require.Equal(t, 30+25, b.reload(t, created.ID).IcpScore, "existing leads are rescored")

	org, err := b.client.Org.Get(b.ctx, b.orgID)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"kept": true}, org.Settings["churnRisk"], "other settings are kept")
}

func TestSaveTargetsRejectsInvalid(t *testing.T) {
	t.Parallel()
	b := setup(t)

	err := icp.SaveTargets(b.ctx, b.client, b.orgID, icp.Targets{Industries: []string{" "}, EmployeeMin: 50, EmployeeMax: 10})
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.ValidationError, apiErr.Code)
	require.Len(t, apiErr.Details, 2)

	org, err := b.client.Org.Get(b.ctx, b.orgID)
	require.NoError(t, err)
	require.NotContains(t, org.Settings, icp.SettingsKey)
}

func TestTargetsOfAnotherOrgAreNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other, err := admin.CreateOrg(context.Background(), b.client, "Other MSP", "")
	require.NoError(t, err)
	key := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: other.ID, Scopes: auth.NewScopeSet(auth.LeadsRead)})

	_, err = icp.LoadTargets(key, b.client, b.orgID)
	apiErr, ok := apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.NotFound, apiErr.Code)

	err = icp.SaveTargets(key, b.client, b.orgID, icp.DefaultTargets())
	apiErr, ok = apierr.As(err)
	require.True(t, ok, "got %v", err)
	require.Equal(t, apierr.NotFound, apiErr.Code)
}
