package churn_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/breadbox/breadbox/ent"
	"github.com/breadbox/breadbox/ent/accountcontact"
	"github.com/breadbox/breadbox/ent/contract"
	"github.com/breadbox/breadbox/ent/healthsignal"
	"github.com/breadbox/breadbox/ent/touchpoint"
	"github.com/breadbox/breadbox/internal/admin"
	"github.com/breadbox/breadbox/internal/auth"
	"github.com/breadbox/breadbox/internal/churn"
	"github.com/breadbox/breadbox/internal/testdb"
)

// now is the calculation time of the tests: a Monday noon, UTC.
var now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// testBundle is a fresh database with one org and a context acting as the
// system inside it.
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
	return testBundle{client: db.Client, ctx: auth.SystemContext(context.Background(), org.ID), orgID: org.ID}
}

func (b testBundle) account(t *testing.T, name string) *ent.Account {
	t.Helper()
	created, err := b.client.Account.Create().SetName(name).Save(b.ctx)
	require.NoError(t, err)
	return created
}

// contact creates a contact linked to the account with the influence, if
// any.
func (b testBundle) contact(t *testing.T, accountID, name string, influence accountcontact.Influence) *ent.Contact {
	t.Helper()
	created, err := b.client.Contact.Create().SetFirstName(name).Save(b.ctx)
	require.NoError(t, err)
	link := b.client.AccountContact.Create().SetAccountID(accountID).SetContactID(created.ID)
	if influence != "" {
		link.SetInfluence(influence)
	}
	require.NoError(t, link.Exec(b.ctx))
	return created
}

func (b testBundle) touchpoint(t *testing.T, accountID string, contactID string, occurredAt time.Time) {
	t.Helper()
	create := b.client.Touchpoint.Create().SetAccountID(accountID).SetType(touchpoint.TypeCALL).SetOccurredAt(occurredAt)
	if contactID != "" {
		create.SetContactID(contactID)
	}
	require.NoError(t, create.Exec(b.ctx))
}

func (b testBundle) contract(t *testing.T, accountID string, status contract.Status, renewal string, autoRenew bool) {
	t.Helper()
	require.NoError(t, b.client.Contract.Create().
		SetAccountID(accountID).
		SetName("Managed services agreement").
		SetStatus(status).
		SetRenewalDate(renewal).
		SetAutoRenew(autoRenew).
		Exec(b.ctx))
}

// signal pushes an observation; configure sets its value and expiry.
func (b testBundle) signal(t *testing.T, accountID string, key healthsignal.Key, observedAt time.Time, configure func(*ent.HealthSignalCreate)) {
	t.Helper()
	create := b.client.HealthSignal.Create().SetAccountID(accountID).SetKey(key).SetObservedAt(observedAt)
	configure(create)
	require.NoError(t, create.Exec(b.ctx))
}

func rowOf(t *testing.T, result churn.Result, signal churn.Signal) churn.SignalBreakdown {
	t.Helper()
	for _, row := range result.Breakdown {
		if row.Key == signal {
			return row
		}
	}
	t.Fatalf("no breakdown row for %s", signal)
	return churn.SignalBreakdown{}
}

// seedAcme gives an account a realistic mix of Breadbox data and pushed
// signals, and returns it. The expected breakdown is in TestComputeEndToEnd.
func seedAcme(t *testing.T, b testBundle) *ent.Account {
	t.Helper()
	acme := b.account(t, "Acme Dental")
	globex := b.account(t, "Globex Legal")

	// Dana is a decision maker at Acme and also a contact at Globex. Gus is
	// a gatekeeper.
	dana := b.contact(t, acme.ID, "Dana", accountcontact.InfluenceDECISION_MAKER)
	require.NoError(t, b.client.AccountContact.Create().SetAccountID(globex.ID).SetContactID(dana.ID).Exec(b.ctx))
	gus := b.contact(t, acme.ID, "Gus", accountcontact.InfluenceGATEKEEPER)

	b.touchpoint(t, acme.ID, gus.ID, now.Add(-10*24*time.Hour))   // the latest touchpoint: 10 days
	b.touchpoint(t, acme.ID, dana.ID, now.Add(-100*24*time.Hour)) // the latest with a decision maker: 100 days
	b.touchpoint(t, acme.ID, dana.ID, now.Add(48*time.Hour))      // in the future: ignored
	b.touchpoint(t, globex.ID, dana.ID, now.Add(-24*time.Hour))   // at another account: ignored
	b.touchpoint(t, acme.ID, "", now.Add(-200*24*time.Hour))

	b.contract(t, acme.ID, contract.StatusACTIVE, "2026-08-01", false) // 47 days
	b.contract(t, acme.ID, contract.StatusACTIVE, "2027-01-01", true)
	b.contract(t, acme.ID, contract.StatusDRAFT, "2026-06-20", false)
	b.contract(t, acme.ID, contract.StatusEXPIRED, "2026-06-16", false)

	b.signal(t, acme.ID, healthsignal.KeyOPEN_TICKETS, now.Add(-48*time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(0).SetSource("connectwise")
	})
	b.signal(t, acme.ID, healthsignal.KeyOPEN_TICKETS, now.Add(-time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(2).SetDetails(map[string]any{"oldestAgeDays": 9}).SetSource("connectwise")
	})
	b.signal(t, acme.ID, healthsignal.KeyCSAT_TREND, now.Add(-24*time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(87.5).SetSource("connectwise")
	})
	b.signal(t, acme.ID, healthsignal.KeyCSAT_TREND, now.Add(-2*time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(12).SetSource("connectwise").SetExpiresAt(now.Add(-time.Hour)) // expired
	})
	b.signal(t, acme.ID, healthsignal.KeyUTILIZATION, now.Add(-6*time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(118).SetSource("autotask").SetExpiresAt(now.Add(24 * time.Hour))
	})
	b.signal(t, acme.ID, healthsignal.KeyUTILIZATION, now.Add(time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(200).SetSource("autotask") // observed after now: ignored
	})
	b.signal(t, acme.ID, healthsignal.KeySTACK_STANDARDIZATION, now.Add(-72*time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetSubScore(72).SetSource("lionguard")
	})
	b.signal(t, acme.ID, healthsignal.KeyEMPLOYEE_GROWTH, now.Add(-30*24*time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(-12)
	})
	b.signal(t, acme.ID, healthsignal.KeyTOUCHPOINT_RECENCY, now.Add(-time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(400).SetSource("hubspot") // Breadbox has touchpoints: ignored
	})
	b.signal(t, globex.ID, healthsignal.KeyPAYMENT_HEALTH, now.Add(-time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(90) // another account's
	})
	return acme
}

func TestComputeEndToEnd(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := seedAcme(t, b)

	result, err := churn.Compute(b.ctx, b.client, acme.ID, now)
	require.NoError(t, err)

	// signal                  input  sub-score  weight  sub × weight  source
	// OPEN_TICKETS            2      60 − 20    20      800           pushed:connectwise
	// CSAT_TREND              87.5   88         15      1320          pushed:connectwise
	// UTILIZATION             118    60         15      900           pushed:autotask
	// TOUCHPOINT_RECENCY      10     100        10      1000          touchpoints
	// DECISION_MAKER_RECENCY  100    70         10      700           touchpoints
	// STACK_STANDARDIZATION   —      72         10      720           pushed:lionguard
	// PAYMENT_HEALTH          —      50         10      500           no data
	// RENEWAL_PROXIMITY       47     50         5       250           contracts
	// EMPLOYEE_GROWTH         −12    40         5       200           pushed
	// Σ = 6390, health 63.9 → 64, risk 100 − 64 = 36, MEDIUM.
	type expectation struct {
		input    *float64
		subScore int
		source   string
	}
	value := func(v float64) *float64 { return &v }
	want := map[churn.Signal]expectation{
		churn.OpenTickets:          {value(2), 40, "pushed:connectwise"},
		churn.CSATTrend:            {value(87.5), 88, "pushed:connectwise"},
		churn.Utilization:          {value(118), 60, "pushed:autotask"},
		churn.TouchpointRecency:    {value(10), 100, churn.SourceTouchpoints},
		churn.DecisionMakerRecency: {value(100), 70, churn.SourceTouchpoints},
		churn.StackStandardization: {nil, 72, "pushed:lionguard"},
		churn.PaymentHealth:        {nil, 50, churn.SourceNoData},
		churn.RenewalProximity:     {value(47), 50, churn.SourceContracts},
		churn.EmployeeGrowth:       {value(-12), 40, churn.SourcePushed},
	}
	require.Len(t, result.Breakdown, 9)
	for i, row := range result.Breakdown {
		require.Equal(t, churn.Signals[i], row.Key)
		expected := want[row.Key]
		require.Equal(t, expected.input, row.Input, "input of %s", row.Key)
		require.Equal(t, expected.subScore, row.SubScore, "sub-score of %s", row.Key)
		require.Equal(t, expected.source, row.Source, "source of %s", row.Key)
		require.Equal(t, float64(row.SubScore*row.Weight)/100, row.Contribution, "contribution of %s", row.Key)
	}
	require.Equal(t, 20, rowOf(t, result, churn.OpenTickets).Weight)
	require.Equal(t, 7.2, rowOf(t, result, churn.StackStandardization).Contribution)
	require.True(t, now.Add(-100*24*time.Hour).Equal(*rowOf(t, result, churn.DecisionMakerRecency).ObservedAt))
	require.True(t, now.Add(-time.Hour).Equal(*rowOf(t, result, churn.OpenTickets).ObservedAt))
	require.Nil(t, rowOf(t, result, churn.PaymentHealth).ObservedAt)

	require.Equal(t, acme.ID, result.AccountID)
	require.Equal(t, 36, result.Score)
	require.Equal(t, churn.LevelMedium, result.Level)
	require.True(t, now.Equal(result.CalculatedAt))
}

func TestComputeWithoutDecisionMakerHasNoData(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	gus := b.contact(t, acme.ID, "Gus", "")
	b.touchpoint(t, acme.ID, gus.ID, now.Add(-time.Hour))

	result, err := churn.Compute(b.ctx, b.client, acme.ID, now)
	require.NoError(t, err)
	require.Equal(t, churn.SourceNoData, rowOf(t, result, churn.DecisionMakerRecency).Source)
	require.Equal(t, 50, rowOf(t, result, churn.DecisionMakerRecency).SubScore)
	require.Equal(t, churn.SourceNoData, rowOf(t, result, churn.RenewalProximity).Source, "no active contract")

	// Touchpoint recency 100 × 10 = 1000, the rest 50 × 90 = 4500: health 55.
	require.Equal(t, 45, result.Score)
}

func TestComputeUsesTheOrgSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	b.signal(t, acme.ID, healthsignal.KeyPAYMENT_HEALTH, now.Add(-time.Hour), func(c *ent.HealthSignalCreate) {
		c.SetRawValue(75).SetSource("quickbooks") // 10
	})

	settings := churn.DefaultSettings()
	settings.Weights[churn.OpenTickets] = 0
	settings.Weights[churn.PaymentHealth] = 30
	settings.Thresholds = churn.Thresholds{LowMax: 20, MediumMax: 55}
	require.NoError(t, churn.SaveSettings(b.ctx, b.client, b.orgID, settings))

	result, err := churn.Compute(b.ctx, b.client, acme.ID, now)
	require.NoError(t, err)
	// 10 × 30 = 300 plus 50 × 70 = 3500: health 38, risk 62, HIGH above 55.
	require.Equal(t, 62, result.Score)
	require.Equal(t, churn.LevelHigh, result.Level)
	require.Equal(t, 0, rowOf(t, result, churn.OpenTickets).Weight)
	require.Equal(t, 0.0, rowOf(t, result, churn.OpenTickets).Contribution)
}

func TestComputeOfAnotherOrgIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := b.account(t, "Acme Dental")
	other, err := admin.CreateOrg(context.Background(), b.client, "Other MSP", "")
	require.NoError(t, err)
	key := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: other.ID, Scopes: auth.NewScopeSet(auth.HealthRead)})

	_, err = churn.Compute(key, b.client, acme.ID, now)
	require.True(t, ent.IsNotFound(err), "got %v", err)
	_, err = churn.Recalculate(key, b.client, acme.ID, now)
	require.True(t, ent.IsNotFound(err), "got %v", err)
	_, err = churn.History(key, b.client, acme.ID, now, 0)
	require.True(t, ent.IsNotFound(err), "got %v", err)
}

func TestComputeNeedsOnlyHealthRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := seedAcme(t, b)
	key := auth.WithPrincipal(context.Background(), &auth.Principal{OrgID: b.orgID, Scopes: auth.NewScopeSet(auth.HealthRead)})

	result, err := churn.Compute(key, b.client, acme.ID, now)
	require.NoError(t, err)
	require.Equal(t, 36, result.Score, "touchpoints and contracts count without their read scopes")
}
